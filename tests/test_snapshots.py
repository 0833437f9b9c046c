"""SVG snapshots of the screens (pytest-textual-snapshot), fixed theme, no cursor blink.

Each colour mode the app chooses between is drawn: true colour dark and light (256
colours uses the same themes, down-converted by the terminal), 16 colours dark and light
(the ANSI themes) and NO_COLOR (no colour at all: glyphs and text styles only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tui.app import ClaimDiffApp
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.widgets.themes import Depth

MODES: dict[str, tuple[Depth, str]] = {
    "truecolor-dark": ("truecolor", "textual-dark"),
    "truecolor-light": ("truecolor", "textual-light"),
    "16-dark": ("16", "textual-dark"),
    "16-light": ("16", "textual-light"),
    "no-color": ("none", "textual-dark"),
}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The status line shows the annotation file: a relative one draws the same every run.
    monkeypatch.chdir(tmp_path)


def _app(tmp_path: Path, depth: Depth = "truecolor", theme: str = "textual-dark") -> ClaimDiffApp:
    corpus = load_corpus([SEEDS])
    return ClaimDiffApp(
        corpus,
        analysis=analyze(corpus),
        annotations_dir=Path("ann"),
        reviewer="snap",
        depth=depth,
        theme=theme,
    )


def _mode_app(tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> ClaimDiffApp:
    depth, theme = MODES[mode]
    if depth == "none":
        monkeypatch.setenv("NO_COLOR", "1")
    return _app(tmp_path, depth, theme)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_main_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size)


@pytest.mark.parametrize("mode", list(MODES))
def test_current_claim_in_each_colour_mode(
    snap_compare, tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ], one claim is marked (▶, reverse) in every pane and no stale cursor is left."""
    app = _mode_app(tmp_path, mode, monkeypatch)
    assert snap_compare(app, terminal_size=(120, 40), press=["right_square_bracket", "c"])


@pytest.mark.parametrize("mode", list(MODES))
def test_aligned_view(
    snap_compare, tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _mode_app(tmp_path, mode, monkeypatch)
    assert snap_compare(app, terminal_size=(140, 40), press=["v", "greater_than_sign"])


@pytest.mark.parametrize("mode", list(MODES))
def test_detail_view(
    snap_compare, tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _mode_app(tmp_path, mode, monkeypatch)
    assert snap_compare(app, terminal_size=(120, 40), press=["greater_than_sign", "enter"])


def test_help_screen(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), press=["question_mark"])
