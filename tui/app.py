"""The review app: articles side by side, claims highlighted, keyboard tagging.

The app presents core objects and sends intents back: tags and notes go to the
AnnotationStore, which saves after every change. Widgets never analyse anything.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.analysis.corpus import Corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Analysis, Claim, Kind, Statement, Status
from tui.core.review.annotations import (
    AnnotationStore,
    StoreError,
    atomic_write,
    load_reviews,
    reviewer_file,
)
from tui.core.review.exports import file_text, records, render
from tui.resources import styles_dir
from tui.screens.anchors import AnchorsScreen
from tui.screens.detail import DetailScreen
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.note import NoteScreen
from tui.widgets.footer import KeyFooter
from tui.widgets.statements import STATUS_GLYPH, TAG_GLYPH, LineState, StatementList
from tui.widgets.switcher import PaneSwitcher

FILTERS = ("all", "overlap", "divergent", "unique", "untagged")
# Actions on the review itself: not while help, export or the anchors list is open.
REVIEW_ACTIONS = frozenset(
    {"claim", "tag", "undo", "redo", "note", "detail", "search", "match", "filter"}
    | {"navigator", "copy", "anchors", "export"}
)
DETAIL_ACTIONS = frozenset({"tag", "undo", "redo", "note", "copy"})
PANE_MIN_WIDTH = 32
MIN_SIZE = (40, 12)
NARROW = (80, 24)


class ClaimDiffApp(App[int]):
    """Read the sources side by side and tag claims."""

    CSS_PATH = [str(styles_dir() / "claimdiff.tcss")]
    TITLE = "claimdiff"

    BINDINGS = [
        Binding("tab", "pane(1)", "Next pane", id="pane.next", priority=True),
        Binding("shift+tab", "pane(-1)", "Prev pane", show=False, id="pane.prev", priority=True),
        Binding("right_square_bracket", "claim(1)", "Next claim", id="claim.next"),
        Binding("left_square_bracket", "claim(-1)", "Prev claim", show=False, id="claim.prev"),
        Binding("c", "tag('confirmed')", "Confirm", id="tag.confirmed"),
        Binding("d", "tag('disputed')", "Dispute", id="tag.disputed"),
        Binding("u", "tag('unique')", "Unique", id="tag.unique"),
        Binding("x", "tag(None)", "Clear tag", show=False, id="tag.clear"),
        Binding("z", "undo", "Undo", show=False, id="undo"),
        Binding("Z", "redo", "Redo", show=False, id="redo"),
        Binding("a", "note", "Note", id="note"),
        Binding("enter", "detail", "Detail", id="detail"),
        Binding("slash", "search", "Search", show=False, id="search"),
        Binding("n", "match(1)", "Next match", show=False, id="match.next"),
        Binding("N", "match(-1)", "Prev match", show=False, id="match.prev"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("l", "navigator", "Claims", id="navigator"),
        Binding("y", "copy", "Copy", show=False, id="copy"),
        Binding("o", "anchors", "Changed anchors", show=False, id="anchors"),
        Binding("e", "export", "Export", show=False, id="export"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        corpus: Corpus | None = None,
        *,
        analysis: Analysis | None = None,
        annotations_dir: Path,
        reviewer: str,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.analysis: Analysis | None = analysis
        self.reviewer = reviewer
        self.annotations_dir = annotations_dir
        self.store_path = reviewer_file(annotations_dir, reviewer)
        self.store: AnnotationStore | None = None
        self.others: list[AnnotationStore] = []
        self._others_stamp: tuple[tuple[str, int], ...] = ()
        self.selected: Claim | None = None
        self.filter_mode = "all"
        self.search_term = ""
        self.matches: list[str] = []
        self.match_index = -1
        self.pane_index = 0
        self._pane_start = 0
        self._syncing = False
        self._order: list[Claim] = []
        self._boxes: list[Vertical] = []
        self._panes: list[StatementList] = []

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="loading"):
            yield Label("Analysing the corpus…", id="loading-label")
            yield ProgressBar(total=1.0, show_eta=False, id="loading-bar")
        yield PaneSwitcher(id="switcher")
        yield Horizontal(id="panes")
        yield OptionList(id="navigator", markup=False)
        yield Input(placeholder="search all panes; enter to find, esc to close", id="search")
        yield Static(
            "The terminal is too small for claimdiff.\nPlease enlarge it (at least 40×12).",
            id="too-small",
        )
        yield KeyFooter()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast; plain text unless asked, since messages quote search terms and paths."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        self.theme = self.theme or "textual-dark"
        # Printed before the app started, then hidden by its screen: say them again here.
        for warning in self.corpus.warnings if self.corpus else ():
            self.notify(warning, title="Corpus", severity="warning", timeout=12)
        if self.analysis is not None:
            self._show_analysis(self.analysis)
        else:
            self._analyse()

    @work(thread=True, exclusive=True)
    def _analyse(self) -> None:
        assert self.corpus is not None
        worker = get_current_worker()

        def progress(stage: str, fraction: float) -> None:
            if not worker.is_cancelled:
                self.call_from_thread(self._show_progress, stage, fraction)

        analysis = analyze(self.corpus, progress=progress)
        if not worker.is_cancelled:
            self.call_from_thread(self._show_analysis, analysis)

    def _show_progress(self, stage: str, fraction: float) -> None:
        self.query_one("#loading-label", Label).update(f"Analysing the corpus: {stage}…")
        self.query_one("#loading-bar", ProgressBar).update(progress=fraction)

    def _show_analysis(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.store = self._open_store(analysis)
        if self.store.message:
            self.notify(self.store.message, title="Annotations", severity="warning", timeout=10)
        lost = [a.anchor for a in self.store.unanchored()] + ["hidden"] * len(self.store.hidden())
        if lost:
            self.notify(
                f"{len(lost)} of your annotations need a look: the articles changed under them "
                f"({lost.count('text_changed')} text changed, {lost.count('orphaned')} orphaned, "
                f"{lost.count('hidden')} sharing a claim). Press o to list them.",
                title="Annotations",
                severity="warning",
                timeout=15,
            )
        self.query_one("#loading").display = False
        panes = self.query_one("#panes", Horizontal)
        for article in analysis.articles:
            box = Vertical(classes="pane")
            panes.mount(box)
            box.mount(Label(article.title, classes="pane-title", markup=False))
            box.mount(Label(self._pane_counts(article.id), classes="pane-counts"))
            pane = StatementList(analysis, article, self._line_state)
            box.mount(pane)
            self._boxes.append(box)
            self._panes.append(pane)
        self._order = self._claims_in_order()
        self.refresh_others()
        self._fill_navigator()
        self.set_interval(2.0, self.refresh_others)
        self.call_after_refresh(self._after_show)

    def _after_show(self) -> None:
        lists = self._panes
        if lists:
            lists[0].focus()
            first = next((s for s in lists[0].statements if s.kind is Kind.CLAIM), None)
            if first is not None:
                lists[0].highlighted = lists[0].index_of[first.id]
        self._arrange_panes()
        self.refresh_bindings()  # the review keys were off while analysing

    def _open_store(self, analysis: Analysis) -> AnnotationStore:
        return AnnotationStore.open(self.store_path, self.reviewer, analysis)

    def _others_changed(self) -> bool:
        """Whether another reviewer's file appeared, vanished or changed on disk."""
        stamp: list[tuple[str, int]] = []
        with contextlib.suppress(OSError):
            for p in sorted(self.annotations_dir.glob("*.json")):
                if p != self.store_path:
                    stamp.append((p.name, p.stat().st_mtime_ns))
        if tuple(stamp) == self._others_stamp:
            return False
        self._others_stamp = tuple(stamp)
        return True

    def refresh_others(self) -> None:
        """Re-read other reviewers' tags when their files change on disk."""
        if self.analysis is None or not self._others_changed():
            return
        before = self._others_tags()
        own = self.store_path.resolve()
        self.others = [
            r for r in load_reviews(self.annotations_dir, self.analysis) if r.path.resolve() != own
        ]
        after = self._others_tags()
        changed = {cid for cid in before.keys() | after.keys() if before.get(cid) != after.get(cid)}
        if not changed:
            return
        # Restyle only the claims whose tags changed: a colleague tagging every few seconds
        # must not make every pane redraw.
        claims = (self.analysis.claim(cid) for cid in changed)
        ids = {sid for c in claims if c is not None for sid in c.statements}
        for pane in self._panes:
            pane.refresh_statements(ids)
        self._fill_navigator()

    def _others_tags(self) -> dict[str, tuple[tuple[str, str | None], ...]]:
        tags: dict[str, list[tuple[str, str | None]]] = {}
        for r in self.others:
            for a in r.annotations.values():
                if a.attached_to is not None:
                    tags.setdefault(a.attached_to, []).append((r.reviewer, r.tag_of(a.attached_to)))
        return {cid: tuple(sorted(v, key=str)) for cid, v in tags.items()}

    def others_summary(self, claim: Claim) -> str:
        """Other reviewers' tags on a claim, e.g. ``✓2 ✗1``."""
        counts: dict[str, int] = {}
        for r in self.others:
            tag = r.tag_of(claim.id)
            if tag:
                counts[tag] = counts.get(tag, 0) + 1
        return " ".join(
            f"{TAG_GLYPH[t]}{counts[t]}" for t in ("confirmed", "disputed", "unique") if t in counts
        )

    def on_resize(self) -> None:
        # The new size reaches the widgets on the next refresh.
        self._arrange_panes()
        self.call_after_refresh(self._arrange_panes)

    def _arrange_panes(self) -> None:
        """Show as many panes as fit, the focused one among them; one at a time when narrow."""
        width, height = self.size
        too_small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        self.query_one("#too-small").display = too_small
        self.query_one("#panes").display = not too_small and self.analysis is not None
        switcher = self.query_one("#switcher", PaneSwitcher)
        boxes = self._boxes
        if not boxes or too_small:
            switcher.display = False
            return
        narrow = width < NARROW[0] or height < NARROW[1]
        nav = self.query_one("#navigator")
        available = width - (nav.outer_size.width if nav.display else 0)
        fit = 1 if narrow else max(1, min(len(boxes), available // PANE_MIN_WIDTH))
        # The window stays put while the focused pane is in it and turns a page when it
        # leaves: moving the window re-lays out every pane, too slow to do on each tab.
        start = self._pane_start
        if self.pane_index >= start + fit:
            start = self.pane_index
        elif self.pane_index < start:
            start = self.pane_index - fit + 1
        start = self._pane_start = max(0, min(start, len(boxes) - fit))
        for n, box in enumerate(boxes):
            box.display = start <= n < start + fit
        switcher.display = fit < len(boxes)
        if switcher.display and self.analysis is not None:
            title = self.analysis.articles[self.pane_index].title
            switcher.label = (
                f"◀ pane {self.pane_index + 1}/{len(boxes)}: {title[:60]} ▶  (tab / shift+tab)"
            )

    # ------------------------------------------------------------------ state

    def _tag(self, claim: Claim) -> str | None:
        return self.store.tag_of(claim.id) if self.store else None

    def _claim_of(self, statement: Statement) -> Claim | None:
        if self.analysis is None:
            return None
        claims = self.analysis.claims_of(statement.id)
        if self.selected is not None and self.selected in claims:
            return self.selected
        return claims[0] if claims else None

    def _passes(self, claim: Claim) -> bool:
        mode = self.filter_mode
        if mode == "all":
            return True
        if mode == "untagged":
            return self._tag(claim) is None
        return claim.status.value == mode

    def _line_state(self, statement: Statement) -> LineState:
        claim = self._claim_of(statement)
        if claim is None:
            return LineState(None, None, False, True, False, "")
        return LineState(
            status=claim.status,
            tag=self._tag(claim),
            selected=self.selected is not None and statement.id in self.selected.statements,
            passes_filter=self._passes(claim),
            match=statement.id in self.matches,
            others=self.others_summary(claim) if self.others else "",
        )

    def _claims_in_order(self) -> list[Claim]:
        assert self.analysis is not None
        return [c for c in self.analysis.claims if self._passes(c)]

    def _pane_counts(self, article_id: str) -> str:
        assert self.analysis is not None
        counts = dict.fromkeys(Status, 0)
        for c in self.analysis.claims:
            if any(self.analysis.statement(s).article == article_id for s in c.statements):
                counts[c.status] += 1
        return (
            f"= {counts[Status.OVERLAP]} overlap  ≠ {counts[Status.DIVERGENT]} divergent  "
            f"◇ {counts[Status.UNIQUE]} unique"
        )

    def _nav_prompt(self, claim: Claim) -> str:
        assert self.analysis is not None
        n = len(self.analysis.sources_of(claim))
        first = self.analysis.statement(claim.statements[0]).text
        words = " ".join(first.split()[:8])
        tag = TAG_GLYPH[self._tag(claim)]
        others = self.others_summary(claim) if self.others else ""
        others = f" [{others}]" if others else ""
        return (
            f"{STATUS_GLYPH[claim.status]}{tag} {n}/{len(self.analysis.articles)}{others} {words}"
        )

    def _fill_navigator(self) -> None:
        nav = self.query_one("#navigator", OptionList)
        nav.clear_options()
        nav.add_options(Option(self._nav_prompt(c), id=c.id) for c in self._order)

    # ------------------------------------------------------------------ selection

    def select_claim(self, claim: Claim | None, source: StatementList | None = None) -> None:
        """Select a claim: restyle its lines and bring its statements into view in every pane."""
        if self.analysis is None:
            return
        old = self.selected
        self.selected = claim
        changed = set(old.statements if old else ()) | set(claim.statements if claim else ())
        self._syncing = True
        try:
            for pane in self._panes:
                pane.refresh_statements(changed)
                if claim is None or pane is source:
                    continue
                mine = [sid for sid in claim.statements if sid in pane.index_of]
                if mine:
                    pane.highlighted = pane.index_of[mine[0]]
                    pane.scroll_to_highlight(top=False)
            nav = self.query_one("#navigator", OptionList)
            if claim is not None and claim in self._order:
                nav.highlighted = self._order.index(claim)
        finally:
            self.call_after_refresh(self._end_sync)

    def _end_sync(self) -> None:
        self._syncing = False

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._syncing or self.analysis is None:
            return
        if isinstance(event.option_list, StatementList):
            statement = event.option_list.current()
            if statement is not None:
                claims = self.analysis.claims_of(statement.id)
                if claims and (self.selected not in claims):
                    self.select_claim(claims[0], source=event.option_list)
        elif event.option_list.id == "navigator" and event.option_id:
            claim = self.analysis.claim(event.option_id)
            if claim is not None and claim is not self.selected:
                self.select_claim(claim)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # enter on a statement or on a navigator entry: both have selected the claim by now.
        if isinstance(event.option_list, StatementList) or event.option_list.id == "navigator":
            self.action_detail()

    def on_descendant_focus(self) -> None:
        focused = self.focused
        if isinstance(focused, StatementList):
            lists = self._panes
            self.pane_index = lists.index(focused)
            self._arrange_panes()

    # ------------------------------------------------------------------ actions

    def action_pane(self, step: int) -> None:
        """Focus the next or previous pane."""
        if isinstance(self.screen, (DetailScreen, NoteScreen, HelpScreen)):
            self.screen.focus_next() if step > 0 else self.screen.focus_previous()
            return
        lists = self._panes
        if not lists:
            return
        self.pane_index = (self.pane_index + step) % len(lists)
        self._arrange_panes()
        lists[self.pane_index].focus()

    def action_claim(self, step: int) -> None:
        """Move to the next or previous claim across the corpus (navigator order)."""
        if not self._order:
            return
        if self.selected in self._order:
            n = (self._order.index(self.selected) + step) % len(self._order)
        else:
            n = 0 if step > 0 else len(self._order) - 1
        self._goto(self._order[n])

    def _goto(self, claim: Claim) -> None:
        """Select a claim and put the focused pane's cursor on it (switching pane if needed)."""
        assert self.analysis is not None
        lists = self._panes
        first = self.analysis.statement(claim.statements[0])
        pane = next(p for p in lists if first.id in p.index_of)
        focused = self.focused if isinstance(self.focused, StatementList) else None
        mine = [s for s in claim.statements if focused and s in focused.index_of]
        if focused is not None and mine:
            pane, first = focused, self.analysis.statement(mine[0])
        self.select_claim(claim)
        self._syncing = True
        pane.highlighted = pane.index_of[first.id]
        pane.scroll_to_highlight()
        if pane is not focused:
            self.pane_index = lists.index(pane)
            pane.focus()
            self._arrange_panes()
        self.call_after_refresh(self._end_sync)

    def _refresh_claim(self, claim: Claim) -> None:
        for pane in self._panes:
            pane.refresh_statements(set(claim.statements))
        # Status counts in the pane headers do not depend on tags: only the order changes.
        self._order = self._claims_in_order()
        self._fill_navigator()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Review keys act on the main screen; the detail view keeps tagging and notes."""
        return self._allowed(action, self.screen)

    def _allowed(self, action: str, screen: Screen[Any]) -> bool:
        if self.analysis is None:
            return action not in REVIEW_ACTIONS and action != "pane"  # still analysing
        if screen is self.screen_stack[0] or action not in REVIEW_ACTIONS:
            return True
        return isinstance(screen, DetailScreen) and action in DETAIL_ACTIONS

    def action_tag(self, tag: str | None) -> None:
        """Tag the selected claim, then move on to the next untagged claim."""
        if self.selected is None or self.store is None:
            return
        claim = self.selected
        try:
            changed = self.store.set_tag(claim.id, tag)
        except (StoreError, OSError) as exc:
            self.notify(f"Not saved: {exc}", severity="error")
            return
        if not changed:
            return
        self._refresh_claim(claim)
        if isinstance(self.screen, DetailScreen):
            self._refresh_detail(claim)  # stay on the claim being read
        elif tag is not None:
            self._next_untagged(claim)

    def _next_untagged(self, after: Claim) -> None:
        assert self.analysis is not None
        claims = self.analysis.claims
        start = claims.index(after)
        for c in claims[start + 1 :] + claims[:start]:
            if self._tag(c) is None and self._passes(c):
                self._goto(c)
                return

    def _undo_redo(self, redo: bool) -> None:
        if self.store is None or self.analysis is None:
            return
        try:
            change = self.store.redo() if redo else self.store.undo()
        except (StoreError, OSError) as exc:
            self.notify(f"Not saved: {exc}", severity="error")
            return
        if change is None:
            self.notify("Nothing to redo" if redo else "Nothing to undo")
            return
        claim = self.analysis.claim(change.claim)
        if claim is not None:
            self._refresh_claim(claim)
            self._goto(claim)
            self._refresh_detail(claim)
        verb = "Redone" if redo else "Undone"
        self.notify(f"{verb}: {change.field} {change.before or 'none'} → {change.after or 'none'}")

    def action_undo(self) -> None:
        """Undo the last change of this session."""
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        """Redo the last undone change."""
        self._undo_redo(redo=True)

    def action_note(self) -> None:
        """Add or edit the selected claim's note."""
        if self.selected is None or self.store is None:
            return
        claim = self.selected

        def done(text: str | None) -> None:
            if text is not None:
                self._save_note(claim, text)

        self.push_screen(
            NoteScreen(self.store.note_of(claim.id), "Note on this claim", claim.id), done
        )

    def _save_note(self, claim: Claim, text: str) -> None:
        if self.store is None:
            return
        try:
            if self.store.set_note(claim.id, text):
                self.notify("Note saved")
                self._refresh_detail(claim)
        except (StoreError, OSError) as exc:
            self.notify(f"Not saved: {exc}", severity="error")

    def _refresh_detail(self, claim: Claim) -> None:
        screen = self.screen
        if isinstance(screen, DetailScreen) and screen.claim.id == claim.id and self.store:
            screen.show_tag(self.store.tag_of(claim.id))
            screen.show_note(self.store.note_of(claim.id))

    async def action_quit(self) -> None:
        """Quit; a note still being edited is saved first, so nothing typed is lost."""
        screen = self.screen
        if isinstance(screen, NoteScreen) and screen.edited() and self.analysis is not None:
            claim = self.analysis.claim(screen.claim_id)
            if claim is not None:
                self._save_note(claim, screen.text())
        self.exit()

    def action_detail(self) -> None:
        """Open the selected claim's detail view."""
        if self.selected is None or self.analysis is None:
            return
        claim = self.selected
        note = self.store.note_of(claim.id) if self.store else ""
        others = {r.reviewer: r.tag_of(claim.id) for r in self.others if r.for_claim(claim.id)}
        mine = self.store.for_claim(claim.id) if self.store else None
        self.push_screen(
            DetailScreen(self.analysis, claim, self._tag(claim), note, others, annotation=mine)
        )

    def action_anchors(self) -> None:
        """List the annotations whose articles changed (text changed or orphaned)."""
        if self.analysis is not None and self.store is not None:
            self.push_screen(AnchorsScreen(self.store))

    def action_search(self) -> None:
        """Open the search box."""
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search" or self.analysis is None:
            return
        term = event.value.strip().lower()
        event.input.display = False
        self.search_term = term
        old = set(self.matches)
        self.matches = (
            [s.id for s in self.analysis.statements if term in s.text.lower()] if term else []
        )
        for pane in self._panes:
            pane.refresh_statements(old | set(self.matches))
        self.match_index = -1
        if not self.matches:
            self.notify(f"No match for {term!r}" if term else "Search cleared")
            self._focus_pane()
            return
        self.notify(f"{len(self.matches)} statements match {term!r} (n / N)")
        self.action_match(1)

    def on_key(self, event: events.Key) -> None:
        box = self.query_one("#search", Input)
        if event.key == "escape" and box.display:
            box.display = False
            self._focus_pane()

    def _focus_pane(self) -> None:
        lists = self._panes
        if lists:
            lists[min(self.pane_index, len(lists) - 1)].focus()

    def action_match(self, step: int) -> None:
        """Go to the next or previous search match."""
        if not self.matches or self.analysis is None:
            return
        self.match_index = (self.match_index + step) % len(self.matches)
        statement = self.analysis.statement(self.matches[self.match_index])
        lists = self._panes
        pane = next(p for p in lists if statement.id in p.index_of)
        self.pane_index = lists.index(pane)
        pane.focus()
        self._arrange_panes()
        pane.highlighted = pane.index_of[statement.id]
        pane.scroll_to_highlight()

    def action_filter(self) -> None:
        """Cycle the filter: all, overlap, divergent, unique, untagged."""
        self.filter_mode = FILTERS[(FILTERS.index(self.filter_mode) + 1) % len(FILTERS)]
        self._order = self._claims_in_order()
        self._fill_navigator()
        for pane in self._panes:
            pane.rebuild()
        self.sub_title = f"filter: {self.filter_mode}"
        self.notify(f"Filter: {self.filter_mode} ({len(self._order)} claims)")

    def action_navigator(self) -> None:
        """Show or hide the claim navigator."""
        nav = self.query_one("#navigator", OptionList)
        nav.display = not nav.display
        if nav.display:
            nav.focus()
        else:
            self._focus_pane()
        self.call_after_refresh(self._arrange_panes)

    def claim_text(self, claim: Claim) -> str:
        """The claim's statements with their sources, for the clipboard."""
        assert self.analysis is not None
        lines = []
        for sid in claim.statements:
            s = self.analysis.statement(sid)
            lines.append(f"[{self.analysis.article(s.article).title}] {s.text}")
        return "\n".join(lines)

    def action_copy(self) -> None:
        """Copy the selected claim to the clipboard (OSC 52 works over SSH)."""
        if self.selected is None:
            return
        self.copy_to_clipboard(self.claim_text(self.selected))
        self.notify("Claim copied to the clipboard")

    def action_export(self) -> None:
        """Export every reviewer's reviewed claims to a file (dialog)."""
        if self.analysis is None:
            return
        analysis = self.analysis
        reviews = ([self.store] if self.store else []) + self.others

        def done(choice: tuple[str, Path] | None) -> None:
            if choice is None:
                return
            fmt, path = choice
            rows = records(analysis, reviews)
            try:
                atomic_write(path, file_text(fmt, render(fmt, rows)))
            except OSError as exc:
                self.notify(f"Cannot write {path}: {exc.strerror or exc}", severity="error")
                return
            self.notify(f"{len(rows)} claims exported to {path}")

        # Where the reviewer started claimdiff: the annotation directory holds only
        # reviewers' files (every .json there is read as one).
        self.push_screen(ExportScreen(Path.cwd()), done)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: theme and quit from Textual, then every action of the bindings."""
        yield from super().get_system_commands(screen)
        seen = {"quit"}
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or binding.action in seen:
                continue
            if not self._allowed(binding.action.split("(")[0], screen):
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                f"key: {self.get_key_display(binding)}",
                partial(self.run_action, binding.action),
            )

    def action_help(self) -> None:
        """Show every key and the legend."""
        self.push_screen(HelpScreen(self.help_bindings()))

    def help_bindings(self) -> list[Binding]:
        """The app's real bindings plus the pane's movement keys, as the help lists them."""
        pane = [b for b in StatementList.BINDINGS if isinstance(b, Binding)]
        palette = Binding("ctrl+p", "", "Command palette (every action, export, theme)")
        app = [b if isinstance(b, Binding) else Binding(*b) for b in self.BINDINGS]
        return [*pane, palette, *app]

    def on_unmount(self) -> None:
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.store.release()


def run_app(corpus: Corpus, annotations_dir: Path, reviewer: str) -> int:
    """Run the review app until the reviewer quits."""
    app = ClaimDiffApp(corpus, annotations_dir=annotations_dir, reviewer=reviewer)
    app.run()
    return app.return_code or 0
