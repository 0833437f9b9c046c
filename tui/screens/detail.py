"""The claim detail view: the compared details per source, and why the statements are one claim.

A table names each divergence and what each source writes; below it, each source's
statement with the words it shares with the others marked (the evidence for grouping).
A word diff is shown only where two statements are close enough for it to mean something:
on paraphrases it would mark nearly every word and say nothing.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.core.analysis.divergence import word_diff
from tui.core.model import Analysis, Claim
from tui.core.review.annotations import ClaimAnnotation
from tui.core.review.session import STATUS_GLYPH, TAG_GLYPH, ReviewSession
from tui.widgets.plain import Plain

NO_NOTE = "(no note: press a to write one)"
DIFF_MAX = 20_000  # characters; longer statements are shown without word highlighting


class DiffText(Static):
    """A statement with shared words marked, and the words that differ where it is close."""

    COMPONENT_CLASSES = {"diff--changed", "diff--shared", "diff--value"}

    def __init__(
        self,
        base: str,
        text: str,
        shared: tuple[tuple[int, int], ...] = (),
        values: tuple[tuple[int, int], ...] = (),
        diff: bool = True,
    ) -> None:
        super().__init__(classes="detail-text")
        self.base = base
        self.text = text
        self.shared = shared
        self.values = values
        self.diff = diff

    def render(self) -> Text:
        out = Text(self.text)
        if max(len(self.text), len(self.base)) > DIFF_MAX:
            return out  # marking texts this long would stall the screen
        shared = self.get_component_rich_style("diff--shared", partial=True)
        for a, b in self.shared:
            out.stylize(shared, a, b)
        if self.diff and self.text != self.base:
            style = self.get_component_rich_style("diff--changed", partial=True)
            for op in word_diff(self.base, self.text):
                if op.tag in ("replace", "insert") and op.b_end > op.b_start:
                    out.stylize(style, op.b_start, op.b_end)
        value = self.get_component_rich_style("diff--value", partial=True)
        for a, b in self.values:
            out.stylize(value, a, b)
        return out


class ComparedTable(Static):
    """Each divergence: its kind, and the value in each source."""

    COMPONENT_CLASSES = {"compared--kind", "compared--value", "compared--missing"}

    def __init__(self, rows: list[tuple[str, dict[str, str]]], sources: list[tuple[str, str]]):
        super().__init__(id="detail-compared")
        self.rows = rows
        self.sources = sources

    def render(self) -> Table:
        table = Table(box=None, show_edge=False, pad_edge=False, expand=False)
        table.add_column("kind", no_wrap=True)
        for _aid, name in self.sources:
            table.add_column(name, overflow="fold")
        kind = self.get_component_rich_style("compared--kind", partial=True)
        value = self.get_component_rich_style("compared--value", partial=True)
        missing = self.get_component_rich_style("compared--missing", partial=True)
        for k, values in self.rows:
            cells = [Text(f"≠ {k}", style=kind)]
            for aid, _name in self.sources:
                v = values.get(aid)
                cells.append(Text(v, style=value) if v else Text("—", style=missing))
            table.add_row(*cells)
        return table


class DetailScreen(Screen[None]):
    """Everything about one claim; ``esc`` goes back."""

    BINDINGS = [
        ("escape", "app.pop_screen", "Back"),
        Binding("j,down", "scroll_body(1)", "Scroll down", show=False),
        Binding("k,up", "scroll_body(-1)", "Scroll up", show=False),
    ]

    def action_scroll_body(self, step: int) -> None:
        """j/k scroll the screen's text, as they move in every list."""
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)

    def __init__(
        self,
        analysis: Analysis,
        claim: Claim,
        tag: str | None,
        note: str,
        others: dict[str, str | None] | None = None,
        annotation: ClaimAnnotation | None = None,
        session: ReviewSession | None = None,
    ) -> None:
        super().__init__()
        self.annotation = annotation
        self.others = others or {}
        self.analysis = analysis
        self.claim = claim
        self.tag = tag
        self.note = note
        self.session = session or ReviewSession(analysis, lambda _cid: None)

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
        claim, analysis, session = self.claim, self.analysis, self.session
        with VerticalScroll(id="detail"):
            yield Plain(self._head(), id="detail-head")
            if self.annotation is not None and self.annotation.anchor != "anchored":
                quotes = " / ".join(f"“{a.exact}”" for a in self.annotation.statements)
                yield Plain(
                    f"⚠ The article changed since this was tagged ({self.annotation.anchor});"
                    f" it was tagged on: {quotes}",
                    id="detail-anchor",
                )
            if claim.divergences:
                yield Plain("Compared details", classes="detail-section")
                sources = [
                    (a, analysis.article(a).display_name) for a in analysis.sources_of(claim)
                ]
                yield ComparedTable(session.compared(claim), sources)
            yield Plain(
                "Each source (underlined: words shared with another source"
                + ("; highlighted: words that differ from the first" if claim.size > 1 else "")
                + ")",
                classes="detail-section",
            )
            first = analysis.statement(claim.statements[0]).text
            for sid in claim.statements:
                s = analysis.statement(sid)
                article = analysis.article(s.article)
                yield Plain(f"{article.display_name} · {article.title}", classes="detail-source")
                yield DiffText(
                    first,
                    s.text,
                    shared=session.shared_words(claim, s) if claim.size > 1 else (),
                    values=session.value_ranges(claim, s),
                    diff=sid != claim.statements[0] and session.close(first, s.text),
                )
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
