"""The help screen: every key from the real bindings, and the legend of glyphs."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from tui.core.model import Status
from tui.widgets.plain import Plain
from tui.widgets.statements import STATUS_GLYPH, TAG_GLYPH

LEGEND = (
    "Legend\n"
    f"  {STATUS_GLYPH[Status.OVERLAP]}  overlap: two or more sources agree\n"
    f"  {STATUS_GLYPH[Status.DIVERGENT]}  divergent: sources disagree on a detail\n"
    f"  {STATUS_GLYPH[Status.UNIQUE]}  unique: only one source says it\n"
    f"  {TAG_GLYPH['confirmed']}  tagged confirmed   {TAG_GLYPH['disputed']}  tagged disputed"
    f"   {TAG_GLYPH['unique']}  tagged unique\n"
    "  ·  heading or site furniture (not a claim)"
)


def key_table(bindings: list[Binding], display: Callable[[Binding], str]) -> str:
    """One line per binding: its keys as the terminal shows them, and what it does."""
    rows = []
    for b in bindings:
        if b.description:
            keys = ", ".join(display(Binding(k.strip(), b.action)) for k in b.key.split(","))
            rows.append(f"  {keys:<16} {b.description}")
    return "\n".join(rows)


class HelpScreen(ModalScreen[None]):
    """Keys and legend; any of esc, q, ? closes it."""

    BINDINGS = [("escape,q,question_mark", "app.pop_screen", "Close")]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Plain("claimdiff keys", id="help-title")
            yield Plain(key_table(self.bindings, self.app.get_key_display), id="help-keys")
            yield Plain(LEGEND, id="help-legend")
