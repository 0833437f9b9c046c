"""Text shown exactly as written: article text, titles, notes, file names."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static


class Plain(Static):
    """A Static that never reads its text as Textual markup.

    Statements and notes contain brackets ("[7]", "[/]", "[link](…)"): read as markup they
    would vanish, restyle the text, or stop the app with a MarkupError.
    """

    def __init__(self, content: str = "", **kwargs: Any) -> None:
        super().__init__(content, markup=False, **kwargs)
