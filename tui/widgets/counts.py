"""A pane's claim counts, in words when they fit and as glyphs when not: never cut mid-word."""

from __future__ import annotations

from textual.widget import Widget

from tui.core.model import Status
from tui.core.review.session import STATUS_GLYPH


def counts_text(counts: dict[Status, int], width: int) -> str:
    """The longest form of the counts that fits ``width`` columns."""
    long = "  ".join(f"{STATUS_GLYPH[s]} {counts[s]} {s.value}" for s in Status)
    if len(long) <= width:
        return long
    short = "  ".join(f"{STATUS_GLYPH[s]} {counts[s]}" for s in Status)
    return (
        short if len(short) <= width else " ".join(f"{STATUS_GLYPH[s]}{counts[s]}" for s in Status)
    )


class PaneCounts(Widget):
    """Counts of overlap, divergent and unique claims in one article."""

    def __init__(self, counts: dict[Status, int]) -> None:
        super().__init__(classes="pane-counts")
        self.counts = counts

    def render(self) -> str:
        """The counts, fitted to the widget's width."""
        return counts_text(self.counts, self.content_size.width)
