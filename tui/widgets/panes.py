"""The row of source panes: one per article, mounted when it first comes into view.

A window of panes is shown at a time, as many as fit; it stays put while the focused pane
is in it and turns a page when that pane leaves, since moving it re-lays out every pane.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label

from tui.core.model import Analysis, Article, Claim, Statement
from tui.widgets.statements import LineState, StatementList


class SourcePanes(Horizontal):
    """The source panes (``boxes`` holds each one's header and list, ``lists`` the lists)."""

    def __init__(
        self,
        counts_of: Callable[[Article], Widget],
        mounted: Callable[[StatementList], None],
        moved: Callable[[StatementList], None] | None = None,
    ) -> None:
        super().__init__(id="panes")
        self.boxes: list[Vertical] = []
        self.lists: list[StatementList] = []
        self.start = 0  # the first pane of the window in view
        self.current = -1  # the reviewer's pane
        self._heads: dict[int, tuple[Label, Label]] = {}  # each mounted pane's name, title
        self.stale: set[str] = set()  # statements to restyle when the panes show again
        self.tail: Widget | None = None  # what stays after the panes (the aligned view)
        self._counts_of = counts_of  # the counts line of a pane's header
        self._mounted = mounted  # told of each pane as it is mounted
        self._moved = moved  # told when a pane's cursor moves

    def add(
        self,
        article: Article,
        statements: list[Statement],
        state_of: Callable[[Statement], LineState],
    ) -> None:
        """A pane for one article, mounted only when it first comes into view."""
        # The pane's own analysis holds only its article's statements: every pane scanning
        # every statement of the corpus cost seconds at a thousand articles.
        mine = Analysis(articles=[article], statements=statements, claims=[])
        self.boxes.append(Vertical(classes="pane"))
        self.lists.append(StatementList(mine, article, state_of, self._moved))

    async def clear(self) -> None:
        """Remove every pane, and the tail: a new story or the analysis replaces them."""
        await self.remove_children()
        self.boxes, self.lists = [], []
        self.start = 0
        self.current = -1
        self._heads.clear()
        self.stale.clear()
        self.tail = None

    def window(self, index: int, fit: int) -> None:
        """Show ``fit`` panes with pane ``index`` among them, mounting those not yet mounted."""
        start = self.start
        if index >= start + fit:
            start = index
        elif index < start:
            start = index - fit + 1
        start = self.start = max(0, min(start, len(self.boxes) - fit))
        for n, box in enumerate(self.boxes):
            box.display = start <= n < start + fit
        for n in range(start, min(start + fit, len(self.boxes))):
            self._mount(n)

    def _mount(self, n: int) -> None:
        """Mount pane ``n`` (in article order) if it is not yet: a thousand at once take 10 s."""
        box, pane = self.boxes[n], self.lists[n]
        if box.is_attached:
            return
        after: Widget | None = next((b for b in self.boxes[n + 1 :] if b.is_attached), None)
        if after is None and self.tail is not None and self.tail.is_attached:
            after = self.tail
        self.mount(box, before=after)
        if not box.is_attached:
            # The row is being cleared or replaced (an analysis arriving while the articles
            # are being read, on a busy machine): the next window() mounts the pane.
            return
        article = pane.article
        number = f"{n + 1} " if n < 9 else ""
        current = " -current" if n == self.current else ""
        heads = (
            Label(f"{number}{article.display_name}", classes="pane-name" + current, markup=False),
            Label(article.title, classes="pane-title" + current, markup=False),
        )
        self._heads[n] = heads
        box.mount(*heads, self._counts_of(article), pane)
        self._mounted(pane)

    def mark_current(self, index: int) -> None:
        """Mark pane ``index`` as the reviewer's (a class: :focus-within does not restyle a
        focused widget's siblings, so the pane's name and full title would not follow).

        The class goes on the pane's name and title, the two lines it restyles: on the pane
        itself, every widget of the old and the new pane (lists, scrollbars) was restyled.
        """
        old, self.current = self.current, index
        for n in {old, index}:
            for label in self._heads.get(n, ()):
                label.set_class(n == index, "-current")

    def show_all(self, show: bool) -> None:
        """Show or hide every pane (the aligned view takes their place)."""
        for box in self.boxes:
            box.display = show

    def restyle(self, ids: set[str]) -> None:
        """Redraw these statements' lines in every pane."""
        for pane in self.lists:
            pane.refresh_statements(ids)

    def follow(self, claim: Claim | None, changed: set[str], source: StatementList | None) -> None:
        """Redraw the ``changed`` lines and bring ``claim`` into view in every pane that
        shows it but ``source``, the pane the reviewer moved in."""
        for pane in self.lists:
            pane.refresh_statements(changed)
            if claim is None or pane is source:
                continue
            mine = [sid for sid in claim.statements if sid in pane.index_of]
            if mine:
                pane.follow(pane.index_of[mine[0]])

    def pane_of(self, statement_id: str) -> StatementList:
        """The pane showing a statement."""
        return next(p for p in self.lists if statement_id in p.index_of)
