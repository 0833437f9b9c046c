"""The review app: articles side by side, claims highlighted, keyboard tagging.

The app presents a ReviewSession and sends it the reviewer's intents: it decides what a key
does (tags and notes go through it to the AnnotationStore, which saves after every change);
the app draws the result. Widgets never analyse anything.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.analysis import background
from tui.core.analysis.cache import AnalysisCache
from tui.core.analysis.corpus import Corpus
from tui.core.model import Analysis, Article, Claim, Statement
from tui.core.review.annotations import AnnotationStore, StoreError, reviewer_file
from tui.core.review.session import (
    FILTERS,
    OtherReviewers,
    ReviewSession,
    describe,
    tagged_by_story,
)
from tui.keymap import keymap_path, load_keymap
from tui.keys import DETAIL_ACTIONS, KEYS, REVIEW_ACTIONS, binding_ids, help_keys, palette_keys
from tui.resources import styles_dir
from tui.screens.main import ReviewScreen
from tui.widgets.aligned import AlignedView
from tui.widgets.counts import PaneCounts
from tui.widgets.footer import KeyFooter
from tui.widgets.loading import Loading
from tui.widgets.navigator import ClaimNavigator
from tui.widgets.panes import SourcePanes
from tui.widgets.statements import LineState, StatementList
from tui.widgets.status import StatusBar
from tui.widgets.switcher import PaneSwitcher
from tui.widgets.themes import ANSI_THEMES, Depth, colour_depth, needs_ansi, theme_for

__all__ = ["FILTERS", "ClaimDiffApp", "keymap_path", "load_keymap", "run_app"]

# The screens other than the panes', and the exports, are imported when first opened: the
# first screen does without them (a tenth of the app's import time).
DETAIL = ("tui.screens.detail", "DetailScreen")
NOTE = ("tui.screens.note", "NoteScreen")
HELP = ("tui.screens.help", "HelpScreen")


def _is_screen(screen: object, *kinds: tuple[str, str]) -> bool:
    """Whether ``screen`` is one of these screen classes; one not imported yet has none."""
    for module, name in kinds:
        loaded = sys.modules.get(module)
        if loaded is not None and isinstance(screen, getattr(loaded, name)):
            return True
    return False


PANE_MIN_WIDTH = 32
MIN_SIZE = (40, 12)
NARROW = (80, 24)
# The collector's youngest generation while the first screen is made (Python's default: 700).
# Start-up allocates objects by the hundred thousand (the widgets, the analysis), nearly all
# of which live as long as the app; at the default the collector ran ~450 times and walked
# them all twice, a sixth of the time to the first screen on the seeds.
STARTUP_GC_THRESHOLD = 10_000
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

    BINDINGS = [*KEYS]  # one list: the bindings, the keymap's ids, the help and the palette

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
        self._set_start_theme(theme or self.theme or "textual-dark")
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
        self._syncing = False
        self._row = SourcePanes(self._pane_counts, self._pane_mounted, self._pane_moved)
        self._aligned_view: AlignedView | None = None
        self._navigator_stale = False  # the hidden navigator's lines are out of date
        self._resume: tuple[int, str | None] | None = None  # the reader's place, kept
        self._gc_threshold: tuple[int, int, int] | None = None  # the thresholds to restore
        threshold = gc.get_threshold()
        if threshold[0] < STARTUP_GC_THRESHOLD:  # not raised already (another app starting)
            self._gc_threshold = threshold
            gc.set_threshold(STARTUP_GC_THRESHOLD, *threshold[1:])

    def _started(self) -> None:
        """The first screen is up (or never will be): the collector runs as usual again."""
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
            self._gc_threshold = None

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

    def get_default_screen(self) -> Screen[Any]:
        """The screen of the panes, which does not repaint whole on each focus move."""
        return ReviewScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Loading(len(self.corpus.articles) if self.corpus else 0)
        yield PaneSwitcher(id="switcher")
        yield self._row
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

    def _set_start_theme(self, name: str) -> None:
        """Take the start theme before the stylesheet is first read, as setting ``theme``
        would (its classes, ANSI filter and CSS variables) but without the re-parse and
        re-styling of everything that setting it in on_mount cost (20 ms at start-up): a
        theme other than Textual's default is the rule in 16-colour and NO_COLOR
        terminals, which show an ANSI twin. on_mount's assignment is then a no-op, and
        still reports a theme that does not exist."""
        name = self.validate_theme(name)
        theme = self.get_theme(name)
        if theme is None:
            return
        self.set_reactive(App.theme, name)
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes |= {f"-theme-{name}": True, "-dark-mode": theme.dark, "-light-mode": not theme.dark}
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

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
        keymap, problem = load_keymap(path, set(binding_ids()))
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
            self.query_one(Loading).progress(event.stage, event.fraction)
        elif isinstance(event, background.Failed):
            self._started()
            self.query_one(Loading).failed(event.message)
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
            self._row.add(article, of.get(article.id, []), lambda _s: READING)
        self.query_one(Loading).articles_read(len(articles))
        self._arrange_panes()
        if first:
            self._row.mark_current(0)
            self._panes[0].focus()
            self.refresh_bindings()  # tab and 1–9 move between the panes already

    @property
    def _panes(self) -> list[StatementList]:
        return self._row.lists

    def _pane_counts(self, article: Article) -> Widget:
        """A pane's counts line: claims by status, once the claims have arrived."""
        if self.session is not None and self.analysis is not None:
            return PaneCounts(self.session.counts(article.id))
        return Label("claims to come…", classes="pane-counts")

    def _pane_mounted(self, pane: StatementList) -> None:
        self.call_after_refresh(self._sync_pane, pane)

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
        await self._row.clear()
        self.pane_index = 0

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
        if lost := store.needs_a_look():
            lost += " Press o to list them."
            self.notify(lost, title="Annotations", severity="warning", timeout=15)
        self.query_one("#loading").display = False
        self.set_interval(2.0, self.refresh_others)
        self._arrange_panes()  # the articles read meanwhile are gone: so is their switcher
        if len(analysis.stories) > 1:
            # After the screen has drawn the panes' removal, or the list is not drawn at all.
            self.call_after_refresh(self.action_stories)
            self.call_after_refresh(self._started)
        else:
            self._show_story(analysis)

    def action_stories(self) -> None:
        """Pick the story to review when the folder holds several (s)."""
        full = self.full_analysis
        if full is None or len(full.stories) < 2:
            return
        tagged = tagged_by_story(full, self.store.tag_of) if self.store else {}

        def chosen(story_id: str | None) -> None:
            if story_id and story_id != self.story_id:
                self.story_id = story_id
                self.call_later(self._replace_story, full.for_story(story_id))

        from tui.screens.stories import StoryPicker

        self.push_screen(StoryPicker(full, lambda s: tagged.get(s.id, 0), self.story_id), chosen)

    async def _replace_story(self, analysis: Analysis) -> None:
        await self._clear_panes()
        self._resume = None
        self._show_story(analysis)

    def _show_story(self, analysis: Analysis) -> None:
        assert self.store is not None
        self.analysis = analysis
        self.session = ReviewSession.over(analysis, self.store, self._others)
        if self.full_analysis is not None and len(self.full_analysis.stories) > 1:
            self.sub_title = f"{analysis.stories[0].title} (s: other stories)"
        of: dict[str, list[Statement]] = {}
        for s in analysis.statements:
            of.setdefault(s.article, []).append(s)
        for article in analysis.articles:
            self._row.add(article, of.get(article.id, []), self.session.line_state)
        self._aligned_view = self._row.tail = AlignedView(self.session)
        self._row.mount(self._aligned_view)
        self._arrange_panes()  # mounts the panes in view
        self.refresh_others()
        self._fill_navigator()
        self._show_status()
        self.call_after_refresh(self._after_show)

    def _after_show(self) -> None:
        self._started()
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
        self._row.mark_current(0)
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
        review = self.session.status_line() if self.session is not None else ""
        bar.state = (who, saved, review, self.save_problem)
        bar.set_class(bool(self.save_problem), "-problem")

    @property
    def others(self) -> list[AnnotationStore]:
        """The other reviewers' annotation files, read-only."""
        return self._others.reviews

    def refresh_others(self) -> None:
        """Re-read other reviewers' tags when their files change on disk."""
        if self.analysis is None or self.session is None:
            return
        # Restyle only the claims whose tags changed: a colleague tagging every few seconds
        # must not make every pane redraw.
        ids = self.session.refresh_others()
        if ids is None:
            return
        self._row.restyle(ids)
        self._fill_navigator()

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
        self._row.display = not too_small and bool(self._panes)
        switcher = self.query_one("#switcher", PaneSwitcher)
        count = len(self._panes)
        aligned = self._aligned()
        if not count or too_small or (aligned is not None and aligned.display):
            switcher.display = False
            return
        narrow = width < NARROW[0] or height < NARROW[1]
        nav = self.query_one("#navigator")
        available = width - (nav.outer_size.width if nav.display else 0)
        fit = 1 if narrow else max(1, min(count, available // PANE_MIN_WIDTH))
        self._row.window(self.pane_index, fit)
        switcher.display = fit < count
        if switcher.display:
            name = self._panes[self.pane_index].article.display_name
            switcher.label = (
                f"◀ pane {self.pane_index + 1}/{count}: {name} ▶  (tab / shift+tab, 1–9)"
            )

    def _fill_navigator(self) -> None:
        nav = self.query_one("#navigator", OptionList)
        if not nav.display:
            # Filled when shown: a line per claim is 0.1 s at 13,000 claims, on opening and
            # on every tag, for a list most reviews never open.
            self._navigator_stale = True
            return
        self._navigator_stale = False
        nav.clear_options()
        if self.session is not None:
            nav.add_options(Option(self.session.nav_prompt(c), id=c.id) for c in self._order)

    # ------------------------------------------------------------------ selection

    def select_claim(self, claim: Claim | None, source: StatementList | None = None) -> None:
        """Select a claim: restyle its lines and bring its statements into view in every pane."""
        if self.session is not None:
            self._show_selection(self.session.select(claim), source)

    def _show_selection(self, old: Claim | None, source: StatementList | None = None) -> None:
        """Draw the move from ``old`` to the session's current claim."""
        assert self.session is not None
        claim = self.session.selected
        self.query_one(StatusBar).claim = self.session.summary(claim) if claim else ""
        changed = set(old.statements if old else ()) | set(claim.statements if claim else ())
        self._syncing = True
        aligned = self._aligned()
        try:
            if aligned is not None and aligned.display:
                # The panes are hidden: restyle them once, when they are shown again.
                self._row.stale |= changed
                aligned.show(claim)
                return
            self._row.follow(claim, changed, source)
            nav = self.query_one("#navigator", OptionList)
            if nav.display:  # a hidden one is put on the claim when shown
                self._navigator_to(claim)
        finally:
            self.call_after_refresh(self._end_sync)

    def _navigator_to(self, claim: Claim | None) -> None:
        if claim is not None and claim in self._order:
            self.query_one("#navigator", OptionList).highlighted = self._order.index(claim)

    def _end_sync(self) -> None:
        self._syncing = False

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._syncing or self.analysis is None or self.session is None:
            return
        if not self.screen_stack:
            return  # a highlight still queued at exit, when the screens are gone
        if isinstance(event.option_list, StatementList):
            # Mostly done already (_pane_moved); a click's cursor lands before its focus.
            self._pane_moved(event.option_list)
        elif event.option_list.id == "navigator" and event.option_id:
            claim = self.analysis.claim(event.option_id)
            if claim is not None and claim is not self.selected:
                self.select_claim(claim)

    def _pane_moved(self, pane: StatementList) -> None:
        """The reviewer moved a pane's cursor: select the claim of its statement."""
        if self._syncing or self.session is None or self.analysis is None or not self.screen_stack:
            return
        if pane is not self.focused:
            return  # a pane re-built or synced, not moved by the reviewer
        statement = pane.current()
        claim = self.session.claim_for_cursor(statement.id) if statement else None
        if claim is not None:
            self.select_claim(claim, source=pane)

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
        if not self.screen_stack:
            return  # a focus move still queued at exit, when the screens are gone
        focused = self.focused
        if isinstance(focused, StatementList):
            lists = self._panes
            self.pane_index = lists.index(focused)
            self._row.mark_current(self.pane_index)
            self._arrange_panes()

    # ------------------------------------------------------------------ actions

    def action_pane(self, step: int) -> None:
        """Focus the next or previous pane."""
        if _is_screen(self.screen, DETAIL, NOTE, HELP):
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
        assert self.session is not None
        self._show_move(self.session.select(claim))

    def _show_move(self, old: Claim | None) -> None:
        """Draw the move from ``old`` to the session's current claim, cursor and all."""
        assert self.analysis is not None and self.session is not None
        claim = self.session.selected
        assert claim is not None
        aligned = self._aligned()
        if aligned is not None and aligned.display:
            self._show_selection(old)
            return
        lists = self._panes
        first = self.analysis.statement(claim.statements[0])
        pane = self._row.pane_of(first.id)
        focused = self.focused if isinstance(self.focused, StatementList) else None
        mine = [s for s in claim.statements if focused and s in focused.index_of]
        if focused is not None and mine:
            pane, first = focused, self.analysis.statement(mine[0])
        self._show_selection(old)
        self._syncing = True
        pane.highlighted = pane.index_of[first.id]
        pane.scroll_to_highlight()
        if pane is not focused:
            self.pane_index = lists.index(pane)
            pane.focus()
            self._arrange_panes()
        self.call_after_refresh(self._end_sync)

    def _refresh_claim(self, claim: Claim) -> None:
        self._row.restyle(set(claim.statements))
        # Status counts in the pane headers do not depend on tags: only the order changed.
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
        return _is_screen(screen, DETAIL) and action in DETAIL_ACTIONS

    def _not_saved(self, exc: Exception) -> None:
        self.save_problem = f"not saved: {exc}"
        self._show_status()
        self.notify(f"Not saved: {exc}", severity="error")

    def action_tag(self, tag: str | None, move_on: bool = True) -> None:
        """Tag the selected claim, then (unless asked to stay) move to the next untagged one."""
        if self.session is None or self.store is None:
            return
        in_detail = _is_screen(self.screen, DETAIL)  # stay on the claim being read
        try:
            tagged = self.session.tag(tag, move_on=move_on and not in_detail)
        except (StoreError, OSError) as exc:
            self._not_saved(exc)
            return
        if tagged is None:
            return
        if not self.store.read_only:
            self.save_problem = ""
        if not tagged.changed:
            return
        self._refresh_claim(tagged.claim)
        if in_detail:
            self._refresh_detail(tagged.claim)
        elif tagged.next is not None:
            self._show_move(tagged.claim)

    def _undo_redo(self, redo: bool) -> None:
        if self.session is None or self.analysis is None:
            return
        try:
            change = self.session.undo(redo=redo)
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
        self.notify(describe(change, redo=redo))

    def action_undo(self) -> None:
        """Undo the last change of this session."""
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        """Redo the last undone change."""
        self._undo_redo(redo=True)

    def action_note(self) -> None:
        """Add or edit a note: on the claim just tagged, else on the selected claim."""
        session = self.session
        claim = session.note_target() if session is not None and self.store else None
        if session is None or claim is None:
            return

        def done(text: str | None) -> None:
            if self.session is not None:
                self.session.note_closed()
            if text is not None:
                self._save_note(claim, text)

        from tui.screens.note import NoteScreen

        label = f"Note on: {session.label(claim)}"
        self.push_screen(NoteScreen(session.note_of(claim), label, claim.id), done)

    def _save_note(self, claim: Claim, text: str) -> None:
        if self.session is None:
            return
        try:
            if self.session.set_note(claim, text):
                self.notify("Note saved")
                self._refresh_detail(claim)
                self._show_status()
        except (StoreError, OSError) as exc:
            self._not_saved(exc)

    def _refresh_detail(self, claim: Claim) -> None:
        if not _is_screen(self.screen, DETAIL):
            return
        from tui.screens.detail import DetailScreen

        screen = self.screen
        if isinstance(screen, DetailScreen) and screen.claim.id == claim.id and self.store:
            screen.show_tag(self.store.tag_of(claim.id))
            screen.show_note(self.store.note_of(claim.id))

    async def action_quit(self) -> None:
        """Quit; a note still being edited is saved first, so nothing typed is lost."""
        if _is_screen(self.screen, NOTE) and self.analysis is not None:
            from tui.screens.note import NoteScreen

            screen = self.screen
            if isinstance(screen, NoteScreen) and screen.edited():
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
        from tui.screens.detail import DetailScreen

        self.push_screen(
            DetailScreen(
                self.analysis,
                claim,
                self.session.tag_of(claim.id),
                note,
                others,
                annotation=mine,
                session=self.session,
            )
        )

    def action_anchors(self) -> None:
        """List the annotations whose articles changed (text changed or orphaned)."""
        if self.analysis is not None and self.store is not None:
            from tui.screens.anchors import AnchorsScreen

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
        self._row.restyle(old | set(matches))
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
        pane = self._row.pane_of(statement.id)
        self._pane_focus(self._panes.index(pane))
        pane.highlighted = pane.index_of[statement.id]
        pane.scroll_to_highlight()

    def action_filter(self) -> None:
        """Cycle the filter: all, overlap, divergent, unique, untagged (others are dimmed)."""
        if self.session is None:
            return
        mode = self.session.cycle_filter()
        self._fill_navigator()
        for pane in self._row.lists.made():
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
        self._row.show_all(not show)
        aligned.display = show
        if show:
            self._syncing = True
            aligned.show(self.selected)
            aligned.focus()
            self.call_after_refresh(self._end_sync)
        else:
            self._row.restyle(self._row.stale)
            self._row.stale = set()
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
            if self._navigator_stale:
                self._fill_navigator()
            self._syncing = True  # on the current claim: nobody moved
            self._navigator_to(self.selected)
            self.call_after_refresh(self._end_sync)
            nav.focus()
        else:
            self._focus_pane()
        self.call_after_refresh(self._arrange_panes)

    def action_copy(self) -> None:
        """Copy the selected claim to the clipboard (OSC 52 works over SSH)."""
        if self.session is None or self.selected is None:
            return
        self.copy_to_clipboard(self.session.clipboard_text(self.selected))
        self.notify("Claim copied to the clipboard")

    def action_export(self) -> None:
        """Export every reviewer's reviewed claims to a file (dialog)."""
        if self.analysis is None:
            return
        from tui.core.review.annotations import atomic_write
        from tui.core.review.exports import (
            ExportOptions,
            export,
            file_text,
            records,
            site_url_problem,
        )
        from tui.screens.export import ExportScreen

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
        for binding in palette_keys():
            if not self._allowed(binding.action.split("(")[0], screen):
                continue
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
            '  e.g. "tag.confirmed" = "C"; the ids: ' + ", ".join(binding_ids())
            if keys
            else ""
        )
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.help_bindings(), note))

    def help_bindings(self) -> list[Binding]:
        """The app's real bindings plus the pane's movement keys, as the help lists them."""
        return help_keys(StatementList.BINDINGS)

    def on_unmount(self) -> None:
        self._started()
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
