"""A footer that redraws only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, minus the rebuild on every focus change.

    The stock footer recomposes (mounting a widget per key) whenever the screen's bindings
    are refreshed, which happens on each focus move. Moving between panes would pay for
    that on every `tab` although every pane offers the same keys.
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Recompose only when the shown keys, their labels or their enabled state change."""
        shown = tuple(
            (key, b.binding.action, b.binding.description, b.enabled)
            for key, b in screen.active_bindings.items()
            if b.binding.show or key == self.app.COMMAND_PALETTE_BINDING
        )
        if shown == self._shown:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # only what the stock footer will really redraw
        super().bindings_changed(screen)
