"""Annotations that lost their place: the article changed under them since they were made."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.core.annotations import ClaimAnnotation
from tui.core.model import Analysis
from tui.widgets.statements import TAG_GLYPH

STATE_TEXT = {
    "text_changed": "text changed: the quoted statement was found, but it now reads differently",
    "orphaned": "orphaned: the quoted statement is no longer in the article",
}


class AnchorsScreen(Screen[None]):
    """Every text_changed or orphaned annotation, with what was quoted and what is there now.

    Orphans stay in the annotation file; this is where the reviewer sees them.
    """

    BINDINGS = [("escape,o", "app.pop_screen", "Back")]

    def __init__(self, analysis: Analysis, annotations: list[ClaimAnnotation]) -> None:
        super().__init__()
        self.analysis = analysis
        self.annotations = annotations

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="anchors"):
            count = len(self.annotations)
            yield Static(
                f"{count} annotation{'s' if count != 1 else ''} whose articles changed"
                if count
                else "Every annotation is anchored to the articles as they are now.",
                id="anchors-head",
            )
            for a in self.annotations:
                state = STATE_TEXT.get(a.anchor, a.anchor)
                yield Static(
                    f"{TAG_GLYPH[a.tag]} {a.tag or 'no tag'} · {state}",
                    classes=f"anchor-state anchor--{a.anchor}",
                )
                for anchor in a.statements:
                    yield Static(f"{anchor.file}: “{anchor.exact}”", classes="anchor-quote")
                if a.attached_to is not None:
                    claim = next(c for c in self.analysis.claims if c.id == a.attached_to)
                    for sid in claim.statements:
                        s = self.analysis.statement(sid)
                        file = self.analysis.article(s.article).file
                        yield Static(f"now, {file}: “{s.text}”", classes="anchor-now")
                if a.note:
                    yield Static(f"note: {a.note}", classes="anchor-note")
        yield Footer()
