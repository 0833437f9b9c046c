"""The claim navigator: one line per claim in review order, moved with j/k like the panes."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class ClaimNavigator(OptionList):
    """An OptionList of claims with the same movement keys as a pane."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next claim in list", show=False),
        Binding("k,up", "cursor_up", "Previous claim in list", show=False),
        Binding("g", "first", "First claim in list", show=False),
        Binding("G", "last", "Last claim in list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="navigator", markup=False)
