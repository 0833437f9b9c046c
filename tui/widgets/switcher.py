"""The one-line pane switcher shown when not every pane fits."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widget import Widget


class PaneSwitcher(Widget):
    """Which pane is shown, out of how many; its text changes without a re-layout.

    A Static would re-lay out the whole screen on each update, and it updates on every
    `tab`; this widget's size is fixed by the stylesheet, so a repaint is enough.
    """

    label: reactive[str] = reactive("")

    def render(self) -> str:
        """The current label."""
        return self.label
