"""The loading line: what the background analysis is doing while the reviewer reads."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar


class Loading(Vertical):
    """Articles read, the analysis's stage and its progress; one line once articles show."""

    def __init__(self, total: int) -> None:
        super().__init__(id="loading")
        self.total = total  # the corpus's articles
        self.read = 0  # articles shown while the analysis runs
        self.stage = ""  # what the analysis is doing, as the line says it

    def compose(self) -> ComposeResult:
        yield Label("Analysing the corpus…", id="loading-label")
        yield ProgressBar(total=1.0, show_eta=False, id="loading-bar")

    def articles_read(self, count: int) -> None:
        """``count`` more articles are on screen: the line shrinks to one row above them."""
        self.read += count
        self.add_class("-reading")
        if self.stage == "":
            self.stage = "segmenting"
        self._show()

    def progress(self, stage: str, fraction: float) -> None:
        """The analysis reached ``stage``, ``fraction`` of the way."""
        self.stage = stage
        self._show(fraction)

    def failed(self, message: str) -> None:
        """The analysis failed: there will be no claims to tag."""
        self.stage = f"✗ the analysis failed ({message}): no claims to tag"
        self._show()

    def _show(self, fraction: float | None = None) -> None:
        parts = [f"{self.read:,} / {self.total:,} articles read"] if self.read else []
        parts.append(f"claims: {self.stage}…" if self.stage else "Analysing the corpus…")
        if self.read and "failed" not in self.stage:
            parts.append("tagging opens when the claims arrive")
        self.query_one("#loading-label", Label).update(" · ".join(parts))
        if fraction is not None:
            self.query_one("#loading-bar", ProgressBar).update(progress=fraction)
