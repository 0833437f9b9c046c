"""SVG snapshots of the screens (pytest-textual-snapshot), fixed theme, no cursor blink."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tui.app import ClaimDiffApp
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze


def _app(tmp_path: Path) -> ClaimDiffApp:
    corpus = load_corpus([SEEDS])
    app = ClaimDiffApp(corpus, analysis=analyze(corpus), annotations_dir=tmp_path, reviewer="snap")
    app.theme = "textual-dark"
    return app


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_main_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size)


def test_detail_view(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), press=["tab", "enter"])


def test_help_screen(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), press=["question_mark"])
