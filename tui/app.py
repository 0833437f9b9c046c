"""The review app: articles side by side, claims highlighted, keyboard tagging.

The app presents core objects and sends intents back: tags and notes go to the
AnnotationStore, which saves after every change. Widgets never analyse anything.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.analysis import background
from tui.core.analysis.cache import AnalysisCache
from tui.core.analysis.corpus import Corpus
from tui.core.model import Analysis, Article, Claim, Statement, Status, Story
from tui.core.review.annotations import (
    AnnotationStore,
    StoreError,
    atomic_write,
    reviewer_file,
)
from tui.core.review.exports import (
    ExportOptions,
    export,
    file_text,
    records,
    site_url_problem,
)
from tui.core.review.session import FILTERS, OtherReviewers, ReviewSession
from tui.keymap import keymap_path, load_keymap
from tui.resources import styles_dir
from tui.screens.anchors import AnchorsScreen
from tui.screens.detail import DetailScreen
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.note import NoteScreen
from tui.screens.stories import StoryPicker
from tui.widgets.aligned import AlignedView
from tui.widgets.counts import PaneCounts
from tui.widgets.footer import KeyFooter
from tui.widgets.navigator import ClaimNavigator
from tui.widgets.statements import STATUS_GLYPH, TAG_GLYPH, LineState, StatementList
from tui.widgets.status import StatusBar
from tui.widgets.switcher import PaneSwitcher
from tui.widgets.themes import ANSI_THEMES, Depth, colour_depth, needs_ansi, theme_for

__all__ = ["FILTERS", "ClaimDiffApp", "keymap_path", "load_keymap", "run_app"]

# Actions on the review itself: not while help, export or the anchors list is open.
REVIEW_ACTIONS = frozenset(
    {"claim", "tag", "undo", "redo", "note", "detail", "search", "match", "filter"}
    | {"navigator", "copy", "anchors", "export", "aligned", "difference", "pane_to"}
)
DETAIL_ACTIONS = frozenset({"tag", "undo", "redo", "note", "copy"})
PANE_MIN_WIDTH = 32
MIN_SIZE = (40, 12)
NARROW = (80, 24)
# How a statement looks before its story's claims arrive: text only, nothing to tag.
READING = LineState(None, None, False, True, False, "", (), ())


class AnalysisEvent(Message):
    """A step of the background analysis (articles read, progress, done), posted by its worker.

    The worker never touches a widget: the app's handler owns every change on screen.
    """

    def __init__(self, event: background.Event) -> None:
        super().__init__()
        self.event = event


class ClaimDiffApp(App[int]):
    """Read the sources side by side and tag claims; a presenter of a ReviewSession."""

    CSS_PATH = [str(styles_dir() / "claimdiff.tcss")]
    TITLE = "claimdiff"

    # ? and q come first: the footer cuts from the right on a narrow terminal.
    BINDINGS = [
        Binding("question_mark", "help", "Help, all keys", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("tab", "pane(1)", "Next pane", show=False, id="pane.next", priority=True),
        Binding("shift+tab", "pane(-1)", "Prev pane", show=False, id="pane.prev", priority=True),
        *(
            Binding(str(n), f"pane_to({n})", f"Pane {n}", show=False, id=f"pane.{n}")
            for n in range(1, 10)
        ),
        Binding("right_square_bracket", "claim(1)", "Next claim", id="claim.next"),
        Binding("left_square_bracket", "claim(-1)", "Prev claim", show=False, id="claim.prev"),
        Binding(
            "greater_than_sign",
            "difference(1)",
            "Next difference",
            show=False,
            id="difference.next",
        ),
        Binding(
            "less_than_sign", "difference(-1)", "Prev difference", show=False, id="difference.prev"
        ),
        Binding("c", "tag('confirmed')", "Confirm", id="tag.confirmed"),
        Binding("d", "tag('disputed')", "Dispute", id="tag.disputed"),
        Binding("u", "tag('unique')", "Unique", id="tag.unique"),
        Binding(
            "C", "tag('confirmed', False)", "Confirm, stay", show=False, id="tag.confirmed.stay"
        ),
        Binding("D", "tag('disputed', False)", "Dispute, stay", show=False, id="tag.disputed.stay"),
        Binding("U", "tag('unique', False)", "Unique, stay", show=False, id="tag.unique.stay"),
        Binding("x", "tag(None)", "Clear tag", show=False, id="tag.clear"),
        Binding("z", "undo", "Undo", show=False, id="undo"),
        Binding("Z", "redo", "Redo", show=False, id="redo"),
        Binding("a", "note", "Note", id="note"),
        Binding("enter", "detail", "Detail", id="detail"),
        Binding("v", "aligned", "Aligned", id="aligned"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("slash", "search", "Search", id="search"),
        Binding("n", "match(1)", "Next match", show=False, id="match.next"),
        Binding("N", "match(-1)", "Prev match", show=False, id="match.prev"),
        Binding("l", "navigator", "Claims", show=False, id="navigator"),
        Binding("y", "copy", "Copy", show=False, id="copy"),
        Binding("o", "anchors", "Changed anchors", show=False, id="anchors"),
        Binding("e", "export", "Export", show=False, id="export"),
        Binding("s", "stories", "Stories", show=False, id="stories"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        corpus: Corpus | None = None,
        *,
        analysis: Analysis | None = None,
        annotations_dir: Path,
        reviewer: str,
        theme: str | None = None,
        keymap: Path | None = None,
        depth: Depth | None = None,
        cache: AnalysisCache | None = None,
    ) -> None:
        # NO_COLOR: colours are dropped, not turned into greys (two greys can be one grey);
        # the glyphs and text styles carry every meaning on their own.
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        for t in ANSI_THEMES:
            self.register_theme(t)
        self.depth: Depth = depth or colour_depth(self.console.color_system, os.environ)
        if needs_ansi(self.depth):
            self.ansi_color = True
        self._start_theme = theme
        self._keymap_path = keymap
        self.corpus = corpus
        self.cache = cache  # an unchanged corpus re-opens from it without analysing
        self.analysis: Analysis | None = analysis  # the story on screen
        self.full_analysis: Analysis | None = analysis  # every story of the corpus
        self.story_id: str | None = None
        self.reviewer = reviewer
        self.annotations_dir = annotations_dir
        self.store_path = reviewer_file(annotations_dir, reviewer)
        self.store: AnnotationStore | None = None
        self.session: ReviewSession | None = None
        self._others = OtherReviewers(annotations_dir, self.store_path)
        self.save_problem = ""  # why changes are not saved, shown until it is fixed
        self.pane_index = 0
        self._pane_start = 0
        self._syncing = False
        self._boxes: list[Vertical] = []
        self._panes: list[StatementList] = []
        self._stale: set[str] = set()  # statements to restyle when the panes show again
        self._aligned_view: AlignedView | None = None
        self._read = 0  # articles shown while the analysis runs
        self._stage = ""  # what the analysis is doing, as the loading line says it
        self._resume: tuple[int, str | None] | None = None  # the reader's place, kept
        self._counts: tuple[ReviewSession, dict[str, dict[Status, int]]] | None = None

    # ------------------------------------------------------------------ session views

    @property
    def selected(self) -> Claim | None:
        """The current claim."""
        return self.session.selected if self.session else None

    @property
    def filter_mode(self) -> str:
        """The active filter."""
        return self.session.filter_mode if self.session else "all"

    @property
    def matches(self) -> list[str]:
        """The statements the last search found."""
        return self.session.matches if self.session else []

    @property
    def _order(self) -> list[Claim]:
        return self.session.order if self.session else []

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="loading"):
            yield Label("Analysing the corpus…", id="loading-label")
            yield ProgressBar(total=1.0, show_eta=False, id="loading-bar")
        yield PaneSwitcher(id="switcher")
        yield Horizontal(id="panes")
        yield ClaimNavigator()
        yield Input(placeholder="search all panes; enter to find, esc to close", id="search")
        yield Static(
            "The terminal is too small for claimdiff.\nPlease enlarge it (at least 40×12).",
            id="too-small",
        )
        yield StatusBar(id="status")
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

    def validate_theme(self, name: str) -> str:
        """A 16-colour or NO_COLOR terminal shows a theme's ANSI twin (dark or light)."""
        theme = self.get_theme(name)
        return theme_for(name, theme.dark if theme else True, self.depth)

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit, in plain words."""
        self.notify("Press q (or ctrl+q) to quit claimdiff", title="Do you want to quit?")

    def on_mount(self) -> None:
        self.theme = self._start_theme or self.theme or "textual-dark"
        self._apply_keymap()
        # Printed before the app started, then hidden by its screen: say them again here.
        for warning in self.corpus.warnings if self.corpus else ():
            self.notify(warning, title="Corpus", severity="warning", timeout=12)
        self._show_status()
        if self.analysis is not None:
            self._show_analysis(self.analysis)
        else:
            self._analyse()

    def _apply_keymap(self) -> None:
        path = self._keymap_path
        if path is None:
            return
        keymap, problem = load_keymap(path, set(self._binding_ids()))
        if problem:
            self.notify(problem, title="Keymap", severity="error", timeout=20)
        if keymap:
            self.set_keymap(keymap)

    @work(thread=True, exclusive=True)
    def _analyse(self) -> None:
        """Read the cache or analyse, in this thread or a child process; post each step."""
        assert self.corpus is not None
        worker = get_current_worker()

        def send(event: background.Event) -> None:
            if not worker.is_cancelled:
                self.post_message(AnalysisEvent(event))

        background.analyse(self.corpus, self.cache, send, lambda: worker.is_cancelled)

    async def on_analysis_event(self, message: AnalysisEvent) -> None:
        event = message.event
        if isinstance(event, background.Read):
            self._show_read(event.articles, event.statements)
        elif isinstance(event, background.Progress):
            self._show_progress(event.stage, event.fraction)
        elif isinstance(event, background.Failed):
            self._stage = f"✗ the analysis failed ({event.message}): no claims to tag"
            self._show_loading()
            self.notify(event.message, title="Analysis failed", severity="error", timeout=20)
        else:
            focused = self._panes[self.pane_index].current() if self._panes else None
            self._resume = (self.pane_index, focused.id if focused else None)
            await self._clear_panes()
            # The analysis lives as long as the app: the collector need not walk its million
            # objects again on every full pass (a second, over opening 1,000 articles).
            gc.freeze()
            self._show_analysis(event.analysis)

    def _show_read(self, articles: list[Article], statements: list[Statement]) -> None:
        """Show newly segmented articles at once; claims and highlights come later."""
        of: dict[str, list[Statement]] = {}
        for s in statements:
            of.setdefault(s.article, []).append(s)
        first = not self._panes
        for article in articles:
            self._add_pane(article, of.get(article.id, []), lambda _s: READING)
        self._read += len(articles)
        self.query_one("#loading").add_class("-reading")
        if self._stage == "":
            self._stage = "segmenting"
        self._show_loading()
        self._arrange_panes()
        if first:
            self._boxes[0].add_class("-current")
            self._panes[0].focus()
            self.refresh_bindings()  # tab and 1–9 move between the panes already

    def _show_loading(self, fraction: float | None = None) -> None:
        total = len(self.corpus.articles) if self.corpus else 0
        parts = [f"{self._read:,} / {total:,} articles read"] if self._read else []
        parts.append(f"claims: {self._stage}…" if self._stage else "Analysing the corpus…")
        if self._read and "failed" not in self._stage:
            parts.append("tagging opens when the claims arrive")
        self.query_one("#loading-label", Label).update(" · ".join(parts))
        if fraction is not None:
            self.query_one("#loading-bar", ProgressBar).update(progress=fraction)

    def _show_progress(self, stage: str, fraction: float) -> None:
        self._stage = stage
        self._show_loading(fraction)

    def _add_pane(
        self,
        article: Article,
        statements: list[Statement],
        state_of: Callable[[Statement], LineState],
    ) -> None:
        """A pane for one article, mounted only when it first comes into view."""
        # The pane's own analysis holds only its article's statements: every pane scanning
        # every statement of the corpus cost seconds at a thousand articles.
        mine = Analysis(articles=[article], statements=statements, claims=[])
        self._boxes.append(Vertical(classes="pane"))
        self._panes.append(StatementList(mine, article, state_of))

    def _mount_pane(self, n: int) -> None:
        """Mount pane ``n`` (in article order) if it is not yet: a thousand at once take 10 s."""
        box, pane = self._boxes[n], self._panes[n]
        if box.is_attached:
            return
        panes = self.query_one("#panes", Horizontal)
        after = next((b for b in self._boxes[n + 1 :] if b.is_attached), None)
        if after is None and self._aligned_view is not None and self._aligned_view.is_attached:
            after = self._aligned_view
        panes.mount(box, before=after)
        article = pane.article
        number = f"{n + 1} " if n < 9 else ""
        counts: Label | PaneCounts
        if self.session is not None and self.analysis is not None:
            counts = PaneCounts(self._pane_counts(article.id))
        else:
            counts = Label("claims to come…", classes="pane-counts")
        box.mount(
            Label(f"{number}{article.display_name}", classes="pane-name", markup=False),
            Label(article.title, classes="pane-title", markup=False),
            counts,
            pane,
        )
        self.call_after_refresh(self._sync_pane, pane)

    def _pane_counts(self, article_id: str) -> dict[Status, int]:
        """What ReviewSession.counts gives, for every article in one pass over the claims
        (asking it per pane walked every claim each time: 0.3 s a pane at 1,000 articles)."""
        assert self.session is not None
        if self._counts is None or self._counts[0] is not self.session:
            analysis = self.session.analysis
            table = {a.id: dict.fromkeys(Status, 0) for a in analysis.articles}
            for claim in analysis.claims:
                for article in {analysis.statement(s).article for s in claim.statements}:
                    if article in table:
                        table[article][claim.status] += 1
            self._counts = (self.session, table)
        return self._counts[1][article_id]

    def _sync_pane(self, pane: StatementList) -> None:
        """A pane mounted late shows the current claim, as the others do."""
        claim = self.selected
        if claim is None or not self.screen_stack or not pane.is_attached or pane is self.focused:
            return
        mine = [sid for sid in claim.statements if sid in pane.index_of]
        if mine:
            self._syncing = True
            pane.highlighted = pane.index_of[mine[0]]
            pane.scroll_to_highlight(top=False)
            self.call_after_refresh(self._end_sync)

    async def _clear_panes(self) -> None:
        await self.query_one("#panes", Horizontal).remove_children()
        self._boxes, self._panes = [], []
        self.pane_index = self._pane_start = 0
        self._stale.clear()

    def _show_analysis(self, analysis: Analysis) -> None:
        # The store reads the whole analysis, so annotations on every story stay anchored;
        # the panes show one story at a time when the folder holds several.
        self.full_analysis = analysis
        self.analysis = None  # until a story is on screen
        self.store = self._open_store(analysis)
        store = self.store
        if store.message:
            self.save_problem = store.message if store.read_only else ""
            self.notify(store.message, title="Annotations", severity="warning", timeout=10)
        lost = [a.anchor for a in store.unanchored()] + ["hidden"] * len(store.hidden())
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
        self.set_interval(2.0, self.refresh_others)
        self._arrange_panes()  # the articles read meanwhile are gone: so is their switcher
        if len(analysis.stories) > 1:
            # After the screen has drawn the panes' removal, or the list is not drawn at all.
            self.call_after_refresh(self.action_stories)
        else:
            self._show_story(analysis)

    def action_stories(self) -> None:
        """Pick the story to review when the folder holds several (s)."""
        full = self.full_analysis
        if full is None or len(full.stories) < 2:
            return
        store = self.store

        def tagged(story: Story) -> int:
            claims = (c for c in full.claims if c.story == story.id)
            return sum(store is not None and store.tag_of(c.id) is not None for c in claims)

        def chosen(story_id: str | None) -> None:
            if story_id and story_id != self.story_id:
                self.story_id = story_id
                self.call_later(self._replace_story, full.for_story(story_id))

        self.push_screen(StoryPicker(full, tagged, self.story_id), chosen)

    async def _replace_story(self, analysis: Analysis) -> None:
        await self._clear_panes()
        self._resume = None
        self._show_story(analysis)

    def _show_story(self, analysis: Analysis) -> None:
        assert self.store is not None
        self.analysis = analysis
        self.session = ReviewSession(analysis, self.store.tag_of)
        if self.full_analysis is not None and len(self.full_analysis.stories) > 1:
            self.sub_title = f"{analysis.stories[0].title} (s: other stories)"
        panes = self.query_one("#panes", Horizontal)
        of: dict[str, list[Statement]] = {}
        for s in analysis.statements:
            of.setdefault(s.article, []).append(s)
        for article in analysis.articles:
            self._add_pane(article, of.get(article.id, []), self._line_state)
        self._aligned_view = AlignedView(self.session)
        panes.mount(self._aligned_view)
        self._arrange_panes()  # mounts the panes in view
        self.refresh_others()
        self._fill_navigator()
        self._show_status()
        self.call_after_refresh(self._after_show)

    def _after_show(self) -> None:
        if not self.screen_stack:
            return  # the app quit as the analysis arrived: nothing left to draw on
        lists = self._panes
        if lists:
            lists[0].focus()
            first = next(
                (s for s in lists[0].statements if self.analysis and self.analysis.claims_of(s.id)),
                None,
            )
            if first is not None and self.analysis is not None:
                self.select_claim(self.analysis.claims_of(first.id)[0])
                lists[0].highlighted = lists[0].index_of[first.id]
        for n, box in enumerate(self._boxes):
            box.set_class(n == 0, "-current")
        self._arrange_panes()
        self._resume_reading()
        self.refresh_bindings()  # the review keys were off while analysing

    def _resume_reading(self) -> None:
        """Claims arrived while the reviewer read: keep their pane and statement."""
        resume, self._resume = self._resume, None
        if resume is None or self.analysis is None or resume == (0, None):
            return
        index, statement = resume
        if index >= len(self._panes):
            return
        self._pane_focus(index)
        pane = self._panes[index]
        if statement is not None and statement in pane.index_of:
            claims = self.analysis.claims_of(statement)
            if claims:
                self.select_claim(claims[0], source=pane)
            self.call_after_refresh(self._cursor_to, pane, statement)

    def _cursor_to(self, pane: StatementList, statement: str) -> None:
        if not self.screen_stack or not pane.is_attached:
            return
        self._syncing = True
        pane.highlighted = pane.index_of[statement]
        pane.scroll_to_highlight()
        self.call_after_refresh(self._end_sync)

    def _open_store(self, analysis: Analysis) -> AnnotationStore:
        return AnnotationStore.open(self.store_path, self.reviewer, analysis)

    def _show_status(self) -> None:
        """Redraw the status lines from the session and the store."""
        bar = self.query_one(StatusBar)
        who = f"{self.reviewer} → {self.store_path}"
        if self.store is None:
            saved = "opening…"
        elif self.store.read_only:
            saved = "✗ read-only: not saved"
        elif self.save_problem:
            saved = "✗ not saved"
        else:
            saved = "✓ saved"
        rest = []
        if self.session is not None:
            done, total = self.session.progress()
            rest.append(f"{done} / {total} claims tagged")
            rest.append(f"filter: {self.session.filter_mode} ({len(self.session.order)})")
            if self.session.search_term:
                rest.append(f"search: “{self.session.search_term}” {len(self.session.matches)}")
        bar.state = (who, saved, " · ".join(rest), self.save_problem)
        bar.set_class(bool(self.save_problem), "-problem")

    @property
    def others(self) -> list[AnnotationStore]:
        """The other reviewers' annotation files, read-only."""
        return self._others.reviews

    def refresh_others(self) -> None:
        """Re-read other reviewers' tags when their files change on disk."""
        if self.analysis is None:
            return
        changed = self._others.refresh(self.analysis)
        if not changed:
            return
        # Restyle only the claims whose tags changed: a colleague tagging every few seconds
        # must not make every pane redraw.
        claims = (self.analysis.claim(cid) for cid in changed)
        ids = {sid for c in claims if c is not None for sid in c.statements}
        for pane in self._panes:
            pane.refresh_statements(ids)
        self._fill_navigator()

    def others_summary(self, claim: Claim) -> str:
        """Other reviewers' tags on a claim, e.g. ``✓2 ✗1``."""
        return self._others.summary(claim)

    def on_resize(self) -> None:
        # The new size reaches the widgets on the next refresh.
        self._arrange_panes()
        self.call_after_refresh(self._arrange_panes)

    def _aligned(self) -> AlignedView | None:
        # Kept, not queried: a DOM query over every pane's widgets cost 5 ms a key press.
        view = self._aligned_view
        return view if view is not None and view.is_attached else None

    def _arrange_panes(self) -> None:
        """Show as many panes as fit, the focused one among them; one at a time when narrow."""
        width, height = self.size
        too_small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        self.query_one("#too-small").display = too_small
        self.query_one("#panes").display = not too_small and bool(self._panes)
        switcher = self.query_one("#switcher", PaneSwitcher)
        boxes = self._boxes
        aligned = self._aligned()
        if not boxes or too_small or (aligned is not None and aligned.display):
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
        for n in range(start, min(start + fit, len(boxes))):
            self._mount_pane(n)
        switcher.display = fit < len(boxes)
        if switcher.display:
            name = self._panes[self.pane_index].article.display_name
            switcher.label = (
                f"◀ pane {self.pane_index + 1}/{len(boxes)}: {name} ▶  (tab / shift+tab, 1–9)"
            )

    # ------------------------------------------------------------------ state

    def _tag(self, claim: Claim) -> str | None:
        return self.store.tag_of(claim.id) if self.store else None

    def _line_state(self, statement: Statement) -> LineState:
        assert self.session is not None
        claim = self.session.claim_of(statement)
        others = self.others_summary(claim) if self.others and claim is not None else ""
        return self.session.line_state(statement, others)

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
        if self.session is None:
            return
        old = self.session.select(claim)
        self.query_one(StatusBar).claim = self.session.summary(claim) if claim else ""
        changed = set(old.statements if old else ()) | set(claim.statements if claim else ())
        self._syncing = True
        aligned = self._aligned()
        try:
            if aligned is not None and aligned.display:
                # The panes are hidden: restyle them once, when they are shown again.
                self._stale |= changed
                aligned.show(claim)
                return
            for pane in self._panes:
                pane.refresh_statements(changed)
                if claim is None or pane is source:
                    continue
                mine = [sid for sid in claim.statements if sid in pane.index_of]
                if mine:
                    pane.follow(pane.index_of[mine[0]])
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
            if event.option_list is not self.focused:
                return  # a pane re-built or synced, not moved by the reviewer
            statement = event.option_list.current()
            if statement is not None:
                claims = self.analysis.claims_of(statement.id)
                if claims and (self.selected not in claims):
                    self.select_claim(claims[0], source=event.option_list)
        elif event.option_list.id == "navigator" and event.option_id:
            claim = self.analysis.claim(event.option_id)
            if claim is not None and claim is not self.selected:
                self.select_claim(claim)

    def on_aligned_view_claim_highlighted(self, event: AlignedView.ClaimHighlighted) -> None:
        if not self._syncing and event.claim is not self.selected:
            self.select_claim(event.claim)

    def on_aligned_view_claim_selected(self, event: AlignedView.ClaimSelected) -> None:
        self.action_detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # enter on a statement or on a navigator entry: both have selected the claim by now.
        if isinstance(event.option_list, StatementList) or event.option_list.id == "navigator":
            self.action_detail()

    def on_descendant_focus(self) -> None:
        focused = self.focused
        if isinstance(focused, StatementList):
            lists = self._panes
            self.pane_index = lists.index(focused)
            # A class, not :focus-within: Textual does not restyle a focused widget's
            # siblings, so the name and full title of the pane would not follow the focus.
            for n, box in enumerate(self._boxes):
                box.set_class(n == self.pane_index, "-current")
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
        self._pane_focus((self.pane_index + step) % len(lists))

    def action_pane_to(self, number: int) -> None:
        """Jump to source pane ``number`` (1–9)."""
        if 1 <= number <= len(self._panes):
            self._pane_focus(number - 1)

    def _pane_focus(self, index: int) -> None:
        aligned = self._aligned()
        if aligned is not None and aligned.display:
            self._show_aligned(False)
        self.pane_index = index
        self._arrange_panes()
        self._panes[index].focus()

    def action_claim(self, step: int) -> None:
        """Move to the next or previous claim across the corpus (navigator order)."""
        if self.session is not None:
            target = self.session.step_claim(step)
            if target is not None:
                self._goto(target)

    def action_difference(self, step: int) -> None:
        """Move to the next or previous divergent claim."""
        if self.session is None:
            return
        target = self.session.next_difference(step)
        if target is None:
            self.notify("No divergent claim passes the filter")
        else:
            self._goto(target)

    def _goto(self, claim: Claim) -> None:
        """Select a claim and put the focused pane's cursor on it (switching pane if needed)."""
        assert self.analysis is not None
        aligned = self._aligned()
        if aligned is not None and aligned.display:
            self.select_claim(claim)
            return
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
        if self.session is not None:
            self.session.refresh_order()
        aligned = self._aligned()
        if aligned is not None:
            aligned.refresh_claim(claim)
        self._fill_navigator()
        self._show_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Review keys act on the main screen; the detail view keeps tagging and notes."""
        return self._allowed(action, self.screen)

    def _allowed(self, action: str, screen: Screen[Any]) -> bool:
        if self.analysis is None:  # still analysing: the articles read so far can be browsed
            if action in ("pane", "pane_to"):
                return bool(self._panes)
            return action not in REVIEW_ACTIONS
        if screen is self.screen_stack[0] or action not in REVIEW_ACTIONS:
            return True
        return isinstance(screen, DetailScreen) and action in DETAIL_ACTIONS

    def _not_saved(self, exc: Exception) -> None:
        self.save_problem = f"not saved: {exc}"
        self._show_status()
        self.notify(f"Not saved: {exc}", severity="error")

    def action_tag(self, tag: str | None, move_on: bool = True) -> None:
        """Tag the selected claim, then (unless asked to stay) move to the next untagged one."""
        if self.selected is None or self.store is None or self.session is None:
            return
        claim = self.selected
        self.session.just_tagged = None
        try:
            changed = self.store.set_tag(claim.id, tag)
        except (StoreError, OSError) as exc:
            self._not_saved(exc)
            return
        if not self.store.read_only:
            self.save_problem = ""
        if not changed:
            return
        self._refresh_claim(claim)
        if isinstance(self.screen, DetailScreen):
            self._refresh_detail(claim)  # stay on the claim being read
        elif tag is not None and move_on:
            target = self.session.next_untagged(claim)
            if target is not None:
                self._goto(target)
                self.session.just_tagged = claim  # `a` now writes on the claim just tagged

    def _undo_redo(self, redo: bool) -> None:
        if self.store is None or self.analysis is None:
            return
        try:
            change = self.store.redo() if redo else self.store.undo()
        except (StoreError, OSError) as exc:
            self._not_saved(exc)
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

    def claim_label(self, claim: Claim) -> str:
        """How a dialog names a claim: status, sources and its first words."""
        assert self.analysis is not None
        first = self.analysis.statement(claim.statements[0]).text
        words = " ".join(first.split()[:12])
        more = "…" if len(first.split()) > 12 else ""
        names = ", ".join(
            self.analysis.article(a).display_name for a in self.analysis.sources_of(claim)
        )
        return f"{STATUS_GLYPH[claim.status]} {claim.status.value} · {names}\n“{words}{more}”"

    def action_note(self) -> None:
        """Add or edit a note: on the claim just tagged, else on the selected claim."""
        if self.session is None or self.store is None:
            return
        claim = self.session.note_target()
        if claim is None:
            return

        def done(text: str | None) -> None:
            if self.session is not None:
                self.session.just_tagged = None  # the next note is for the claim in view
            if text is not None:
                self._save_note(claim, text)

        self.push_screen(
            NoteScreen(
                self.store.note_of(claim.id), f"Note on: {self.claim_label(claim)}", claim.id
            ),
            done,
        )

    def _save_note(self, claim: Claim, text: str) -> None:
        if self.store is None:
            return
        try:
            if self.store.set_note(claim.id, text):
                self.notify("Note saved")
                self._refresh_detail(claim)
                self._show_status()
        except (StoreError, OSError) as exc:
            self._not_saved(exc)

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
        if self.selected is None or self.analysis is None or self.session is None:
            return
        claim = self.selected
        note = self.store.note_of(claim.id) if self.store else ""
        others = self._others.tags_of(claim)
        mine = self.store.for_claim(claim.id) if self.store else None
        self.push_screen(
            DetailScreen(
                self.analysis,
                claim,
                self._tag(claim),
                note,
                others,
                annotation=mine,
                session=self.session,
            )
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
        if event.input.id != "search" or self.session is None:
            return
        event.input.display = False
        old = set(self.session.matches)
        matches = self.session.search(event.value)
        term = self.session.search_term
        for pane in self._panes:
            pane.refresh_statements(old | set(matches))
        self._show_status()
        if not matches:
            self.notify(f"No match for {term!r}" if term else "Search cleared")
            self._focus_pane()
            return
        self.notify(f"{len(matches)} statements match {term!r} (n / N)")
        self.action_match(1)

    def on_key(self, event: events.Key) -> None:
        box = self.query_one("#search", Input)
        if event.key == "escape" and box.display:
            box.display = False
            self._focus_pane()

    def _focus_pane(self) -> None:
        aligned = self._aligned()
        if aligned is not None and aligned.display:
            aligned.focus()
            return
        lists = self._panes
        if lists:
            lists[min(self.pane_index, len(lists) - 1)].focus()

    def action_match(self, step: int) -> None:
        """Go to the next or previous search match."""
        if self.session is None:
            return
        statement = self.session.step_match(step)
        if statement is None:
            return
        lists = self._panes
        pane = next(p for p in lists if statement.id in p.index_of)
        self._pane_focus(lists.index(pane))
        pane.highlighted = pane.index_of[statement.id]
        pane.scroll_to_highlight()

    def action_filter(self) -> None:
        """Cycle the filter: all, overlap, divergent, unique, untagged (others are dimmed)."""
        if self.session is None:
            return
        mode = self.session.cycle_filter()
        self._fill_navigator()
        for pane in self._panes:
            if pane.is_mounted:  # the others are built when they come into view
                pane.rebuild()
        aligned = self._aligned()
        if aligned is not None and aligned.built:
            aligned.build()
            aligned.show(self.selected)
        self.sub_title = f"filter: {mode}"
        self._show_status()

    def action_aligned(self) -> None:
        """Toggle the aligned claim view (one row per claim, one column per source)."""
        aligned = self._aligned()
        if aligned is not None:
            self._show_aligned(not aligned.display)

    def _show_aligned(self, show: bool) -> None:
        aligned = self._aligned()
        if aligned is None:
            return
        if show and not aligned.built:
            aligned.build()
        for box in self._boxes:
            box.display = not show
        aligned.display = show
        if show:
            self._syncing = True
            aligned.show(self.selected)
            aligned.focus()
            self.call_after_refresh(self._end_sync)
        else:
            for pane in self._panes:
                pane.refresh_statements(self._stale)
            self._stale = set()
            self._arrange_panes()
            self._focus_pane()
            if self.selected is not None:
                self._goto(self.selected)
        self._arrange_panes()

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
            lines.append(f"[{self.analysis.article(s.article).display_name}] {s.text}")
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
        analysis = self.full_analysis or self.analysis  # every story's reviewed claims
        reviews = ([self.store] if self.store else []) + self.others

        def done(choice: tuple[str, Path] | None) -> None:
            if choice is None:
                return
            fmt, path = choice
            options = ExportOptions(
                site_url=os.environ.get("CLAIMDIFF_SITE_URL"),
                author=os.environ.get("CLAIMDIFF_AUTHOR"),
            )
            if fmt == "claimreview" and (problem := site_url_problem(options.site_url)):
                self.notify(f"Not exported: {problem}", severity="error", timeout=10)
                return
            result = export(fmt, records(analysis, reviews), options)
            try:
                atomic_write(path, file_text(fmt, result.text))
            except OSError as exc:
                self.notify(f"Cannot write {path}: {exc.strerror or exc}", severity="error")
                return
            self.notify(f"{result.summary} exported to {path}")

        # Where the reviewer started claimdiff: the annotation directory holds only
        # reviewers' files (every .json there is read as one).
        self.push_screen(ExportScreen(Path.cwd()), done)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: theme and quit from Textual, then every action of the bindings."""
        yield from super().get_system_commands(screen)
        seen = {"quit", "help_quit"}
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or binding.action in seen:
                continue
            if binding.action.startswith("pane_to"):
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
        keys = self._keymap_path
        note = (
            f'Your own keys: lines of binding id = "key" in {keys}\n'
            '  e.g. "tag.confirmed" = "C"; the ids: ' + ", ".join(self._binding_ids())
            if keys
            else ""
        )
        self.push_screen(HelpScreen(self.help_bindings(), note))

    def _binding_ids(self) -> list[str]:
        return [b.id for b in self.BINDINGS if isinstance(b, Binding) and b.id]

    def help_bindings(self) -> list[Binding]:
        """The app's real bindings plus the pane's movement keys, as the help lists them."""
        pane = [b for b in StatementList.BINDINGS if isinstance(b, Binding)]
        palette = Binding("ctrl+p", "", "Command palette (every action, export, theme)")
        jump = Binding("1", "", "Jump to source pane 1–9 (the number before its name)")
        app = [
            b if isinstance(b, Binding) else Binding(*b)
            for b in self.BINDINGS
            if not (isinstance(b, Binding) and (b.action.startswith("pane_to") or b.system))
        ]
        return [*pane, palette, jump, *app]

    def on_unmount(self) -> None:
        for worker in self.workers:
            worker.cancel()  # an analysis still running in a child process ends with the app
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.store.release()


def run_app(
    corpus: Corpus, annotations_dir: Path, reviewer: str, cache: AnalysisCache | None = None
) -> int:
    """Run the review app until the reviewer quits."""
    app = ClaimDiffApp(
        corpus,
        annotations_dir=annotations_dir,
        reviewer=reviewer,
        cache=cache,
        theme=os.environ.get("CLAIMDIFF_THEME") or None,
        keymap=keymap_path(),
    )
    app.run()
    return app.return_code or 0
