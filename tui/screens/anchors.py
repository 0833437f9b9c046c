"""Annotations that lost their place: the article changed under them since they were made."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer

from tui.core.review.annotations import AnnotationStore, ClaimAnnotation
from tui.widgets.plain import Plain
from tui.widgets.statements import TAG_GLYPH

STATE_TEXT = {
    "text_changed": "text changed: a quoted statement now reads differently, or is gone",
    "orphaned": "orphaned: the quoted statement is no longer in the article",
    "hidden": "its claim now also carries a later annotation, which is the one shown",
}


class AnchorsScreen(Screen[None]):
    """Every text_changed or orphaned annotation, quote by quote: found, changed or gone.

    Orphans stay in the annotation file; this is where the reviewer sees them.
    """

    BINDINGS = [
        ("escape,o", "app.pop_screen", "Back"),
        Binding("j,down", "scroll_body(1)", "Scroll down", show=False),
        Binding("k,up", "scroll_body(-1)", "Scroll up", show=False),
    ]

    def action_scroll_body(self, step: int) -> None:
        """j/k scroll the screen's text, as they move in every list."""
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)

    def __init__(self, store: AnnotationStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        lost = self.store.unanchored()
        count = len(lost) + len(self.store.hidden())
        with VerticalScroll(id="anchors"):
            yield Plain(
                f"{count} annotation{'s' if count != 1 else ''} whose articles changed"
                if count
                else "Every annotation is anchored to the articles as they are now.",
                id="anchors-head",
            )
            for a in lost:
                yield from self._entry(a, a.anchor, STATE_TEXT.get(a.anchor, a.anchor))
            for a in self.store.hidden():
                shown = self.store.for_claim(a.attached_to or "")
                shown_tag = shown.tag if shown else None
                yield from self._entry(
                    a, "hidden", f"{STATE_TEXT['hidden']} (it shows: {shown_tag or 'no tag'})"
                )
        yield Footer()

    def _entry(self, a: ClaimAnnotation, kind: str, state: str) -> ComposeResult:
        """One annotation: its tag and state, each quote and what became of it, its note."""
        yield Plain(
            f"{TAG_GLYPH[a.tag]} {a.tag or 'no tag'} · {state}",
            classes=f"anchor-state anchor--{kind}",
        )
        for anchor, now, where in self.store.locate(a):
            yield Plain(f"{anchor.file}: “{anchor.exact}”", classes="anchor-quote")
            if where == "orphaned":
                yield Plain("✗ no longer in the article", classes="anchor-gone")
            elif where == "text_changed" and now is not None:
                yield Plain(f"≠ now reads: “{now.text}”", classes="anchor-now")
        if a.note:
            yield Plain(f"note: {a.note}", classes="anchor-note")
