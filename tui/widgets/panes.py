"""The row of source panes: one per article, mounted when it first comes into view.

A window of panes is shown at a time, as many as fit; it stays put while the focused pane
is in it and turns a page when that pane leaves, since moving it re-lays out every pane.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label

from tui.core.model import Analysis, Article, Claim, Statement
from tui.widgets.statements import LineState, StatementList


class PaneLists(Sequence[StatementList]):
    """The panes' lists in article order, each made when first asked for.

    Making a thousand lists up front was a fifth of a second of the re-open of 1,000
    articles, for panes most of which are never shown; ``made()`` walks only those made.
    """

    def __init__(self, make: Callable[[int], StatementList]) -> None:
        self._make = make
        self._lists: list[StatementList | None] = []
        self._number: dict[int, int] = {}  # id() of each made list: its place

    def add_slot(self) -> None:
        """Room for one more pane's list, made on first use."""
        self._lists.append(None)

    def __len__(self) -> int:
        return len(self._lists)

    @overload
    def __getitem__(self, n: int) -> StatementList: ...

    @overload
    def __getitem__(self, n: slice) -> list[StatementList]: ...

    def __getitem__(self, n: int | slice) -> StatementList | list[StatementList]:
        if isinstance(n, slice):
            return [self[k] for k in range(len(self._lists))[n]]
        pane = self._lists[n]
        if pane is None:
            n = range(len(self._lists))[n]  # a negative index counts from the end
            pane = self._lists[n] = self._make(n)
            self._number[id(pane)] = n
        return pane

    def index(self, pane: object, start: int = 0, stop: int | None = None) -> int:
        """The place of a list (one never made is in no place)."""
        n = self._number.get(id(pane))
        if n is None or self._lists[n] is not pane or n < start or (stop is not None and n >= stop):
            raise ValueError("not a pane of this row")
        return n

    def made(self) -> Iterator[StatementList]:
        """The lists made so far, in article order."""
        return (pane for pane in self._lists if pane is not None)


class SourcePanes(Horizontal):
    """The source panes: each one's box (header and list) and ``lists``, made on first use."""

    def __init__(
        self,
        counts_of: Callable[[Article], Widget],
        mounted: Callable[[StatementList], None],
        moved: Callable[[StatementList], None] | None = None,
    ) -> None:
        super().__init__(id="panes")
        self._articles: list[tuple[Article, list[Statement], Callable[[Statement], LineState]]] = []
        self._boxes: dict[int, Vertical] = {}  # the boxes made so far, by pane number
        self.lists = PaneLists(self._make)
        self._pane_of: dict[str, int] = {}  # each statement's pane
        self._claim: Claim | None = None  # the claim the panes last followed
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
        n = len(self._articles)
        self._articles.append((article, statements, state_of))
        self.lists.add_slot()
        self._pane_of.update(dict.fromkeys((s.id for s in statements), n))

    def _make(self, n: int) -> StatementList:
        article, statements, state_of = self._articles[n]
        # The pane's own analysis holds only its article's statements: every pane scanning
        # every statement of the corpus cost seconds at a thousand articles.
        mine = Analysis(articles=[article], statements=statements, claims=[])
        pane = StatementList(mine, article, state_of, self._moved)
        claim = self._claim
        if claim is not None:  # as follow() left the panes made before it
            first = next((sid for sid in claim.statements if sid in pane.index_of), None)
            if first is not None:
                pane.follow(pane.index_of[first])
        return pane

    def _box(self, n: int) -> Vertical:
        box = self._boxes.get(n)
        if box is None:
            box = self._boxes[n] = Vertical(classes="pane")
        return box

    async def clear(self) -> None:
        """Remove every pane, and the tail: a new story or the analysis replaces them."""
        await self.remove_children()
        self._articles, self._boxes, self._pane_of = [], {}, {}
        self.lists = PaneLists(self._make)
        self._claim = None
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
        count = len(self._articles)
        start = self.start = max(0, min(start, count - fit))
        for n, box in self._boxes.items():
            box.display = start <= n < start + fit
        for n in range(start, min(start + fit, count)):
            self._mount(n)

    def _mount(self, n: int) -> None:
        """Mount pane ``n`` (in article order) if it is not yet: a thousand at once take 10 s."""
        box, pane = self._box(n), self.lists[n]
        if box.is_attached:
            return
        after: Widget | None = min(
            ((k, b) for k, b in self._boxes.items() if k > n and b.is_attached),
            default=(0, None),
            key=lambda kb: kb[0],
        )[1]
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
        for box in self._boxes.values():
            box.display = show

    def restyle(self, ids: set[str]) -> None:
        """Redraw these statements' lines in every pane."""
        for pane in self.lists.made():  # one not made yet draws the current state
            pane.refresh_statements(ids)

    def follow(self, claim: Claim | None, changed: set[str], source: StatementList | None) -> None:
        """Redraw the ``changed`` lines and bring ``claim`` into view in every pane that
        shows it but ``source``, the pane the reviewer moved in."""
        self._claim = claim
        for pane in self.lists.made():  # one made later follows as it is made
            pane.refresh_statements(changed)
            if claim is None or pane is source:
                continue
            mine = [sid for sid in claim.statements if sid in pane.index_of]
            if mine:
                pane.follow(pane.index_of[mine[0]])

    def pane_of(self, statement_id: str) -> StatementList:
        """The pane showing a statement."""
        return self.lists[self._pane_of[statement_id]]
