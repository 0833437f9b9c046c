"""The main screen: Textual's Screen, minus a repaint of everything on each focus move."""

from __future__ import annotations

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget


class ReviewScreen(Screen[object]):
    """The screen of the source panes.

    Textual's Screen repaints the whole screen when its focused widget changes, although
    the widgets gaining and losing focus restyle (and so redraw) themselves: `tab` paid a
    full redraw of every pane for a change in two of them.
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
