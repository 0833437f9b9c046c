"""The claim detail view: each source's statement stacked, word differences highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.core.analysis.divergence import word_diff
from tui.core.model import Analysis, Claim
from tui.core.review.annotations import ClaimAnnotation
from tui.widgets.plain import Plain
from tui.widgets.statements import STATUS_GLYPH, TAG_GLYPH

NO_NOTE = "(no note: press a to write one)"
DIFF_MAX = 20_000  # characters; longer statements are shown without word highlighting


class DiffText(Static):
    """A statement with the words that differ from the claim's first statement marked."""

    COMPONENT_CLASSES = {"diff--changed"}

    def __init__(self, base: str, text: str) -> None:
        super().__init__(classes="detail-text")
        self.base = base
        self.text = text

    def render(self) -> Text:
        out = Text(self.text)
        if self.text == self.base or max(len(self.text), len(self.base)) > DIFF_MAX:
            return out  # a word diff of texts this long would stall the screen
        style = self.get_component_rich_style("diff--changed", partial=True)
        for op in word_diff(self.base, self.text):
            if op.tag in ("replace", "insert") and op.b_end > op.b_start:
                out.stylize(style, op.b_start, op.b_end)
        return out


class DetailScreen(Screen[None]):
    """Everything about one claim; ``esc`` goes back."""

    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(
        self,
        analysis: Analysis,
        claim: Claim,
        tag: str | None,
        note: str,
        others: dict[str, str | None] | None = None,
        annotation: ClaimAnnotation | None = None,
    ) -> None:
        super().__init__()
        self.annotation = annotation
        self.others = others or {}
        self.analysis = analysis
        self.claim = claim
        self.tag = tag
        self.note = note

    def _head(self) -> str:
        claim, analysis = self.claim, self.analysis
        return (
            f"{STATUS_GLYPH[claim.status]} {claim.status.value} · "
            f"{len(analysis.sources_of(claim))}/{len(analysis.articles)} sources · "
            f"tag: {TAG_GLYPH[self.tag]} {self.tag or 'none'}"
        )

    def show_tag(self, tag: str | None) -> None:
        """The claim was tagged (or untagged) while this view is open."""
        self.tag = tag
        self.query_one("#detail-head", Static).update(self._head())

    def show_note(self, note: str) -> None:
        """The claim's note was edited while this view is open."""
        self.note = note
        self.query_one("#detail-note", Static).update(note or NO_NOTE)

    def compose(self) -> ComposeResult:
        claim, analysis = self.claim, self.analysis
        with VerticalScroll(id="detail"):
            yield Plain(self._head(), id="detail-head")
            if self.annotation is not None and self.annotation.anchor != "anchored":
                quotes = " / ".join(f"“{a.exact}”" for a in self.annotation.statements)
                yield Plain(
                    f"⚠ The article changed since this was tagged ({self.annotation.anchor});"
                    f" it was tagged on: {quotes}",
                    id="detail-anchor",
                )
            first = analysis.statement(claim.statements[0]).text
            for sid in claim.statements:
                s = analysis.statement(sid)
                yield Plain(analysis.article(s.article).title, classes="detail-source")
                yield DiffText(first, s.text)
            if claim.divergences:
                yield Plain("Divergences", classes="detail-section")
                for d in claim.divergences:
                    yield Plain(f"≠ {d.kind.value}: {d.detail}", classes="detail-divergence")
            if self.others:
                yield Plain("Other reviewers", classes="detail-section")
                for name, other_tag in sorted(self.others.items()):
                    yield Plain(
                        f"{TAG_GLYPH[other_tag]} {other_tag or 'none'} — {name}",
                        classes="detail-other",
                    )
            yield Plain("Note", classes="detail-section")
            yield Plain(self.note or NO_NOTE, id="detail-note")
        yield Footer()
