"""Shared fixtures: the bundled seeds, analysed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.analysis import analyze
from tui.core.corpus import load_corpus
from tui.core.model import Analysis

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_analysis() -> Analysis:
    """The analysis of the five bundled seeds."""
    return analyze(load_corpus([SEEDS]))
