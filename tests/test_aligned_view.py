"""The aligned claim view on its own: drawn lazily at any size, cursor, tags and filters."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from tui.core.model import Analysis, Article, Claim, Kind, Statement, Status
from tui.core.review.session import ReviewSession
from tui.widgets.aligned import CURSOR_MARK, FILLER, AlignedView


def _analysis(claims: int, sources: int) -> Analysis:
    """``claims`` claims over ``sources`` articles; claim n is reported by sources n % 3 == 0."""
    articles = [
        Article(id=f"s{k:02d}", path=Path(f"s{k:02d}.txt"), title=f"Source {k}", text="", sha256="")
        for k in range(sources)
    ]
    statements, out = [], []
    for n in range(claims):
        members = []
        for k in range(sources):
            if (n + k) % 3 == 0:
                text = f"Claim {n} says {n * 7} million in source {k}."
                sid = f"s{k:02d}#{n}"
                statements.append(Statement(sid, f"s{k:02d}", n, 0, len(text), text, Kind.CLAIM))
                members.append(sid)
        status = Status.OVERLAP if len(members) > 1 else Status.UNIQUE
        out.append(Claim(id=f"c{n}", status=status, statements=tuple(members)))
    return Analysis(articles=articles, statements=statements, claims=out)


class _Host(App[None]):
    def __init__(self, view: AlignedView) -> None:
        super().__init__()
        self.view = view
        self.highlighted: list[Claim] = []
        self.selected: list[Claim] = []

    def compose(self) -> ComposeResult:
        yield self.view

    def on_mount(self) -> None:
        self.view.styles.display = "block"
        self.view.build()
        self.view.focus()

    def on_aligned_view_claim_highlighted(self, event: AlignedView.ClaimHighlighted) -> None:
        self.highlighted.append(event.claim)

    def on_aligned_view_claim_selected(self, event: AlignedView.ClaimSelected) -> None:
        self.selected.append(event.claim)


def _screen(view: AlignedView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_a_thousand_claims_by_fifty_sources_draw_only_the_rows_on_screen() -> None:
    analysis = _analysis(1000, 50)
    tags: dict[str, str] = {}
    session = ReviewSession(analysis, tags.get)
    view = AlignedView(session)
    app = _Host(view)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert len(view.claims) == 1000
        # Only what is on screen was made: a screen of rows, and of those only the columns
        # in view (the cursor row may be drawn a second time, with its mark).
        assert 0 < len(view._rows) <= 30 // 3 + 1
        rows = [view._rows.get(key) for key in view._rows.keys()]  # noqa: SIM118 (not a dict)
        assert all(row is not None and len(row.cells) <= 120 // 32 + 2 for row in rows)
        lines = _screen(view)
        assert lines[0].lstrip().startswith("claim") and "s00" in lines[0]
        assert sum(CURSOR_MARK in line for line in lines) == 1
        assert CURSOR_MARK in lines[1] and FILLER.strip("· ") in "".join(lines)

        await pilot.press("G")
        assert view.current() is analysis.claims[-1] and app.highlighted[-1] is view.current()
        await pilot.pause()
        lines = _screen(view)
        assert sum(CURSOR_MARK in line for line in lines) == 1
        assert any("Claim 999 says" in line for line in lines)
        assert len(view._rows) <= 2 * (30 // 3 + 1)

        await pilot.press("k", "k", "g", "j")
        assert view.current() is analysis.claims[1]
        await pilot.press("enter")
        assert app.selected == [analysis.claims[1]]

        # Far columns scroll under the fixed claim column.
        for _ in range(49):
            await pilot.press("l")
        await pilot.pause()
        lines = _screen(view)
        assert "s49" in lines[0] and lines[0].lstrip().startswith("claim")


async def test_a_tag_and_a_filter_redraw_the_rows_they_change() -> None:
    analysis = _analysis(30, 4)
    tags: dict[str, str] = {}
    session = ReviewSession(analysis, tags.get)
    view = AlignedView(session)
    app = _Host(view)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        claim = analysis.claims[0]
        assert "✓" not in _screen(view)[1]
        tags[claim.id] = "confirmed"
        view.refresh_claim(claim)
        await pilot.pause()
        assert "✓" in _screen(view)[1]
        # The app moves the cursor without a message (it made the selection itself).
        before = len(app.highlighted)
        view.show(analysis.claims[5])
        assert view.current() is analysis.claims[5] and len(app.highlighted) == before
        session.cycle_filter()
        view.build()
        assert view.current() is analysis.claims[5]
        texts = view.row_texts(analysis.claims[5])
        assert len(texts) == 1 + len(analysis.articles)
        assert sum(t.plain == FILLER for t in texts[1:]) == sum(
            a.id not in analysis.sources_of(analysis.claims[5]) for a in analysis.articles
        )
