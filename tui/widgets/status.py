"""Always-visible status lines: who is reviewing, where it is saved, progress, filter, search."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusBar(Widget):
    """Review state that used to live in vanishing toasts.

    Its height is fixed by the stylesheet (two lines: the current claim, then the review
    state; three with ``-problem``, which says why changes are not saved), so an update
    repaints it without re-laying out the screen.
    """

    COMPONENT_CLASSES = {"status--saved", "status--problem", "status--claim"}

    state: reactive[tuple[str, ...]] = reactive(("", "", "", ""))
    claim: reactive[str] = reactive("")

    def render(self) -> Group:
        """The current claim; reviewer, file, saved, progress, filter, search; a problem."""
        who, saved, rest, problem = self.state
        claim = Text(no_wrap=True, overflow="ellipsis")
        claim.append(
            f"▶ {self.claim or 'no claim selected'}",
            style=self.get_component_rich_style("status--claim"),
        )
        state = Text(no_wrap=True, overflow="ellipsis")
        state.append(who)
        state.append(" · ")
        name = "status--problem" if problem else "status--saved"
        state.append(saved, style=self.get_component_rich_style(name))
        if rest:
            state.append(" · " + rest)
        lines = [claim, state]
        if problem:
            lines.append(
                Text(
                    f"⚠ {problem}",
                    style=self.get_component_rich_style("status--problem"),
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )
        return Group(*lines)

    def text(self) -> str:
        """What the status lines say, without styles."""
        return "\n".join(line.plain for line in self.render().renderables if isinstance(line, Text))
