"""The export dialog: pick a format and a file; the core writes it."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from tui.core.review.exports import FORMATS

SUFFIX = {
    "json": "json",
    "jsonl": "jsonl",
    "csv": "csv",
    "markdown": "md",
    "w3c": "jsonld",
    "claimreview": "jsonld",
}


class ExportScreen(ModalScreen[tuple[str, Path] | None]):
    """Ask for a format and a path; dismisses with both, or None when cancelled."""

    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "export", "Export")]

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label(
                "Export reviewed claims (every reviewer's tags and notes)", id="export-title"
            )
            yield Select(
                [(f, f) for f in FORMATS], value="json", allow_blank=False, id="export-format"
            )
            yield Input(str(self.directory / "claimdiff-export.json"), id="export-path")
            with Horizontal(id="export-buttons"):
                yield Button("Export (ctrl+s)", id="export-go", variant="primary")
                yield Button("Cancel (esc)", id="export-cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        box = self.query_one("#export-path", Input)
        path = Path(box.value or "claimdiff-export")
        box.value = str(path.with_suffix("." + SUFFIX[str(event.value)]))

    def action_export(self) -> None:
        """Close with the chosen format and path."""
        fmt = str(self.query_one("#export-format", Select).value)
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify("Give a file to write", severity="error")
            return
        self.dismiss((fmt, Path(path).expanduser()))

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-go":
            self.action_export()
        else:
            self.action_cancel()
