"""Colour modes: which theme a terminal gets, so every mark stays readable in it.

Textual designs in true colour and down-converts; on a 16-colour terminal two theme colours
can land on one ANSI colour ("red on red"). Such terminals, and NO_COLOR, get themes that
are ANSI by declaration: their colours are sent as the terminal's own and never blended.
Every colour below was picked for a contrast of at least 4.5:1 on xterm's palette against
the terminal's own background (black for the dark theme, white for the light one: a
16-colour light theme is for a terminal whose default background is light).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from textual.theme import Theme

Depth = Literal["truecolor", "256", "16", "none"]

ANSI_DARK = Theme(
    name="claimdiff-ansi-dark",
    ansi=True,
    dark=True,
    primary="ansi_bright_cyan",
    secondary="ansi_bright_cyan",
    warning="ansi_bright_yellow",
    error="ansi_bright_red",
    success="ansi_bright_green",
    accent="ansi_bright_magenta",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    variables={
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "footer-key-foreground": "ansi_bright_cyan",
        "block-cursor-background": "ansi_bright_white",
        "block-cursor-foreground": "ansi_black",
        "border": "ansi_bright_cyan",
        "border-blurred": "ansi_bright_black",
        "input-selection-background": "ansi_bright_white",
        "input-selection-foreground": "ansi_black",
    },
)

ANSI_LIGHT = Theme(
    name="claimdiff-ansi-light",
    ansi=True,
    dark=False,
    primary="ansi_blue",
    secondary="ansi_magenta",
    warning="ansi_magenta",
    error="ansi_red",
    # On a light terminal ANSI green and yellow read at about 2:1: blue carries "overlap".
    success="ansi_blue",
    accent="ansi_magenta",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    variables={
        "ansi-background": "ansi_bright_white",
        "ansi-foreground": "ansi_black",
        "footer-key-foreground": "ansi_blue",
        "block-cursor-background": "ansi_black",
        "block-cursor-foreground": "ansi_bright_white",
        "border": "ansi_blue",
        "border-blurred": "ansi_black",
        "input-selection-background": "ansi_black",
        "input-selection-foreground": "ansi_bright_white",
    },
)

ANSI_THEMES = (ANSI_DARK, ANSI_LIGHT)


def colour_depth(color_system: str | None, environ: Mapping[str, str]) -> Depth:
    """The colours the terminal really shows: Rich's detection, and NO_COLOR on top."""
    if "NO_COLOR" in environ or color_system is None:
        return "none"
    return {"truecolor": "truecolor", "256": "256"}.get(color_system, "16")  # type: ignore[return-value]


def needs_ansi(depth: Depth) -> bool:
    """Whether the terminal gets the ANSI themes (16 colours, or no colour at all)."""
    return depth in ("16", "none")


def theme_for(name: str, dark: bool, depth: Depth) -> str:
    """The theme to show for a requested one: its ANSI twin where the terminal needs it."""
    if not needs_ansi(depth) or name in (ANSI_DARK.name, ANSI_LIGHT.name):
        return name
    return ANSI_DARK.name if dark else ANSI_LIGHT.name
