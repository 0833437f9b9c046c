"""Shared fixtures: the bundled seeds, analysed once per session."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Analysis

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _own_analysis_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test (and the commands it starts) caches analyses in a folder of its own run."""
    os.environ["CLAIMDIFF_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


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


def write_dense(folder: Path, articles: int, stories: int = 1) -> Path:
    """A dense corpus from the benchmark's generator (``benchmarks/dense.py``): many sources
    repeating a few big facts per story."""
    spec = importlib.util.spec_from_file_location("dense", ROOT / "benchmarks" / "dense.py")
    assert spec is not None and spec.loader is not None
    dense = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("dense", dense)  # its dataclasses look their module up
    spec.loader.exec_module(dense)
    dense.generate(folder, articles, stories=stories)
    return folder
