"""The note editor: a modal with a multi-line editor; ctrl+s saves, esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea


class NoteScreen(ModalScreen[str | None]):
    """Edit a claim's note; dismisses with the new text, or None when cancelled."""

    BINDINGS = [("ctrl+s", "save", "Save"), ("escape", "cancel", "Cancel")]

    def __init__(self, note: str, title: str, claim_id: str) -> None:
        super().__init__()
        self.note = note
        self.title_text = title
        self.claim_id = claim_id

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(self.title_text, id="note-title", markup=False)
            yield TextArea(self.note, id="note-editor")
            with Horizontal(id="note-buttons"):
                yield Button("Save (ctrl+s)", id="note-save", variant="primary")
                yield Button("Cancel (esc)", id="note-cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def text(self) -> str:
        """The text as edited so far."""
        return self.query_one(TextArea).text

    def edited(self) -> bool:
        """Whether the text differs from the note the editor opened with."""
        return self.text() != self.note

    def action_save(self) -> None:
        """Close, keeping the text."""
        self.dismiss(self.text())

    def action_cancel(self) -> None:
        """Close, dropping the edit."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "note-save":
            self.action_save()
        else:
            self.action_cancel()
