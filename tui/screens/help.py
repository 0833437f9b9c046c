"""The help screen: every key from the real bindings, and the legend of glyphs."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from tui.core.model import Status
from tui.widgets.plain import Plain
from tui.widgets.statements import SELECTED_MARK, STATUS_GLYPH, TAG_GLYPH

LEGEND = (
    "Legend\n"
    f"  {STATUS_GLYPH[Status.OVERLAP]}  overlap: two or more sources agree\n"
    f"  {STATUS_GLYPH[Status.DIVERGENT]}  divergent: sources disagree on a detail\n"
    f"  {STATUS_GLYPH[Status.UNIQUE]}  unique: only one source says it\n"
    f"  {TAG_GLYPH['confirmed']}  tagged confirmed   {TAG_GLYPH['disputed']}  tagged disputed"
    f"   {TAG_GLYPH['unique']}  tagged unique\n"
    "  ·  heading or site furniture (not a claim)\n"
    f"  {SELECTED_MARK}  the current claim (reverse video), in every pane\n"
    "  bold underlined words: the values the sources disagree on\n"
    "  italic underlined words: what the search found\n"
    "  dimmed lines: claims the filter leaves out\n"
    "\n"
    "Tagging moves on to the next untagged claim; a then writes the note on the claim\n"
    "just tagged (the dialog names it). C, D and U tag without moving on.\n"
    "In the aligned view (v) each row is a claim, each column a source;\n"
    "  '· not reported ·' marks a source that does not carry the claim; > and < jump\n"
    "  between differences there and in the panes."
)


def key_table(bindings: list[Binding], display: Callable[[Binding], str]) -> str:
    """One line per binding: its keys as the terminal shows them, and what it does."""
    rows = []
    for b in bindings:
        if b.description and b.key:
            keys = ", ".join(display(Binding(k.strip(), b.action)) for k in b.key.split(","))
            rows.append(f"  {keys:<16} {b.description}")
    return "\n".join(rows)


class HelpScreen(ModalScreen[None]):
    """Keys and legend; any of esc, q, ? closes it."""

    BINDINGS = [
        ("escape,q,question_mark", "app.pop_screen", "Close"),
        Binding("j,down", "scroll_body(1)", "Scroll down", show=False),
        Binding("k,up", "scroll_body(-1)", "Scroll up", show=False),
    ]

    def action_scroll_body(self, step: int) -> None:
        """j/k scroll the screen's text, as they move in every list."""
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)

    def __init__(self, bindings: list[Binding], note: str = "") -> None:
        super().__init__()
        self.bindings = bindings
        self.note = note

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Plain("claimdiff keys", id="help-title")
            yield Plain(key_table(self.bindings, self.app.get_key_display), id="help-keys")
            yield Plain(LEGEND, id="help-legend")
            if self.note:
                yield Plain(self.note, id="help-note")
