"""Shared fixtures: the bundled seeds, analysed once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Analysis

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_analysis() -> Analysis:
    """The analysis of the five bundled seeds."""
    return analyze(load_corpus([SEEDS]))


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds, for tests that edit or add articles."""
    corpus_dir = tmp_path / "c"
    shutil.copytree(SEEDS, corpus_dir)
    return corpus_dir
