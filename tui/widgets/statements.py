"""One article's statements as a line-API list: a cursor per statement, styled by claim."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.css.styles import RulesMap
from textual.geometry import Region, Size, Spacing
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.model import Analysis, Article, Kind, Statement
from tui.core.review.session import STATUS_GLYPH, TAG_GLYPH, LineState

__all__ = ["STATUS_GLYPH", "TAG_GLYPH", "LineState", "StatementList"]

SHOWN_MAX = 2_000  # characters of one statement drawn in a pane
# Statements in one pane from which each is drawn on one line (cut with …; the detail view
# has it all) and its line is made only when it is drawn: OptionList measures the wrapped
# height of every option up front, a minute for a 10 MB file of 150,000 lines.
BULK = 3_000
RENDERS_MAX = 20_000  # renders (and heights) of past line states kept per pane
SELECTED_MARK = "▶"  # the gutter mark of the current claim's lines, in every pane


class StatementList(OptionList):
    """The statements of one article; every colour comes from the component classes."""

    COMPONENT_CLASSES = {
        "statement--overlap",
        "statement--divergent",
        "statement--unique",
        "statement--furniture",
        "statement--selected",
        "statement--value",
        "statement--confirmed",
        "statement--disputed",
        "statement--tag-unique",
        "statement--filtered",
        "statement--match",
    }

    # Left out of the footer, which has room only for the reviewer's main keys.
    BINDINGS = [
        Binding("j,down", "cursor_down", "Next statement", show=False),
        Binding("k,up", "cursor_up", "Previous statement", show=False),
        Binding("g", "first", "First statement", show=False),
        Binding("G", "last", "Last statement", show=False),
    ]

    # Moving the cursor redraws the two options it leaves and reaches, not the whole pane
    # (OptionList repaints every visible line, in every pane a claim change moves).
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def __init__(
        self,
        analysis: Analysis,
        article: Article,
        state_of: Callable[[Statement], LineState],
        moved: Callable[[StatementList], None] | None = None,
    ) -> None:
        self.article = article
        # Told at once when the cursor moves, before the Highlighted message has bubbled up:
        # the other panes then follow in the same screen update, not one frame later.
        self._moved = moved
        self.statements = [s for s in analysis.statements if s.article == article.id]
        self.index_of = {s.id: n for n, s in enumerate(self.statements)}
        self._state_of = state_of
        self._styled_with: tuple[Style, ...] = ()
        # Component styles as of the last build: reading one from the stylesheet costs
        # ~0.1 ms, and every line drawn on a key press needs several.
        self._styles: dict[str, Style] = {}
        self._laid_width = -1
        # The width the lines were first wrapped to, when drawn before the first Resize
        # was handled (a pane mounted with the screen's next frame is): -1 if not.
        self._drawn_width = -1
        self._pending: set[str] = set()  # statements to restyle before the pane is drawn
        self._frame: _Frame | None = None  # set while render_lines draws
        # Each option's line state as its prompt was made, and the renders and heights of
        # the states it has had: a line's look is all in its state, so moving back to a
        # claim (k after j, [ after ]) draws its lines from here instead of wrapping again.
        self._state_at: dict[int, LineState] = {}
        self._renders: dict[tuple[int, LineState, VisualStyle], list[Strip]] = {}
        self._state_heights: dict[tuple[int, LineState], int] = {}
        self.bulk = len(self.statements) > BULK
        classes = "statements -bulk" if self.bulk else "statements"
        super().__init__(id=f"pane-{_css_id(article.id)}", classes=classes)

    def on_mount(self) -> None:
        self.rebuild()

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        """Keep the rendered lines when only the height changed (they depend on the width).

        OptionList drops them on every resize, and a pane's height changes whenever the
        focus moves: the current pane shows its title in full.
        """
        first = self._laid_width < 0
        if event.size.width != self._laid_width:
            self._laid_width = event.size.width
            if first and self._drawn_width == self._wrap_width():
                # Drawn already at this width (the stylesheet keeps the scrollbar's gutter,
                # so a scrollbar appearing does not narrow it): wrapping every line again
                # was a second full draw of every pane on opening, 50-100 ms on the seeds.
                self.refresh()
            else:
                self._clear_caches()
        else:
            self.refresh()
        event.prevent_default()  # OptionList's own handler would drop them all the same

    def _wrap_width(self) -> int:
        return self.scrollable_content_region.width - self._get_left_gutter_width()

    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        """Redraw the option the cursor left and the one it reached; scroll as OptionList."""
        for index in (old, new):
            if index is not None:
                self._refresh_option(index)
        super().watch_highlighted(new)
        if self._moved is not None:
            self._moved(self)

    def _refresh_option(self, index: int) -> None:
        """Redraw one option's lines if they are on screen (all of the pane if unknown)."""
        lines = getattr(self, "_line_cache", None)
        if lines is None or index not in lines.heights:
            self.refresh()  # not laid out yet (or another Textual): nothing to spare
            return
        first, height = lines.index_to_line[index], lines.heights[index]
        top = first - round(self.scroll_offset.y)
        if top < self.size.height and top + height > 0:
            self.refresh(Region(0, top, self.size.width, height))

    def notify_style_update(self) -> None:
        """Styles were re-applied: restyle the lines if a component style changed (a theme)."""
        super().notify_style_update()
        if self.is_mounted:
            # Component styles are recomputed after this call: compare once they are.
            # Focus moves land here too, and must not re-render the whole pane.
            self.call_after_refresh(self._restyle_if_changed)

    def _fresh_styles(self) -> dict[str, Style]:
        return {
            name: self.get_component_rich_style(name, partial=True)
            for name in sorted(self.COMPONENT_CLASSES)
        }

    def _line_styles(self) -> tuple[Style, ...]:
        return tuple(self._fresh_styles().values())

    def _restyle_if_changed(self) -> None:
        if not self.is_attached:
            return  # removed meanwhile (another story is on screen)
        if self._line_styles() != self._styled_with:
            self.rebuild()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    def prompt(self, statement: Statement, st: LineState | None = None) -> Text:
        """The styled line of one statement: gutter mark, tag glyph, status glyph, text.

        Colour is never the only signal: the current claim has the gutter mark and reverse
        video, the status and tag their glyphs, diverging values and search words a text
        style (see the stylesheet), so NO_COLOR and 16-colour terminals lose nothing.
        """
        text = _shown(statement.text)
        if st is None:
            st = self._state_of(statement)
        if statement.kind is not Kind.CLAIM:
            line = Text("   · " + text, style=self._style("statement--furniture"))
            self._mark(line, 5, st.words, "statement--match", len(text))
            return line
        style = Style()
        if st.status is not None:
            style += self._style(f"statement--{st.status.value}")
        if not st.passes_filter:
            style += self._style("statement--filtered")
        tag_style = style
        if st.tag:
            tag_style += self._style(f"statement--{'tag-unique' if st.tag == 'unique' else st.tag}")
        glyph = STATUS_GLYPH[st.status] if st.status else " "
        mark = SELECTED_MARK if st.selected else " "
        line = Text()
        line.append(mark, style=self._style("statement--selected") if st.selected else style)
        line.append(TAG_GLYPH[st.tag], style=tag_style)
        line.append(f"{glyph} ", style=style)
        body = 4
        line.append(text, style=style)
        if st.selected:
            selected = self._style("statement--selected")
            line.stylize(selected, 0, body)
            lo, hi = st.span if st.span else (0, len(text))
            line.stylize(selected, body + lo, body + min(hi, len(text)))
        self._mark(line, body, st.values, "statement--value", len(text))
        self._mark(line, body, st.words, "statement--match", len(text))
        if st.others:
            line.append(f" [{st.others}]", style=style)
        return line

    def _mark(
        self, line: Text, offset: int, ranges: tuple[tuple[int, int], ...], name: str, n: int
    ) -> None:
        if not ranges:
            return
        mark = self._style(name)
        for a, b in ranges:
            if a < n:
                line.stylize(mark, offset + a, offset + min(b, n))

    def rebuild(self) -> None:
        """Re-render every line (after a theme or filter change)."""
        self._styles = self._fresh_styles()
        self._styled_with = tuple(self._styles.values())
        highlighted, scroll_y = self.highlighted, self.scroll_y
        self._pending.clear()
        self._forget_renders()
        self.clear_options()
        if self.bulk:
            self.add_options(_LazyOption(self.prompt, s) for s in self.statements)
        else:
            states = [self._state_of(s) for s in self.statements]
            self._state_at = dict(enumerate(states))
            self.add_options(
                Option(self.prompt(s, st), id=s.id)
                for s, st in zip(self.statements, states, strict=True)
            )
        if highlighted is not None:
            # Restored without a Highlighted message: nobody moved, so no claim is selected.
            self.set_reactive(OptionList.highlighted, highlighted)
        self.scroll_to(y=scroll_y, animate=False, immediate=True)

    def refresh_statements(self, ids: set[str]) -> None:
        """Re-render the lines of some statements (after a tag or selection change).

        A pane not laid out, or out of sight (a page of panes away, or behind the aligned
        view), only notes them: their lines are made when the pane is drawn or read, so a
        key press costs nothing in the panes out of sight (restyled at once, the panes of a
        tour of 25 made j take 56 ms instead of 41).
        """
        if not self.option_count:
            return  # not built yet: the first build draws the current state
        self._pending |= ids
        if self._laid_out() and self._in_sight():
            self._flush()

    def _laid_out(self) -> bool:
        lines = getattr(self, "_line_cache", None)
        return lines is None or bool(lines.heights)  # unknown internals: restyle now

    def _in_sight(self) -> bool:
        """The pane's box is shown (the row hides the boxes of the panes out of its window)."""
        box = self.parent
        return box is None or bool(box.display)

    def _flush(self) -> None:
        """Re-render the lines noted while the pane was out of sight."""
        pending, self._pending = self._pending, set()
        for sid in pending:
            n = self.index_of.get(sid)
            if n is None:
                continue
            statement = self.statements[n]
            st = self._state_of(statement)
            if not self.bulk and self._state_at.get(n) == st:
                continue  # its line looks as it did
            prompt = self.prompt(statement, st)
            if not self.bulk:
                self._state_at[n] = st
            if not self._restyle(n, prompt, st):
                self.replace_option_prompt_at_index(n, prompt)

    def _forget_renders(self) -> None:
        self._state_at.clear()
        self._renders.clear()
        self._state_heights.clear()

    def _clear_caches(self) -> None:
        """The width changed: every render and height goes (OptionList's and the pane's)."""
        self._renders.clear()
        self._state_heights.clear()
        super()._clear_caches()

    def _update_lines(self) -> None:
        """A pane in bulk: every option is one line, so nothing is measured."""
        if not self.bulk:
            super()._update_lines()
            return
        try:
            cache = self._line_cache
            lines = cache.lines
        except AttributeError:  # a Textual whose internals differ
            super()._update_lines()
            return
        if not self.scrollable_content_region:
            return
        start, count = len(lines), len(self.options)
        if start < count:
            cache.index_to_line.update((n, n) for n in range(start, count))
            cache.heights.update((n, 1) for n in range(start, count))
            lines.extend((n, 0) for n in range(start, count))
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the pane, first making the lines noted while it was out of sight.

        What every line of one draw shares (the scroll offset, the line map, the option
        styles) is looked up once here, not per line as OptionList does: a pane that
        scrolls redraws each of its lines, and a claim change scrolls several panes.
        """
        if self._pending:
            self._flush()
        if self._laid_width < 0 and self._drawn_width < 0:
            self._drawn_width = self._wrap_width()
        self._update_lines()
        try:
            self._frame = _Frame(
                round(self.scroll_offset.y),
                self._line_cache.lines,
                self.options,
                self._option_render_cache,
                self.get_component_styles("option-list--option").padding,
                self.get_visual_style("option-list--option"),
                self.get_visual_style("option-list--option", "option-list--option-highlighted"),
            )
        except AttributeError:  # a Textual whose internals differ
            return super().render_lines(crop)
        except KeyError:  # drawn before its styles are read (mounting): blank until then
            self.refresh()
            return [Strip.blank(crop.width)] * crop.height
        try:
            return Widget.render_lines(self, crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        """One line of the pane, from the option renders OptionList caches."""
        frame = self._frame
        if frame is None:
            return super().render_line(y)
        try:
            index, line_offset = frame.lines[frame.scroll_y + y]
            option = frame.options[index]
        except IndexError:
            return super().render_line(y)
        if option.disabled or self._mouse_hovering_over == index:
            return super().render_line(y)  # rare: OptionList's own styles
        style = frame.highlighted if self.highlighted == index else frame.normal
        strips = frame.renders.get((option, style, frame.padding))
        if strips is None:
            st = self._state_at.get(index)
            strips = self._renders.get((index, st, style)) if st is not None else None
            if strips is not None:
                frame.renders[(option, style, frame.padding)] = strips
            else:
                strips = self._get_option_render(option, style)
                if st is not None:
                    if len(self._renders) > RENDERS_MAX:
                        self._renders.clear()
                    self._renders[(index, st, style)] = strips
        if line_offset >= len(strips):
            return super().render_line(y)
        return strips[line_offset]

    def follow(self, index: int) -> None:
        """Put the cursor on option ``index`` and scroll to it (when shown, if out of sight:
        scrolling every pane made so far was most of a move's time after a tour of them)."""
        if self._laid_out() and self._in_sight():
            self.highlighted = index
            self.scroll_to_highlight(top=False)
        else:  # OptionList scrolls to the cursor when the pane shows
            self.set_reactive(StatementList.highlighted, index)

    def get_option_at_index(self, index: int) -> Option:
        """The option at ``index``, its line up to date even in a pane out of sight."""
        if self._pending:
            self._flush()
        return super().get_option_at_index(index)

    def _restyle(self, index: int, prompt: Text, st: LineState | None = None) -> bool:
        """Swap one option's prompt, re-rendering only that option when its height holds.

        OptionList's own replace drops every cached render and line height, which costs
        a re-wrap of the whole pane on every selection change. A pane not laid out (hidden
        behind others) has nothing cached: its prompt is swapped and drawn when it shows.
        The height is measured, not the text compared: the gutter mark changes the text
        without changing the wrap. This reaches into OptionList's caches; a Textual whose
        internals differ falls back to the public call.
        """
        try:
            cache = self._option_render_cache
            lines = self._line_cache
            option = self.options[index]
            if not lines.heights:  # not laid out: no line of this pane is cached
                option._set_prompt(prompt)
                self._discard(option)
                return True
            height = lines.heights[index]
            first = lines.index_to_line[index]
            padding = self.get_component_styles("option-list--option").padding
            width = self.scrollable_content_region.width - self._get_left_gutter_width()
            old = option.prompt
            option._set_prompt(prompt)
            new_height = self._state_heights.get((index, st)) if st is not None else None
            if new_height is None:
                rules = cast(RulesMap, self.styles)
                new_height = self._get_visual(option).get_height(rules, width - padding.width)
                if st is not None:
                    if len(self._state_heights) > RENDERS_MAX:
                        self._state_heights.clear()
                    self._state_heights[(index, st)] = new_height
            if new_height + option._divider != height:
                option._set_prompt(old)
                return False  # the wrap changed: let OptionList re-measure every line
            self._discard(option)
        except (AttributeError, KeyError, IndexError, TypeError):
            return False  # a Textual whose internals differ
        del cache, first, height
        self._refresh_option(index)
        return True

    def _discard(self, option: Option) -> None:
        cache = self._option_render_cache
        stale = [key for key in cache.keys() if key[0] is option]  # noqa: SIM118 (not a dict)
        for key in stale:
            cache.discard(key)

    async def _on_click(self, event: events.Click) -> None:
        """A click selects the statement (and its claim); a double click opens its detail."""
        clicked = event.style.meta.get("option")
        if clicked is None:
            return
        event.prevent_default()  # OptionList would treat every click as enter
        self.focus()
        self.highlighted = clicked
        if event.chain >= 2:
            self.action_select()

    def action_first(self) -> None:
        """Go to the first statement."""
        if self.option_count:
            self.highlighted = 0

    def action_last(self) -> None:
        """Go to the last statement."""
        if self.option_count:
            self.highlighted = self.option_count - 1

    def current(self) -> Statement | None:
        """The statement under the cursor."""
        if self.highlighted is None:
            return None
        return self.statements[self.highlighted]


@dataclass(frozen=True)
class _Frame:
    """What the lines of one draw share."""

    scroll_y: int
    lines: list[tuple[int, int]]
    options: list[Option]
    renders: Any  # OptionList's cache of option renders, keyed (option, style, padding)
    padding: Spacing
    normal: VisualStyle
    highlighted: VisualStyle


class _LazyOption(Option):
    """An option whose styled line is made when it is first drawn or read (bulk panes)."""

    def __init__(self, make: Callable[[Statement], Text], statement: Statement) -> None:
        super().__init__("", id=statement.id)
        self._make: Callable[[Statement], Text] | None = make
        self._statement = statement

    @property
    def prompt(self) -> Text | str:
        if self._make is not None:
            self._prompt, self._make = self._make(self._statement), None
        return self._prompt  # type: ignore[return-value]

    def _set_prompt(self, prompt: object) -> None:
        self._make = None
        super()._set_prompt(prompt)  # type: ignore[arg-type]


def _shown(text: str) -> str:
    # A "statement" of thousands of characters is a text without full stops (a scraped
    # table, a dump): wrapping all of it would stall the pane; the detail view has it all.
    if len(text) <= SHOWN_MAX:
        return text
    return f"{text[:SHOWN_MAX]}… ({len(text) - SHOWN_MAX:,} more characters)"


def _css_id(article_id: str) -> str:
    """A valid, unique widget id for any file name ("café news", "日本", "1-start")."""
    ascii_part = re.sub(r"[^A-Za-z0-9_-]+", "_", article_id)[:40]
    digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8]
    return f"{ascii_part}-{digest}"
