"""The aligned claim view: one row per claim, one column per source, filler where it is missing.

claimdiff's vimdiff: a claim's clauses share a row, a source that does not report the claim
shows a filler, and the diverging values are marked inside the cells. A DataTable draws
only the rows on screen, so it stays fast on 50 articles of 40 statements.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from tui.core.model import Claim
from tui.core.review.session import STATUS_GLYPH, TAG_GLYPH, ReviewSession

FILLER = "· not reported ·"
CELL_WIDTH = 30
ROW_HEIGHT = 3
CELL_MAX = 400  # characters drawn per cell; the detail view has every word


class AlignedView(DataTable[Text]):
    """Claims against sources; the cursor row is the current claim."""

    COMPONENT_CLASSES = {
        "aligned--value",
        "aligned--filler",
        "aligned--filtered",
        "aligned--divergent",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next claim row", show=False),
        Binding("k,up", "cursor_up", "Previous claim row", show=False),
        Binding("g", "scroll_top", "First claim row", show=False),
        Binding("G", "scroll_bottom", "Last claim row", show=False),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__(id="aligned", cursor_type="row", zebra_stripes=False)
        self.session = session
        self.claims: list[Claim] = []
        self.row_of: dict[str, int] = {}
        self.built = False

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def build(self) -> None:
        """Fill the table from the session (first shown, and after a filter change)."""
        session = self.session
        analysis = session.analysis
        self.clear(columns=True)
        self.add_column("claim", width=16, key="claim")
        for article in analysis.articles:
            self.add_column(article.display_name[:CELL_WIDTH], width=CELL_WIDTH, key=article.id)
        self.claims = list(analysis.claims)
        self.row_of = {c.id: n for n, c in enumerate(self.claims)}
        for claim in self.claims:
            self.add_row(*self._cells(claim), height=ROW_HEIGHT, key=claim.id)
        self.built = True

    def _head(self, claim: Claim) -> Text:
        session = self.session
        head = Text(f"{TAG_GLYPH[session.tag_of(claim.id)]}{STATUS_GLYPH[claim.status]} ")
        head.append(claim.status.value)
        kinds = session.kinds(claim)
        if kinds:
            head.append(f"\n{kinds}", style=self._style("aligned--divergent"))
        if not session.passes(claim):
            head.stylize(self._style("aligned--filtered"))
        return head

    def _cells(self, claim: Claim) -> list[Text]:
        dim = not self.session.passes(claim)
        out = [self._head(claim)]
        value = self._style("aligned--value")
        for cell in self.session.cells(claim):
            if not cell.text:
                text = Text(FILLER, style=self._style("aligned--filler"))
            else:
                shown = cell.text if len(cell.text) <= CELL_MAX else cell.text[:CELL_MAX] + "…"
                text = Text(shown)
                for a, b in cell.values:
                    if a < len(shown):
                        text.stylize(value, a, min(b, len(shown)))
            if dim:
                text.stylize(self._style("aligned--filtered"))
            out.append(text)
        return out

    def refresh_claim(self, claim: Claim) -> None:
        """Redraw one claim's row (its tag changed)."""
        if self.built and claim.id in self.row_of:
            self.update_cell(claim.id, "claim", self._head(claim))

    def show(self, claim: Claim | None) -> None:
        """Put the cursor on a claim's row."""
        if self.built and claim is not None and claim.id in self.row_of:
            row = self.row_of[claim.id]
            if self.cursor_row != row:
                self.move_cursor(row=row, animate=False)

    def current(self) -> Claim | None:
        """The claim on the cursor row."""
        if not self.claims or not 0 <= self.cursor_row < len(self.claims):
            return None
        return self.claims[self.cursor_row]
