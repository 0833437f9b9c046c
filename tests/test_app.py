"""The review app driven with Pilot: every key asserted by what the reviewer sees."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from tests.conftest import SEEDS
from tui.app import ClaimDiffApp
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Analysis, Status
from tui.screens.detail import DetailScreen
from tui.screens.help import HelpScreen
from tui.screens.note import NoteScreen
from tui.screens.stories import StoryPicker
from tui.widgets.statements import StatementList
from tui.widgets.status import StatusBar


async def until(pilot: Pilot[int], state: Callable[[], object], what: str) -> None:
    """Wait until ``state()`` holds, however busy the machine: each turn lets the app settle.

    The minute is only a failsafe against a hang, never a wait for the state: a test waits
    for what it needs, not for a time that a loaded machine may not meet.
    """
    deadline = time.monotonic() + 60
    while not state():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        await pilot.pause(0.01)


async def ready(app: ClaimDiffApp, pilot: Pilot[int]) -> None:
    """Wait until the panes are up and a claim is selected (state, not a fixed pause)."""
    await until(
        pilot,
        lambda: app.selected is not None and app.session is not None and app.screen.is_mounted,
        "the app showed the analysis",
    )
    await pilot.pause()  # let the first selection's redraw land


def make_app(tmp_path: Path, analysis: Analysis | None = None) -> ClaimDiffApp:
    corpus = load_corpus([SEEDS])
    return ClaimDiffApp(
        corpus,
        analysis=analysis,
        annotations_dir=tmp_path / "ann",
        reviewer="tester",
        depth="truecolor",
    )


def app_on(tmp_path: Path, corpus_dir: Path) -> ClaimDiffApp:
    """The app on a corpus a test wrote, analysed up front; annotations under tmp_path."""
    corpus = load_corpus([corpus_dir])
    return ClaimDiffApp(
        corpus,
        analysis=analyze(corpus),
        annotations_dir=tmp_path / "ann",
        reviewer="tester",
        depth="truecolor",
    )


async def test_analysis_runs_in_a_worker_and_panes_appear(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
        await ready(app, pilot)
        assert app.analysis is not None
        assert len(app.query(StatementList)) == 5
        assert isinstance(app.focused, StatementList)
        assert app.selected is not None


async def test_moving_selects_the_claim_and_scrolls_other_panes(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        await pilot.press("tab", "tab")  # third article
        pane = app.focused
        assert isinstance(pane, StatementList) and pane.article.id.startswith("002")
        # From the headline (the first claim statement) past the date and the headline
        # printed again, to the body's first statement.
        await pilot.press("j", "j", "j", "j")
        statement = pane.current()
        assert statement is not None and app.selected is not None
        assert statement.id in app.selected.statements
        for other in app.query(StatementList):
            mine = [s for s in app.selected.statements if s in other.index_of]
            if other is not pane and mine:
                assert other.current() is not None and other.current().id in mine
        await pilot.press("G")
        assert pane.highlighted == pane.option_count - 1
        await pilot.press("g")
        assert pane.highlighted == 0
        await pilot.press("shift+tab")
        assert app.focused is not pane


async def test_next_claim_walks_the_navigator_order(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        start = app.selected
        await pilot.press("right_square_bracket")
        assert app.selected is not start
        order = seeds_analysis.claims
        assert order.index(app.selected) == (order.index(start) + 1) % len(order)
        await pilot.press("left_square_bracket")
        assert app.selected is start


async def test_tag_saves_moves_on_and_undo_redo_restore(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    path = tmp_path / "ann" / "tester.json"
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        claim = app.selected
        assert claim is not None
        await pilot.press("c")
        saved = json.loads(path.read_text())
        assert [(c["claim"], c["tag"]) for c in saved["claims"]] == [(claim.id, "confirmed")]
        assert app.selected is not claim  # moved on to the next untagged claim
        pane = next(p for p in app.query(StatementList) if claim.statements[0] in p.index_of)
        line = pane.get_option_at_index(pane.index_of[claim.statements[0]]).prompt
        assert str(line)[1:].startswith("✓")  # after the gutter
        await pilot.press("z")
        assert app.store is not None and app.store.tag_of(claim.id) is None
        assert json.loads(path.read_text())["claims"][0]["tag"] is None
        await pilot.press("Z")
        assert app.store.tag_of(claim.id) == "confirmed"
        target = app.selected
        await pilot.press("d")
        assert app.store.tag_of(target.id) == "disputed"
        app._goto(target)
        await pilot.press("x")
        assert app.store.tag_of(target.id) is None


async def test_note_modal_saves_with_ctrl_s_and_cancels_with_esc(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        claim = app.selected
        await pilot.press("a")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"checked")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store is not None and app.store.note_of(claim.id) == "checked"
        await pilot.press("a", "x", "escape")
        await pilot.pause()
        assert app.store.note_of(claim.id) == "checked"
        await pilot.press("a", "end", *" twice")
        await pilot.press("ctrl+q")  # quitting mid-edit keeps what was typed
        await pilot.pause()
    saved = json.loads((tmp_path / "ann" / "tester.json").read_text(encoding="utf-8"))
    notes = [c["note"] for c in saved["claims"] if c["claim"] == claim.id]
    assert notes == ["checked twice"]


async def test_detail_help_filter_search_navigator_copy(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-keys").render())
        for key in ("tab", "]", "?", "/", "Confirm", "Undo", "Filter", "Export"):
            assert key in help_text
        await pilot.press("escape")
        await pilot.press("f")  # overlap
        assert app.filter_mode == "overlap"
        assert all(c.status is Status.OVERLAP for c in app._order)
        nav = app.query_one("#navigator")
        await pilot.press("l")
        assert nav.display
        before = app.selected
        await pilot.press("down", "enter")  # walk the navigator and open a claim from it
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.claim is app.selected is app._order[nav.highlighted]
        assert app.selected is not before
        await pilot.press("escape")
        await pilot.press("l")
        await pilot.press("slash", *"humphrey", "enter")
        await pilot.pause()
        assert len(app.matches) == 3
        pane = app.focused
        assert isinstance(pane, StatementList) and "Humphrey" in pane.current().text
        first = pane.current().id
        await pilot.press("n")
        assert app.focused.current().id != first
        await pilot.press("N")
        assert app.focused.current().id == first
        await pilot.press("y")
        assert "Humphrey" in app.clipboard


async def test_small_and_narrow_terminals(tmp_path: Path, seeds_analysis: Analysis) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(70, 20)) as pilot:
        await ready(app, pilot)
        visible = [b for b in app.query(".pane") if b.display]
        assert len(visible) == 1
        assert app.query_one("#switcher").display
        await pilot.press("tab")
        assert next(b for b in app.query(".pane") if b.display) is not visible[0]
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        assert app.query_one("#too-small").display
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert not app.query_one("#too-small").display
        assert len([b for b in app.query(".pane") if b.display]) == 5


async def test_command_palette_runs_actions(tmp_path: Path, seeds_analysis: Analysis) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        start = app.selected
        await pilot.press("ctrl+p")
        await pilot.press(*"Next claim")

        def found() -> bool:
            lists = app.screen.query(OptionList)
            return any("Next claim" in str(o.prompt) for x in lists for o in x.options)

        await until(pilot, found, "the palette found the command")
        await pilot.press("enter")
        await until(pilot, lambda: app.selected is not start, "the command moved on")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Theme", "Confirm", "Dispute", "Undo", "Export", "Filter", "Copy", "Search"):
            assert title in titles
        over_help = [c.title for c in app.get_system_commands(HelpScreen([]))]
        assert (
            "Help, all keys" in over_help and "Confirm" not in over_help
        )  # not from the help screen


async def test_export_dialog_writes_the_chosen_format(
    tmp_path: Path, seeds_analysis: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Select).value = "csv"
        await pilot.pause()
        target = app.screen.query_one(Input).value
        assert target.endswith(".csv")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Path(target).parent == tmp_path  # not among the reviewers' files
        raw = Path(target).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # the mark Excel needs to read UTF-8
        text = raw.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("claim,status,sources,reviewer,tag")
        assert ",tester,confirmed," in text


async def test_claimreview_from_the_dialog_needs_the_site_url_and_says_what_it_wrote(
    tmp_path: Path, seeds_analysis: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLAIMDIFF_SITE_URL", raising=False)
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        for site in (None, "https://factcheck.example.org/reviews"):
            if site:
                monkeypatch.setenv("CLAIMDIFF_SITE_URL", site)
            await pilot.press("e")
            await pilot.pause()
            app.screen.query_one(Select).value = "claimreview"
            await pilot.pause()
            target = Path(app.screen.query_one(Input).value)
            await pilot.press("ctrl+s")
            await pilot.pause()
            said = [n.message for n in app._notifications][-1]
            if site is None:
                assert "needs --site-url" in said and not target.exists()
            else:
                data = json.loads(target.read_text(encoding="utf-8"))
                reviews = data if isinstance(data, list) else data.get("@graph", [data])
                assert all(r["url"].startswith(site + "#claim-") for r in reviews)
                assert said.startswith(f"{len(reviews)} ClaimReview")


async def test_theme_change_restyles_the_lines(tmp_path: Path, seeds_analysis: Analysis) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        pane = app.query(StatementList).first()
        n = next(i for i, s in enumerate(pane.statements) if seeds_analysis.claims_of(s.id))
        before = [span.style for span in pane.get_option_at_index(n).prompt.spans]
        app.theme = "nord"  # textual-light shares textual-dark's $error colour
        await pilot.pause()
        after = [span.style for span in pane.get_option_at_index(n).prompt.spans]
        assert before != after


async def test_more_panes_than_fit_turn_a_page_and_keep_the_focus_visible(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(100, 30)) as pilot:  # 3 panes of 32 columns fit
        await pilot.pause()

        def shown() -> list[int]:
            return [n for n, b in enumerate(app.query(".pane")) if b.display]

        assert shown() == [0, 1, 2]
        await pilot.press("tab", "tab")
        assert shown() == [0, 1, 2]  # the window holds while the focus stays in it
        await pilot.press("tab")
        assert shown() == [2, 3, 4]  # it turns a page (clipped at the end) when it leaves
        assert "pane 4/5" in app.query_one("#switcher").render()
        await pilot.press("tab")
        assert shown() == [2, 3, 4] and app.pane_index == 4
        await pilot.press("tab")
        assert shown() == [0, 1, 2]  # tab wraps to the first pane
        await pilot.press("shift+tab")
        assert shown() == [2, 3, 4] and app.pane_index == 4
        assert isinstance(app.focused, StatementList)
        assert app.query(".pane")[app.pane_index].display


async def test_a_pane_first_shown_after_a_claim_was_chosen_opens_on_that_claim(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    """Panes out of view are made when first shown; one made then still opens on the
    current claim's statement, as the panes made before it followed the claim."""
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(100, 30)) as pilot:  # 3 panes of 32 columns fit
        await ready(app, pilot)
        first, fourth = seeds_analysis.articles[0].id, seeds_analysis.articles[3].id

        def sources(claim_statements: tuple[str, ...]) -> set[str]:
            return {seeds_analysis.statement(s).article for s in claim_statements}

        claim = next(c for c in seeds_analysis.claims if {first, fourth} <= sources(c.statements))
        app.select_claim(claim)
        await pilot.pause()
        await pilot.press("4")
        await until(pilot, lambda: app.pane_index == 3, "pane 4 took the focus")
        pane = app.focused
        assert isinstance(pane, StatementList) and pane.article.id == fourth
        current = pane.current()
        assert current is not None and current.id in claim.statements


async def test_selection_styles_every_line_of_a_wrapped_statement(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        pane = app.query(StatementList).first()
        n = pane.highlighted
        assert n is not None and pane._heights[n] > 1  # a statement wrapped over lines
        first = pane._index_to_line[n] - round(pane.scroll_offset.y)
        lines = [pane.render_line(first + k) for k in range(pane._heights[n])]
        backgrounds = {seg.style.bgcolor for line in lines for seg in line if seg.text.strip()}
        assert len(backgrounds) == 1  # the same selection background on every line


async def test_annotations_whose_articles_changed_are_announced_and_listed(
    tmp_path: Path, seed_copy: Path
) -> None:
    from tui.core.review.annotations import AnnotationStore, reviewer_file
    from tui.screens.anchors import AnchorsScreen

    corpus_dir = seed_copy
    before = analyze(load_corpus([corpus_dir]))
    ann = tmp_path / "ann"
    ann.mkdir()
    store = AnnotationStore.open(reviewer_file(ann, "tester"), "tester", before)
    changed = next(
        s for s in before.statements if s.text.startswith("The team has grown to over 100")
    )
    deleted = next(s for s in before.statements if s.text.startswith("These zones are designed"))
    for s in (changed, deleted):
        store.set_tag(before.claims_of(s.id)[0].id, "confirmed")
    store.release()
    f4 = corpus_dir / "004_4eed2a7f9bb84d22.txt"
    text = f4.read_text(encoding="utf-8").replace("over 100 staff", "over 120 staff")
    f4.write_text(text.replace(deleted.text, ""), encoding="utf-8")

    app = app_on(tmp_path, corpus_dir)  # its annotations are the ones under tmp_path / "ann"
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("2 of your annotations need a look" in m for m in messages)
        await pilot.press("o")
        assert isinstance(app.screen, AnchorsScreen)
        shown = " ".join(
            str(w.render()) for w in app.screen.query(".anchor-quote, .anchor-now, .anchor-gone")
        )
        assert "over 100 staff" in shown and "over 120 staff" in shown
        assert deleted.text in shown  # the deleted statement's quote is kept and listed
        assert "now reads: “The team has grown to over 120" in shown
        assert "no longer in the article" in shown
        await pilot.press("escape")
        claim = next(c for c in app.analysis.claims if app.store.tag_of(c.id) == "confirmed")
        app.select_claim(claim)
        await pilot.press("enter")
        assert "article changed since this was tagged" in str(
            app.screen.query_one("#detail-anchor").render()
        )


async def test_a_click_selects_a_statement_and_a_double_click_opens_it(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        second = app.query(StatementList)[1]
        await pilot.click(second, offset=(5, 0))
        await pilot.pause()
        assert app.focused is second and second.highlighted == 0
        assert not isinstance(app.screen, DetailScreen)  # a click only selects
        claims = seeds_analysis.claims_of(second.statements[0].id)
        assert claims and app.selected in claims  # the clicked statement's claim
        await pilot.double_click(second, offset=(5, 0))
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)


async def test_an_unusable_annotation_directory_is_said_at_start_and_on_tagging(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    corpus = load_corpus([SEEDS])
    app = ClaimDiffApp(
        corpus,
        analysis=seeds_analysis,
        annotations_dir=blocker / "ann",
        reviewer="tester",
        depth="truecolor",
    )
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        assert any("cannot create" in n.message for n in app._notifications)
        status = app.query_one(StatusBar)
        assert "cannot create" in status.text()  # kept on screen, not only a toast
        claim = app.selected
        await pilot.press("c")
        assert app.store.tag_of(claim.id) is None  # nothing shown that is not saved
        assert any(n.message.startswith("Not saved") for n in app._notifications)
        assert "not saved" in status.text()


async def test_tagging_from_the_detail_view_updates_it_and_other_screens_ignore_review_keys(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        claim = app.selected
        await pilot.press("enter", "d")
        assert isinstance(app.screen, DetailScreen) and app.selected is claim  # stayed put
        assert "tag: ✗ disputed" in str(app.screen.query_one("#detail-head").render())
        await pilot.press("a", *"see notes", "ctrl+s")
        await pilot.pause()
        assert "see notes" in str(app.screen.query_one("#detail-note").render())
        await pilot.press("z")  # undo the note: the open view follows
        assert "no note" in str(app.screen.query_one("#detail-note").render())
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("c", "f")  # not while reading the help
        assert app.store.tag_of(claim.id) == "disputed" and app.filter_mode == "all"


@pytest.mark.parametrize("fast", [True, False], ids=["restyle-in-place", "optionlist-replace"])
async def test_a_tag_shows_on_screen_on_either_restyle_path(
    tmp_path: Path, seeds_analysis: Analysis, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    if not fast:  # what runs on a Textual whose OptionList internals differ
        monkeypatch.setattr(StatementList, "_restyle", lambda *_args: False)
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        claim = app.selected
        pane = next(p for p in app.query(StatementList) if claim.statements[0] in p.index_of)
        n = pane.index_of[claim.statements[0]]

        def drawn() -> str:
            top = pane._index_to_line[n] - round(pane.scroll_offset.y)
            return pane.render_line(top).text

        assert "✓" not in drawn()  # untagged
        await pilot.press("c")
        await pilot.pause()
        assert drawn().lstrip().startswith("✓")


async def test_brackets_in_articles_notes_and_searches_are_shown_as_written(
    tmp_path: Path,
) -> None:
    corpus_dir = tmp_path / "c"
    corpus_dir.mkdir()
    story = "The [/] council approved the [bold]budget[/bold] of £5m on Tuesday [1]."
    (corpus_dir / "a.txt").write_text(f"[Draft] Budget [/]\n{story}\n", encoding="utf-8")
    (corpus_dir / "b.txt").write_text(f"Budget news\n{story}\n", encoding="utf-8")
    app = app_on(tmp_path, corpus_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        assert "[Draft] Budget [/]" in str(app.query(".pane-title").first().render())
        await pilot.press("l")  # the navigator lists the statement text
        await pilot.press("l", "a", *"see [/] and [red]", "ctrl+s")
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        assert "see [/] and [red]" in str(app.screen.query_one("#detail-note").render())
        sources = " ".join(str(w.render()) for w in app.screen.query(".detail-source"))
        assert "[Draft] Budget [/]" in sources
        await pilot.press("escape", "slash", *"[/]", "enter")
        await pilot.pause()
        assert app.matches  # found, and the toast quoting the term did not stop the app


async def test_any_file_name_makes_a_pane(tmp_path: Path) -> None:
    for name in ("café news.txt", "日本.txt", "1-start.md", "café_news.txt"):
        (tmp_path / name).write_text(
            "Title\nThe council approved a £5m budget on Tuesday.\n", encoding="utf-8"
        )
    app = app_on(tmp_path, tmp_path)
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(app, pilot)
        assert len(app.query(StatementList)) == 4
        await pilot.press("tab", "c")
        assert app.store.tag_of(app.analysis.claims[0].id) == "confirmed"


async def test_a_statement_without_full_stops_does_not_stall_its_pane(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Dump\n" + "word " * 50_000 + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title\nThe council met on Tuesday.\n", encoding="utf-8")
    app = app_on(tmp_path, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        pane = app.query(StatementList).first()
        # The run is read as statements of a sentence's size, every word kept, each drawn.
        body = [s for s in pane.statements if s.text != "Dump"]
        assert len(body) > 100 and max(len(s.text) for s in body) <= 600
        assert " ".join(s.text for s in body).split() == ["word"] * 50_000
        last = str(pane.get_option_at_index(pane.option_count - 1).prompt)
        assert "word" in last and len(last) < 700


async def test_other_reviewers_tags_show_and_follow_their_files(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    from tui.core.review.annotations import AnnotationStore, reviewer_file

    ann = tmp_path / "ann"
    claim = next(c for c in seeds_analysis.claims if c.status is not Status.UNIQUE)
    for name, tag in (("ann", "confirmed"), ("ben", "disputed")):
        store = AnnotationStore.open(reviewer_file(ann, name), name, seeds_analysis)
        store.set_tag(claim.id, tag)
        store.release()
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        pane = next(p for p in app.query(StatementList) if claim.statements[0] in p.index_of)

        def line() -> str:
            return str(pane.get_option_at_index(pane.index_of[claim.statements[0]]).prompt)

        assert line().endswith("[✓1 ✗1]")
        ben = AnnotationStore.open(reviewer_file(ann, "ben"), "ben", seeds_analysis)
        ben.set_tag(claim.id, "confirmed")  # ben changes his mind, in his own session
        ben.release()
        app.refresh_others()  # what the 2-second timer does
        await pilot.pause()
        assert line().endswith("[✓2]")
        await pilot.press("l")  # the navigator is filled when it is shown
        nav = [str(o.prompt) for o in app.query_one("#navigator").options]
        assert any("[✓2]" in p for p in nav)


async def test_articles_show_before_their_claims_and_tagging_waits_for_the_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.analysis import pipeline

    real = pipeline.analyze
    release = threading.Event()

    def held(*args: object, **kwargs: object) -> Analysis:
        release.wait(timeout=60)  # a big corpus: held until the test has looked
        return real(*args, **kwargs)  # type: ignore[arg-type]

    from tui.core.analysis import background

    monkeypatch.setattr(pipeline, "analyze", held)
    # The seeds analyse in half a second and are shown once; a corpus that takes longer
    # shows its articles first.
    monkeypatch.setattr(background, "DRAW_ONCE_MAX", 0)
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        panes = lambda: list(app.query(StatementList))  # noqa: E731
        await until(pilot, lambda: any(p.option_count for p in panes()), "the articles showed")
        first = panes()[0]
        assert first.option_count == len(first.statements) > 0  # the text, before any claim
        assert app.analysis is None and app.selected is None
        loading = str(app.query_one("#loading-label").render())
        assert "tagging opens when the claims arrive" in loading  # said on screen
        await pilot.press("f", "right_square_bracket", "c", "l", "e", "o", "a", "enter")
        assert app.filter_mode == "all" and app.screen is app.screen_stack[0]
        assert not (tmp_path / "ann" / "tester.json").exists()  # nothing was tagged
        await pilot.press("tab", "j")  # reading goes on meanwhile
        assert app.focused is panes()[1]
        release.set()
        await ready(app, pilot)
        assert app.analysis is not None and app.analysis.claims
        assert not app.query_one("#loading").display
        assert app.pane_index == 1 and app.focused is app._panes[1]  # the reader's place kept

        def keys() -> list[str]:
            return [k.description for k in app.screen.query("FooterKey")]

        await until(pilot, lambda: "Next claim" in keys(), "the footer shows the review keys")
        assert "Confirm" in keys()  # the keys are back
        await pilot.press("c")
        assert (tmp_path / "ann" / "tester.json").exists()


async def test_skipped_files_are_said_in_the_app(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\nThe council met on Tuesday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title\nThe mayor spoke on Tuesday.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01binary")
    app = ClaimDiffApp(
        load_corpus([tmp_path]), annotations_dir=tmp_path / "ann", reviewer="t", depth="truecolor"
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("c.txt: binary file, skipped" in n.message for n in app._notifications)


def _drawn(pane: StatementList, index: int) -> list:
    """The segments drawn for the first line of option ``index`` (it must be on screen)."""
    top = pane._index_to_line[index] - round(pane.scroll_offset.y)
    return list(pane.render_line(top))


async def _laid_out(pilot: Pilot[int], pane: StatementList) -> None:
    """Wait until a pane just shown has its size, its lines and a scroll position that
    holds over two pauses (on a busy machine its layout can land a frame or two later)."""
    seen = None
    for _ in range(200):
        await pilot.pause()
        now = (pane.size, pane.scroll_offset, len(pane._lines))
        if pane.size.width and pane._lines and now == seen:
            return
        seen = now
    raise AssertionError("the pane was never laid out")


async def test_a_pane_out_of_sight_shows_the_current_claim_when_it_comes_into_view(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    """One pane at a time (80×24): the panes out of sight catch up when they are shown, the
    first time and again after the claim changed while they were hidden."""
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        for moves in (3, 4):  # the second tour finds every pane laid out, then hidden
            await pilot.press(*["right_square_bracket"] * moves)
            claim = app.selected
            assert claim is not None
            for _ in app._panes:
                await pilot.press("tab")
                pane = app.focused
                assert isinstance(pane, StatementList)
                await _laid_out(pilot, pane)
                top = round(pane.scroll_offset.y)
                shown = {pane._lines[y][0] for y in range(top, top + pane.size.height)}
                for n in shown:
                    marked = "▶" in "".join(seg.text for seg in _drawn(pane, n))[:3]
                    assert marked == (pane.statements[n].id in claim.statements)
                mine = [pane.index_of[s] for s in claim.statements if s in pane.index_of]
                if mine:
                    assert mine[0] in shown  # scrolled to the claim while out of sight


async def test_after_next_claim_only_the_current_claim_is_marked_in_any_pane(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(app, pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        claim = app.selected
        for pane in app.query(StatementList):
            for n, s in enumerate(pane.statements):
                marked = str(pane.get_option_at_index(n).prompt).startswith("▶")
                assert marked == (s.id in claim.statements)
            if pane is app.focused or pane.highlighted is None:
                continue
            if pane.statements[pane.highlighted].id in claim.statements:
                continue
            # A pane without the claim keeps its cursor where it was: it must not look selected.
            line = _drawn(pane, pane.highlighted)
            assert not any(seg.style and seg.style.reverse for seg in line if seg.text.strip())


async def test_tag_then_note_writes_on_the_claim_just_tagged_and_capitals_stay(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        tagged = app.selected
        await pilot.press("c")
        assert app.selected is not tagged
        await pilot.press("a")
        assert isinstance(app.screen, NoteScreen) and app.screen.claim_id == tagged.id
        title = str(app.screen.query_one("#note-title").render())
        first_words = " ".join(seeds_analysis.statement(tagged.statements[0]).text.split()[:4])
        assert first_words in title  # the dialog names the claim
        await pilot.press(*"ok", "ctrl+s")
        await pilot.pause()
        assert app.store.note_of(tagged.id) == "ok"
        here = app.selected
        await pilot.press("D")  # tag without moving on
        assert app.selected is here and app.store.tag_of(here.id) == "disputed"
        await pilot.press("a")
        assert app.screen.claim_id == here.id


async def test_number_keys_jump_to_a_pane_and_the_navigator_moves_with_j_k(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        await pilot.press("3")
        assert app.focused is app.query(StatementList)[2]
        names = [str(n.render()) for n in app.query(".pane-name")]
        assert names[2] == f"3 {seeds_analysis.articles[2].display_name}"
        await pilot.press("l")
        nav = app.query_one("#navigator")
        start = nav.highlighted
        await pilot.press("j", "j", "k")
        assert nav.highlighted == start + 1 and app.selected is app._order[start + 1]


async def test_a_keymap_file_remaps_by_binding_id_and_a_bad_one_is_named(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    keys = tmp_path / "keymap.toml"
    keys.write_text('"tag.confirmed" = "w"\n', encoding="utf-8")
    app = ClaimDiffApp(
        analysis=seeds_analysis,
        annotations_dir=tmp_path / "ann",
        reviewer="tester",
        depth="truecolor",
        keymap=keys,
    )
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        claim = app.selected
        await pilot.press("w")
        assert app.store.tag_of(claim.id) == "confirmed"
    keys.write_text('"tag.confirm" = "w"\nbroken', encoding="utf-8")
    app = ClaimDiffApp(
        analysis=seeds_analysis,
        annotations_dir=tmp_path / "ann2",
        reviewer="tester",
        depth="truecolor",
        keymap=keys,
    )
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        problems = [n.message for n in app._notifications if n.title == "Keymap"]
        assert problems and str(keys) in problems[0] and "not valid TOML" in problems[0]
        claim = app.selected
        await pilot.press("c")  # the default keys still work
        assert app.store.tag_of(claim.id) == "confirmed"


async def test_ctrl_c_says_how_to_quit_in_plain_words_and_the_footer_keeps_help_and_quit(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+c")
        message = (
            app._notifications.last().message
            if hasattr(app._notifications, "last")
            else [n.message for n in app._notifications][-1]
        )
        assert "quit" in message and "[" not in message
        shown = {k.key: k.region for k in app.screen.query("FooterKey")}
        for key in ("question_mark", "q"):
            assert key in shown and shown[key].right <= 80 and shown[key].width > 0


async def test_status_line_shows_reviewer_file_progress_filter_and_search(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(260, 45)) as pilot:
        await ready(app, pilot)
        status = app.query_one(StatusBar)
        total = len(seeds_analysis.claims)
        text = status.text()
        assert "tester" in text and "tester.json" in text and "✓ saved" in text
        assert f"0 / {total} claims tagged" in text
        await pilot.press("c", "f", "slash", *"humphrey", "enter")
        await pilot.pause()
        text = status.text()
        assert f"1 / {total} claims tagged" in text and "filter: overlap" in text
        assert "search: “humphrey” 3" in text
        await pilot.press("f", "greater_than_sign")  # the main screen says who disagrees on what
        claim = app.selected
        first = status.text().splitlines()[0]
        assert first.startswith("▶ ≠ divergent") and " vs " in first
        kind = claim.divergences[0].kind.value
        names = [
            seeds_analysis.article(seeds_analysis.statement(sid).article).display_name
            for sid in claim.divergences[0].statements
        ]  # the two sources that disagree
        assert f"{kind}: " in first and all(name in first for name in names)


async def test_filter_dims_instead_of_dropping_and_search_marks_only_the_words(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        pane = app.query(StatementList).first()
        n = next(
            i
            for i, s in enumerate(pane.statements)
            if any(c.status is not Status.OVERLAP for c in seeds_analysis.claims_of(s.id))
            and s.id not in app.selected.statements
        )
        before = pane.get_option_at_index(n).prompt
        await pilot.press("f")  # overlap: this line's claim is left out
        after = pane.get_option_at_index(n).prompt
        assert str(after) == str(before)  # still there, glyphs and all
        assert any(span.style.dim for span in after.spans)
        assert {s.style.color for s in after.spans} == {s.style.color for s in before.spans}
        await pilot.press("slash", *"humphrey", "enter")
        await pilot.pause()
        pane = app.focused
        line = pane.get_option_at_index(pane.highlighted).prompt
        words = [
            str(line)[span.start : span.end]
            for span in line.spans
            if span.style.italic and span.style.underline
        ]
        assert words and all(w.lower() == "humphrey" for w in words)


async def test_aligned_view_shares_the_selection_and_shows_missing_sources(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    from tui.widgets.aligned import CURSOR_MARK, FILLER, AlignedView

    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        await pilot.press("right_square_bracket")
        claim = app.selected
        await pilot.press("v")
        table = app.query_one(AlignedView)
        assert table.display and app.focused is table
        assert table.current() is claim
        await pilot.press("greater_than_sign")
        divergent = app.selected
        assert divergent.status is Status.DIVERGENT and table.current() is divergent
        row = table.row_texts(divergent)
        sources = set(seeds_analysis.sources_of(divergent))
        for article, cell in zip(seeds_analysis.articles, row[1:], strict=True):
            assert (cell.plain == FILLER) == (article.id not in sources)
        assert any(d.kind.value in row[0].plain for d in divergent.divergences)
        # The cursor row is marked by a glyph as well as by its style, on screen.
        await pilot.pause()
        drawn = [table.render_line(y).text for y in range(table.size.height)]
        assert sum(CURSOR_MARK in line for line in drawn) == 1
        assert any(f"{CURSOR_MARK}" in line and "divergent" in line for line in drawn)
        await pilot.press("j")
        moved = app.selected
        assert moved is not divergent
        await pilot.press("v")
        assert not table.display and isinstance(app.focused, StatementList)
        assert app.selected is moved
        assert any(s in app.focused.index_of for s in moved.statements)


def test_counts_are_never_cut_mid_word() -> None:
    from tui.widgets.counts import counts_text

    counts = {Status.OVERLAP: 12, Status.DIVERGENT: 1, Status.UNIQUE: 38}
    assert counts_text(counts, 80) == "= 12 overlap  ≠ 1 divergent  ◇ 38 unique"
    for width in range(10, 45):
        shown = counts_text(counts, width)
        assert shown.split()[-1] in {"unique", "38", "◇38"}


async def test_a_second_session_of_the_same_reviewer_says_read_only_and_why(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    from tui.core.review.annotations import AnnotationStore, reviewer_file

    first = AnnotationStore.open(
        reviewer_file(tmp_path / "ann", "tester"), "tester", seeds_analysis
    )
    try:
        app = make_app(tmp_path, seeds_analysis)
        async with app.run_test(size=(200, 45)) as pilot:
            await ready(app, pilot)
            text = app.query_one(StatusBar).text()
            assert "read-only" in text and "open in another claimdiff session" in text
    finally:
        first.release()


async def test_the_current_claim_marks_its_clause_not_the_whole_sentence(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    app = make_app(tmp_path, seeds_analysis)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        session = app.session
        claim, sid = next(
            (c, s)
            for c in seeds_analysis.claims
            for s in c.statements
            if session.span_range(c, seeds_analysis.statement(s)) is not None
        )
        app.select_claim(claim)
        await pilot.pause()
        pane = next(p for p in app.query(StatementList) if sid in p.index_of)
        line = pane.get_option_at_index(pane.index_of[sid]).prompt
        lo, hi = session.span_range(claim, seeds_analysis.statement(sid))
        reversed_at = {
            i for span in line.spans if span.style.reverse for i in range(span.start, span.end)
        }
        body = 4  # gutter, tag glyph, status glyph, space
        assert {body + lo, body + hi - 1} <= reversed_at  # the clause is marked
        outside = set(range(body, body + lo)) | set(range(body + hi, body + len(line) - body))
        assert not (outside & reversed_at)  # the rest of the sentence is not


async def test_a_folder_of_several_stories_opens_on_the_story_list(tmp_path: Path) -> None:
    from .test_stories_and_spans import write_two_stories

    app = app_on(tmp_path, write_two_stories(tmp_path / "news"))
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StoryPicker), "the story list")
        rows = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert len(rows) == 2 and all("3 articles" in r and "0 / " in r for r in rows)
        picker = app.screen
        for story, row in zip(app.full_analysis.stories, rows, strict=True):
            claims = sum(c.story == story.id for c in app.full_analysis.claims)
            assert f"{claims} claims (" in row and f"0 / {claims} tagged" in row
        await pilot.press("j")

        def marks() -> list[str]:
            return [str(o.prompt)[:1] for o in picker.query_one(OptionList).options]

        # One mark, on the story under the cursor.
        await until(pilot, lambda: marks() == [" ", "▶"], "the mark moves to the second story")
        await pilot.press("enter")
        await ready(app, pilot)
        second = app.full_analysis.stories[1]
        assert {a.id for a in app.analysis.articles} == set(second.articles)
        assert len(app.query(StatementList)) == 3
        assert all(c.story == second.id for c in app.session.order)
        await pilot.press("c")  # a tag on this story is saved with the others
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StoryPicker)
        rows = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert "1 / " in rows[1] and "0 / " in rows[0]
        await pilot.press("k", "enter")
        await until(
            pilot,
            lambda: (
                {a.id for a in app.analysis.articles} == set(app.full_analysis.stories[0].articles)
            ),
            "the first story is on screen",
        )
        await ready(app, pilot)
        assert {a.id for a in app.analysis.articles} == set(app.full_analysis.stories[0].articles)
        assert len(app.query(StatementList)) == 3
