"""The story list: a folder of many stories is reviewed one story at a time."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.core.model import Analysis, Status, Story

StoryCounts = tuple[int, int, int]  # a story's claims, shared claims, divergent claims


def story_counts(analysis: Analysis) -> dict[str, StoryCounts]:
    """Each story's claim counts, from one pass over the claims (a day of news has many)."""
    counts: dict[str, list[int]] = {s.id: [0, 0, 0] for s in analysis.stories}
    for c in analysis.claims:
        row = counts.get(c.story or "")
        if row is not None:
            row[0] += 1
            row[1] += c.status is not Status.UNIQUE
            row[2] += c.status is Status.DIVERGENT
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def story_row(
    analysis: Analysis, story: Story, counts: StoryCounts, tagged: int, current: bool = False
) -> Text:
    """One entry per story: title, articles, sources, claims by status, tagged progress.

    The entry under the cursor starts with ▶: a mark that needs no colour (NO_COLOR).
    """
    claims, shared, divergent = counts
    sources = {analysis.article(a).display_name for a in story.articles}
    return Text.assemble(
        "▶ " if current else "  ",
        (story.title or story.id, "bold"),
        f"\n      {_count(len(story.articles), 'article')} from ",
        f"{_count(len(sources), 'source')} · ",
        f"{_count(claims, 'claim')} ({shared} shared, {divergent} divergent) · ",
        f"{tagged} / {claims} tagged · {story.id}",
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class StoryPicker(ModalScreen[str]):
    """Pick the story to review; enter opens it, esc keeps the current one."""

    BINDINGS = [
        Binding("escape", "dismiss_current", "Back", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(
        self, analysis: Analysis, tagged: Callable[[Story], int], current: str | None = None
    ) -> None:
        super().__init__()
        self.analysis = analysis
        self.tagged = tagged
        self.current = current
        self.counts = story_counts(analysis)
        self.marked: int | None = None  # the entry drawn with ▶

    def _row(self, n: int, current: bool = False) -> Text:
        story = self.analysis.stories[n]
        return story_row(self.analysis, story, self.counts[story.id], self.tagged(story), current)

    def compose(self) -> ComposeResult:
        yield Label(
            f"{len(self.analysis.stories)} stories in this corpus: enter to review one "
            "(s to come back here)",
            id="stories-title",
        )
        yield OptionList(
            *(Option(self._row(n), id=s.id) for n, s in enumerate(self.analysis.stories)),
            id="stories",
        )

    def on_mount(self) -> None:
        stories = self.query_one(OptionList)
        ids = [s.id for s in self.analysis.stories]
        stories.highlighted = ids.index(self.current) if self.current in ids else 0
        stories.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Move the ▶ mark to the story under the cursor (two entries are drawn again)."""
        stories = self.query_one(OptionList)
        if self.marked is not None and self.marked != event.option_index:
            stories.replace_option_prompt_at_index(self.marked, self._row(self.marked))
        stories.replace_option_prompt_at_index(
            event.option_index, self._row(event.option_index, current=True)
        )
        self.marked = event.option_index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen story."""
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cursor(self, step: int) -> None:
        """j/k move as in every list."""
        stories = self.query_one(OptionList)
        if step > 0:
            stories.action_cursor_down()
        else:
            stories.action_cursor_up()

    def action_dismiss_current(self) -> None:
        """Leave the picker on the story already open (the first when none is)."""
        self.dismiss(self.current or self.analysis.stories[0].id)
