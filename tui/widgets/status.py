"""Always-visible status lines: who is reviewing, where it is saved, progress, filter, search."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusBar(Widget):
    """Review state that used to live in vanishing toasts.

    Its height is fixed by the stylesheet (one line; two with ``-problem``, which shows
    why changes are not saved), so an update repaints it without re-laying out the screen.
    """

    COMPONENT_CLASSES = {"status--saved", "status--problem", "status--key"}

    state: reactive[tuple[str, ...]] = reactive(("", "", "", ""))

    def render(self) -> Text:
        """``reviewer · file · saved · progress · filter · search``, the problem below it."""
        who, saved, rest, problem = self.state
        ok = not problem
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(who)
        line.append(" · ")
        line.append(
            saved, style=self.get_component_rich_style("status--saved" if ok else "status--problem")
        )
        if rest:
            line.append(" · " + rest)
        if problem:
            line.append("\n")
            line.append(f"⚠ {problem}", style=self.get_component_rich_style("status--problem"))
        return line
