"""The aligned claim view: one row per claim, one column per source, filler where it is missing.

claimdiff's vimdiff: a claim's clauses share a row, a source that does not report the claim
shows a filler, and the diverging values are marked inside the cells.

A line-API widget (a ``ScrollView`` whose ``render_line`` draws one screen line): opening
it costs nothing per claim, and only the rows on screen are ever rendered. Each claim row's
lines are cached; a tag, a filter or a theme change drops the rows it touches, and moving
the cursor redraws the two rows it leaves and reaches. The source names stay on the first
line and the claim column on the left while the cells scroll under them.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.model import Claim
from tui.core.review.session import STATUS_GLYPH, TAG_GLYPH, ReviewSession

FILLER = "· not reported ·"
CELL_WIDTH = 30
HEAD_WIDTH = 16
PAD = 1  # blank cells either side of every column
COLUMN = CELL_WIDTH + 2 * PAD
ROW_HEIGHT = 3
CELL_MAX = 400  # characters drawn per cell; the detail view has every word
CURSOR_MARK = "▶"  # the current claim's row, besides the cursor style: never colour alone
ROWS_CACHED = 512  # rendered claim rows kept (a screen shows a dozen)

COMPONENTS = (
    "aligned--header",
    "aligned--cursor",
    "aligned--value",
    "aligned--filler",
    "aligned--filtered",
    "aligned--divergent",
)


class AlignedView(ScrollView, can_focus=True):
    """Claims against sources; the cursor row is the current claim."""

    COMPONENT_CLASSES = set(COMPONENTS)

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next claim row", show=False),
        Binding("k,up", "cursor_up", "Previous claim row", show=False),
        Binding("g,home", "scroll_top", "First claim row", show=False),
        Binding("G,end", "scroll_bottom", "Last claim row", show=False),
        Binding("pagedown", "page_down", "Claim rows a page down", show=False),
        Binding("pageup", "page_up", "Claim rows a page up", show=False),
        Binding("l,right", "column(1)", "Next source column", show=False),
        Binding("h,left", "column(-1)", "Previous source column", show=False),
        Binding("enter", "select_cursor", "Open the claim", show=False),
    ]

    class ClaimHighlighted(Message):
        """The reviewer moved the cursor to another claim row."""

        def __init__(self, view: AlignedView, claim: Claim) -> None:
            super().__init__()
            self.view = view
            self.claim = claim

    class ClaimSelected(Message):
        """The reviewer pressed enter (or clicked) on the cursor row."""

        def __init__(self, view: AlignedView, claim: Claim) -> None:
            super().__init__()
            self.view = view
            self.claim = claim

    def __init__(self, session: ReviewSession) -> None:
        super().__init__(id="aligned")
        self.session = session
        self.claims: list[Claim] = []
        self.row_of: dict[str, int] = {}
        self.built = False
        self.cursor_row = 0
        # claim id -> its ROW_HEIGHT lines: the claim column, and the cells of every source.
        self._rows: LRUCache[str, _Row] = LRUCache(ROWS_CACHED)
        self._header: dict[int, list[Segment]] = {}
        self._styles: dict[str, Style] = {}
        self._styles_stale = True

    # ------------------------------------------------------------------ the app's interface

    def build(self) -> None:
        """Take the claims from the session (first shown, and after a filter change).

        Nothing is rendered here: rows are drawn when they come on screen.
        """
        current = self.current() if self.built else None
        self.claims = list(self.session.analysis.claims)
        self.row_of = {c.id: n for n, c in enumerate(self.claims)}
        self._rows.clear()
        self._header = {}
        self.built = True
        self.cursor_row = self.row_of.get(current.id, 0) if current is not None else 0
        columns = len(self.session.analysis.articles)
        self.virtual_size = Size(
            self._head_width + columns * COLUMN,
            1 + len(self.claims) * ROW_HEIGHT,
        )
        self.refresh()

    def refresh_claim(self, claim: Claim) -> None:
        """Redraw one claim's row (its tag changed)."""
        if self.built and claim.id in self.row_of:
            self._rows.discard(claim.id)
            self._refresh_row(self.row_of[claim.id])

    def show(self, claim: Claim | None) -> None:
        """Put the cursor on a claim's row (the app moved the selection: no message)."""
        if self.built and claim is not None and claim.id in self.row_of:
            self._move_to(self.row_of[claim.id], announce=False)

    def current(self) -> Claim | None:
        """The claim on the cursor row."""
        if not self.claims or not 0 <= self.cursor_row < len(self.claims):
            return None
        return self.claims[self.cursor_row]

    def row_texts(self, claim: Claim) -> list[Text]:
        """What a claim's row shows, unstyled by the cursor: its claim column, then each cell."""
        return [self._head_text(claim, cursor=False), *self._cell_texts(claim)]

    # ------------------------------------------------------------------ cursor and keys

    def _move_to(self, row: int, announce: bool = True) -> None:
        if not self.claims:
            return
        row = max(0, min(row, len(self.claims) - 1))
        old, self.cursor_row = self.cursor_row, row
        if old != row:
            self._refresh_row(old)
            self._refresh_row(row)
        self._scroll_to_row(row)
        if announce and old != row:
            self.post_message(self.ClaimHighlighted(self, self.claims[row]))

    def _scroll_to_row(self, row: int) -> None:
        """Scroll as little as needed for the row to be in full view under the header."""
        body = max(1, self.scrollable_content_region.height - 1)
        top, bottom = row * ROW_HEIGHT, (row + 1) * ROW_HEIGHT
        y = self.scroll_offset.y
        if top < y:
            y = top
        elif bottom > y + body:
            # Down to the row, a whole row at the top: no cut-off cells above the header.
            y = -(-(bottom - body) // ROW_HEIGHT) * ROW_HEIGHT if body >= ROW_HEIGHT else top
        if y != self.scroll_offset.y:
            self.scroll_to(y=y, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, (self.scrollable_content_region.height - 1) // ROW_HEIGHT)

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor_row - 1)

    def action_scroll_top(self) -> None:
        self._move_to(0)

    def action_scroll_bottom(self) -> None:
        self._move_to(len(self.claims) - 1)

    def action_page_down(self) -> None:
        self._move_to(self.cursor_row + self._page())

    def action_page_up(self) -> None:
        self._move_to(self.cursor_row - self._page())

    def action_column(self, step: int) -> None:
        """Scroll the cells one source column left or right."""
        x = (round(self.scroll_offset.x) // COLUMN + step) * COLUMN
        self.scroll_to(x=max(0, x), animate=False, immediate=True)

    def action_select_cursor(self) -> None:
        claim = self.current()
        if claim is not None:
            self.post_message(self.ClaimSelected(self, claim))

    def on_click(self, event: events.Click) -> None:
        """A click on a row moves the cursor there; a click on the cursor row opens it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1 or not self.claims:
            return
        row = (offset.y - 1 + round(self.scroll_offset.y)) // ROW_HEIGHT
        if row >= len(self.claims):
            return
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self._move_to(row)

    # ------------------------------------------------------------------ drawing

    @property
    def _head_width(self) -> int:
        return HEAD_WIDTH + 2 * PAD

    def notify_style_update(self) -> None:
        """Styles were re-applied (a theme, NO_COLOR, focus): re-read them before drawing."""
        super().notify_style_update()
        self._styles_stale = True

    def _check_styles(self) -> None:
        if not self._styles_stale:
            return
        self._styles_stale = False
        fresh = {name: self.get_component_rich_style(name, partial=True) for name in COMPONENTS}
        fresh["base"] = self.rich_style
        if fresh != self._styles:
            self._styles = fresh
            self._rows.clear()
            self._header = {}

    def _style(self, name: str) -> Style:
        return self._styles.get(name) or Style()

    def _refresh_row(self, row: int) -> None:
        """Redraw a claim row's lines if they are on screen."""
        top = 1 + row * ROW_HEIGHT - round(self.scroll_offset.y)
        height = self.size.height
        if top + ROW_HEIGHT > 1 and top < height:
            self.refresh(Region(0, max(1, top), self.size.width, ROW_HEIGHT))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._check_styles()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """One screen line: the claim column, then the source columns in view, cropped."""
        width = self.scrollable_content_region.width
        base = self._style("base")
        scroll_x, scroll_y = round(self.scroll_offset.x), round(self.scroll_offset.y)
        body_width = max(0, width - self._head_width)
        first = scroll_x // COLUMN
        last = min(len(self.session.analysis.articles), (scroll_x + body_width) // COLUMN + 1)
        segments: list[Segment]
        if y == 0:
            header = base + self._style("aligned--header")
            segments = self._pad(Text("claim", style=header), HEAD_WIDTH, header)
            cells = [seg for col in range(first, last) for seg in self._header_cell(col)]
            style = header
        else:
            row, part = divmod(scroll_y + y - 1, ROW_HEIGHT)
            if not self.built or row >= len(self.claims):
                return Strip.blank(width, base)
            claim = self.claims[row]
            cursor = row == self.cursor_row
            segments = list(self._head_lines(claim, cursor)[part])
            cells = [seg for col in range(first, last) for seg in self._cell(claim, col)[part]]
            if cursor:
                cells = list(Segment.apply_style(cells, self._style("aligned--cursor")))
            style = base
        # The cells of the columns in view, cut at the scroll position and padded to width.
        offset = scroll_x - first * COLUMN
        cut = iter(Segment.divide(cells, [offset, offset + body_width]))
        next(cut, None)  # what is scrolled off to the left
        segments.extend(next(cut, []))
        return Strip(Segment.adjust_line_length(segments, width, style), width)

    def _pad(self, line: Text, width: int, style: Style) -> list[Segment]:
        """One line of one column: its text cut or padded to ``width``, with the padding."""
        # Text.render leaves the text's own style out when it has no spans: applied here.
        own = line.style if isinstance(line.style, Style) else Style.parse(line.style or "none")
        drawn = Segment.apply_style(line.render(self.app.console), own)
        segments = Segment.adjust_line_length(list(drawn), width, style)
        pad = Segment(" " * PAD, style)
        return [pad, *segments, pad]

    def _header_cell(self, col: int) -> list[Segment]:
        cached = self._header.get(col)
        if cached is None:
            header = self._style("base") + self._style("aligned--header")
            name = self.session.analysis.articles[col].display_name[:CELL_WIDTH]
            cached = self._header[col] = self._pad(Text(name, style=header), CELL_WIDTH, header)
        return cached

    def _wrapped(self, text: Text, width: int) -> list[Text]:
        """A cell's text in at most ROW_HEIGHT lines, the last ending in … when cut."""
        lines = list(text.wrap(self.app.console, width, overflow="fold"))
        if len(lines) > ROW_HEIGHT:
            lines = lines[:ROW_HEIGHT]
            last = lines[-1]
            last.rstrip()
            last.truncate(width - 1)
            last.append("…")
        while len(lines) < ROW_HEIGHT:
            lines.append(Text(""))
        return lines

    def _head_text(self, claim: Claim, cursor: bool) -> Text:
        session = self.session
        mark = CURSOR_MARK if cursor else " "
        style = self._style("base")
        if cursor:
            style += self._style("aligned--cursor")
        head = Text(
            f"{mark}{TAG_GLYPH[session.tag_of(claim.id)]}{STATUS_GLYPH[claim.status]} ", style
        )
        head.append(claim.status.value)
        kinds = session.kinds(claim)
        if kinds:
            head.append(f"\n{kinds}", style=self._style("aligned--divergent"))
        if not session.passes(claim):
            head.stylize(self._style("aligned--filtered"))
        return head

    def _head_lines(self, claim: Claim, cursor: bool) -> list[list[Segment]]:
        """The claim column's lines of a row (cached, with and without the cursor)."""
        row = self._row(claim)
        cached = row.head[cursor]
        if cached is None:
            text = self._head_text(claim, cursor)
            style = text.style if isinstance(text.style, Style) else Style.parse(text.style)
            cached = [
                self._pad(line, HEAD_WIDTH, style) for line in self._wrapped(text, HEAD_WIDTH)
            ]
            row.head[cursor] = cached
        return cached

    def _cell_texts(self, claim: Claim) -> list[Text]:
        session = self.session
        dim = not session.passes(claim)
        value = self._style("aligned--value")
        base = self._style("base")
        out = []
        for cell in session.cells(claim):
            if not cell.text:
                text = Text(FILLER, style=base + self._style("aligned--filler"))
            else:
                shown = cell.text if len(cell.text) <= CELL_MAX else cell.text[:CELL_MAX] + "…"
                text = Text(shown, style=base)
                for a, b in cell.values:
                    if a < len(shown):
                        text.stylize(value, a, min(b, len(shown)))
            if dim:
                text.stylize(self._style("aligned--filtered"))
            out.append(text)
        return out

    def _row(self, claim: Claim) -> _Row:
        row = self._rows.get(claim.id)
        if row is None:
            row = self._rows[claim.id] = _Row(self._cell_texts(claim))
        return row

    def _cell(self, claim: Claim, col: int) -> list[list[Segment]]:
        """One source's cell of a claim row: ROW_HEIGHT lines of COLUMN cells (cached)."""
        row = self._row(claim)
        lines = row.cells.get(col)
        if lines is None:
            base = self._style("base")
            wrapped = self._wrapped(row.texts[col], CELL_WIDTH)
            lines = row.cells[col] = [self._pad(line, CELL_WIDTH, base) for line in wrapped]
        return lines


class _Row:
    """A claim row's cell texts, and the lines drawn from them so far."""

    __slots__ = ("cells", "head", "texts")

    def __init__(self, texts: list[Text]) -> None:
        self.texts = texts
        self.cells: dict[int, list[list[Segment]]] = {}
        self.head: list[list[list[Segment]] | None] = [None, None]
