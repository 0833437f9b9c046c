"""The app's keys: one list feeds the bindings, the reviewer's keymap, the help and the palette.

Every binding has an ``id`` so a reviewer can remap it (``tui.keymap``); the help screen
and the command palette are built from the same list, so they cannot drift from the keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

# Actions on the review itself: not while help, export or the anchors list is open.
REVIEW_ACTIONS = frozenset(
    {"claim", "tag", "undo", "redo", "note", "detail", "search", "match", "filter"}
    | {"navigator", "copy", "anchors", "export", "aligned", "difference", "pane_to"}
)
DETAIL_ACTIONS = frozenset({"tag", "undo", "redo", "note", "copy"})

# ? and q come first: the footer cuts from the right on a narrow terminal.
KEYS: list[Binding] = [
    Binding("question_mark", "help", "Help, all keys", id="help"),
    Binding("q", "quit", "Quit", id="quit"),
    Binding("tab", "pane(1)", "Next pane", show=False, id="pane.next", priority=True),
    Binding("shift+tab", "pane(-1)", "Prev pane", show=False, id="pane.prev", priority=True),
    *(
        Binding(str(n), f"pane_to({n})", f"Pane {n}", show=False, id=f"pane.{n}")
        for n in range(1, 10)
    ),
    Binding("right_square_bracket", "claim(1)", "Next claim", id="claim.next"),
    Binding("left_square_bracket", "claim(-1)", "Prev claim", show=False, id="claim.prev"),
    Binding(
        "greater_than_sign",
        "difference(1)",
        "Next difference",
        show=False,
        id="difference.next",
    ),
    Binding(
        "less_than_sign", "difference(-1)", "Prev difference", show=False, id="difference.prev"
    ),
    Binding("c", "tag('confirmed')", "Confirm", id="tag.confirmed"),
    Binding("d", "tag('disputed')", "Dispute", id="tag.disputed"),
    Binding("u", "tag('unique')", "Unique", id="tag.unique"),
    Binding("C", "tag('confirmed', False)", "Confirm, stay", show=False, id="tag.confirmed.stay"),
    Binding("D", "tag('disputed', False)", "Dispute, stay", show=False, id="tag.disputed.stay"),
    Binding("U", "tag('unique', False)", "Unique, stay", show=False, id="tag.unique.stay"),
    Binding("x", "tag(None)", "Clear tag", show=False, id="tag.clear"),
    Binding("z", "undo", "Undo", show=False, id="undo"),
    Binding("Z", "redo", "Redo", show=False, id="redo"),
    Binding("a", "note", "Note", id="note"),
    Binding("enter", "detail", "Detail", id="detail"),
    Binding("v", "aligned", "Aligned", id="aligned"),
    Binding("f", "filter", "Filter", id="filter"),
    Binding("slash", "search", "Search", id="search"),
    Binding("n", "match(1)", "Next match", show=False, id="match.next"),
    Binding("N", "match(-1)", "Prev match", show=False, id="match.prev"),
    Binding("l", "navigator", "Claims", show=False, id="navigator"),
    Binding("y", "copy", "Copy", show=False, id="copy"),
    Binding("o", "anchors", "Changed anchors", show=False, id="anchors"),
    Binding("e", "export", "Export", show=False, id="export"),
    Binding("s", "stories", "Stories", show=False, id="stories"),
    Binding("ctrl+c", "help_quit", show=False, system=True),
]


def binding_ids() -> list[str]:
    """The ids a keymap file may rebind, in the order the keys are declared."""
    return [b.id for b in KEYS if b.id]


def help_keys(pane: Iterable[BindingType]) -> list[Binding]:
    """What the help lists: the pane's movement keys, the palette, then the app's keys."""
    moves = [b for b in pane if isinstance(b, Binding)]
    palette = Binding("ctrl+p", "", "Command palette (every action, export, theme)")
    jump = Binding("1", "", "Jump to source pane 1–9 (the number before its name)")
    columns = Binding("h,l", "", "Aligned view: previous / next source column")
    app = [b for b in KEYS if not (b.action.startswith("pane_to") or b.system)]
    return [*moves, palette, jump, columns, *app]


def palette_keys() -> list[Binding]:
    """The actions the command palette offers, once each (quit comes from Textual)."""
    seen = {"quit", "help_quit"}
    keys = []
    for b in KEYS:
        if b.action in seen or b.action.startswith("pane_to"):
            continue
        seen.add(b.action)
        keys.append(b)
    return keys
