"""The review session without a screen: order, filters, search, marks and the aligned cells."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tui.core.model import (
    Analysis,
    Article,
    Claim,
    Divergence,
    DivergenceKind,
    Kind,
    Span,
    Statement,
    Status,
    Story,
    Value,
)
from tui.core.review.annotations import AnnotationStore, reviewer_file
from tui.core.review.session import (
    OtherReviewers,
    ReviewSession,
    Tagged,
    describe,
    tagged_by_story,
)


def _article(aid: str, text: str) -> Article:
    return Article(aid, Path(f"{aid}.txt"), aid.upper(), "0" * 64, text, source=f"{aid} news")


def _budget() -> Analysis:
    """Two sources: one claim on the budget (£2bn vs £5bn), one fact only the first has."""
    a_text = "Officials said the council approved £2bn on Monday. It rained."
    b_text = "The council approved £5bn, a spokesman said."
    a1 = Statement("a#1", "a", 0, 0, 51, a_text[:51], Kind.CLAIM)
    a2 = Statement("a#2", "a", 1, 52, 61, a_text[52:61], Kind.CLAIM)
    b1 = Statement("b#1", "b", 0, 0, len(b_text), b_text, Kind.CLAIM)
    values = (
        Value("a#1", "£2bn", a_text.index("£2bn"), a_text.index("£2bn") + 4),
        Value("b#1", "£5bn", b_text.index("£5bn"), b_text.index("£5bn") + 4),
    )
    budget = Claim(
        "c1",
        Status.DIVERGENT,
        ("a#1", "b#1"),
        (Divergence(DivergenceKind.MONEY, ("a#1", "b#1"), "£2bn vs £5bn", values),),
        spans=(Span("a#1", 15, 51), Span("b#1", 0, 25)),
    )
    rain = Claim("c2", Status.UNIQUE, ("a#2",))
    return Analysis([_article("a", a_text), _article("b", b_text)], [a1, a2, b1], [budget, rain])


def test_filter_order_and_next_untagged_follow_tags(seeds_analysis: Analysis) -> None:
    tags: dict[str, str] = {}
    session = ReviewSession(seeds_analysis, tags.get)
    claims = seeds_analysis.claims
    assert session.order == claims
    assert session.cycle_filter() == "overlap"
    assert session.order and all(c.status is Status.OVERLAP for c in session.order)
    for _ in range(3):
        session.cycle_filter()
    assert session.filter_mode == "untagged"
    tags[claims[1].id] = "confirmed"
    session.refresh_order()
    assert claims[1] not in session.order and len(session.order) == len(claims) - 1
    assert session.next_untagged(claims[0]) is claims[2]  # the tagged one is skipped
    assert session.progress() == (1, len(claims))


def test_step_claim_wraps_and_next_difference_finds_only_divergent(
    seeds_analysis: Analysis,
) -> None:
    session = ReviewSession(seeds_analysis, lambda _cid: None)
    claims = seeds_analysis.claims
    session.select(claims[-1])
    assert session.step_claim(1) is claims[0]
    session.select(claims[0])
    found = session.next_difference(1)
    assert found is not None and found.status is Status.DIVERGENT
    divergent = [c for c in claims if c.status is Status.DIVERGENT]
    assert found is divergent[0] or claims[0] is divergent[0]
    session.select(found)
    back = session.next_difference(-1)
    assert back is not None and back.status is Status.DIVERGENT


def test_the_note_goes_to_the_claim_just_tagged_until_the_reviewer_moves() -> None:
    analysis = _budget()
    budget, rain = analysis.claims
    session = ReviewSession(analysis, lambda _cid: None)
    session.select(rain)  # tagging the budget claim moved the reviewer on to this one
    session.just_tagged = budget
    assert session.note_target() is budget
    session.select(budget)
    session.select(rain)  # the reviewer moved: the note is for what they look at
    assert session.note_target() is rain


def test_search_finds_statements_and_marks_the_words() -> None:
    session = ReviewSession(_budget(), lambda _cid: None)
    assert session.search("  COUNCIL ") == ["a#1", "b#1"]
    text = session.analysis.statement("b#1").text
    ((start, end),) = session.match_ranges(text)
    assert text[start:end] == "council"
    assert session.step_match(1).id == "a#1" and session.step_match(1).id == "b#1"
    assert session.search("") == [] and session.match_ranges(text) == ()


def test_diverging_values_come_from_the_values_or_else_from_the_detail() -> None:
    analysis = _budget()
    budget = analysis.claims[0]
    session = ReviewSession(analysis, lambda _cid: None)
    for sid, value in (("a#1", "£2bn"), ("b#1", "£5bn")):
        s = analysis.statement(sid)
        assert [s.text[a:b] for a, b in session.value_ranges(budget, s)] == [value]
    bare = Claim(
        "c3",
        Status.DIVERGENT,
        ("a#1", "b#1"),
        (Divergence(DivergenceKind.MONEY, ("a#1", "b#1"), "£2bn vs £5bn"),),
    )
    b = analysis.statement("b#1")
    assert [b.text[x:y] for x, y in session.value_ranges(bare, b)] == ["£5bn"]
    assert session.compared(bare) == [("money", {"a": "£2bn", "b": "£5bn"})]
    assert session.summary(budget) == (
        "≠ divergent · 2/2 sources · money: £2bn (a news) vs £5bn (b news)"
    )
    assert session.summary(analysis.claims[1]) == "◇ unique · 1/2 sources · only a news"


def test_aligned_cells_show_the_clause_and_leave_missing_sources_empty() -> None:
    analysis = _budget()
    budget, rain = analysis.claims
    session = ReviewSession(analysis, lambda _cid: None)
    a, b = session.cells(budget)
    assert a.text == "the council approved £2bn on Monday."  # the span, not the sentence
    assert [a.text[x:y] for x, y in a.values] == ["£2bn"]
    assert b.text == "The council approved £5bn" and [b.text[x:y] for x, y in b.values] == ["£5bn"]
    only, missing = session.cells(rain)
    assert only.text == "It rained" and missing.text == ""  # drawn as "not reported"
    assert session.kinds(budget) == "money"


def test_line_state_marks_selection_span_values_and_filter() -> None:
    analysis = _budget()
    budget, _rain = analysis.claims
    tags = {"c2": "confirmed"}
    session = ReviewSession(analysis, tags.get)
    session.select(budget)
    st = session.line_state(analysis.statement("a#1"))
    assert st.selected and st.status is Status.DIVERGENT and st.span == (15, 51)
    assert st.values and st.passes_filter
    other = session.line_state(analysis.statement("a#2"))
    assert not other.selected and other.tag == "confirmed"
    session.filter_mode = "divergent"
    assert not session.line_state(analysis.statement("a#2")).passes_filter


def test_shared_words_are_the_grouping_evidence_and_close_decides_the_word_diff() -> None:
    analysis = _budget()
    budget = analysis.claims[0]
    session = ReviewSession(analysis, lambda _cid: None)
    b = analysis.statement("b#1")
    shared = {b.text[x:y] for x, y in session.shared_words(budget, b)}
    assert {"council", "approved"} <= shared and "spokesman" not in shared
    assert session.close("The council approved £2bn.", "The council approved £5bn.")
    assert not session.close("It rained on Monday.", "Officials approved the budget.")


def test_other_reviewers_are_reread_only_when_their_files_change(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    claim = seeds_analysis.claims[0]
    others = OtherReviewers(tmp_path, reviewer_file(tmp_path, "me"))
    assert others.refresh(seeds_analysis) == set() and others.summary(claim) == ""
    ben = AnnotationStore.open(reviewer_file(tmp_path, "ben"), "ben", seeds_analysis)
    ben.set_tag(claim.id, "disputed")
    ben.release()
    assert others.refresh(seeds_analysis) == {claim.id}
    assert others.summary(claim) == "✗1" and others.tags_of(claim) == {"ben": "disputed"}
    assert others.refresh(seeds_analysis) == set()  # nothing changed on disk since


# ---------------------------------------------------------------------- tags, undo, counts


def _store(tmp_path: Path, analysis: Analysis, reviewer: str = "me") -> AnnotationStore:
    return AnnotationStore.open(reviewer_file(tmp_path, reviewer), reviewer, analysis)


def test_tag_moves_on_to_the_next_untagged_claim_and_the_note_follows_the_tagged_one(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    store = _store(tmp_path, seeds_analysis)
    session = ReviewSession.over(seeds_analysis, store)
    first, second, third = seeds_analysis.claims[:3]
    store.set_tag(second.id, "confirmed")  # tagged already: moving on skips it
    session.select(first)
    tagged = session.tag("disputed")
    assert tagged == Tagged(first, changed=True, next=third)
    assert session.selected is third and store.tag_of(first.id) == "disputed"
    assert session.note_target() is first  # `a` right after a tag writes on the tagged claim
    session.select(second)
    assert session.note_target() is second  # the reviewer moved: the note is for this one
    again = session.tag("confirmed")  # the same tag: nothing changes, nothing moves
    assert again == Tagged(second, changed=False) and session.selected is second
    stay = session.tag("unique", move_on=False)
    assert stay == Tagged(second, changed=True) and session.selected is second
    cleared = session.tag(None)  # clearing never moves on
    assert cleared is not None and cleared.next is None and store.tag_of(second.id) is None
    store.release()


def test_moving_on_respects_the_filter_and_the_tagged_claim_leaves_the_untagged_order(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    store = _store(tmp_path, seeds_analysis)
    session = ReviewSession.over(seeds_analysis, store)
    claims = seeds_analysis.claims
    while session.filter_mode != "divergent":
        session.cycle_filter()
    divergent = [c for c in claims if c.status is Status.DIVERGENT]
    assert len(divergent) >= 2
    session.select(divergent[0])
    tagged = session.tag("confirmed")
    assert tagged is not None and tagged.next is divergent[1]  # what lies between fails it
    while session.filter_mode != "untagged":
        session.cycle_filter()
    assert divergent[0] not in session.order and divergent[1] in session.order
    session.tag("disputed")
    assert divergent[1] not in session.order
    assert session.selected is not None and store.tag_of(session.selected.id) is None
    store.release()


def test_undo_and_redo_restore_the_previous_tag_and_note(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    store = _store(tmp_path, seeds_analysis)
    session = ReviewSession.over(seeds_analysis, store)
    claim = seeds_analysis.claims[0]
    while session.filter_mode != "untagged":
        session.cycle_filter()
    session.select(claim)
    session.tag("confirmed", move_on=False)
    session.tag("disputed", move_on=False)
    assert session.set_note(claim, "check the figure") and session.note_of(claim)
    assert not session.set_note(claim, "check the figure")  # unchanged: no new undo step

    note = session.undo()
    assert note is not None and session.note_of(claim) == ""
    assert describe(note) == "Undone: note none → check the figure"  # the change undone
    tag = session.undo()
    assert tag is not None and store.tag_of(claim.id) == "confirmed"
    assert describe(tag) == "Undone: tag confirmed → disputed"
    assert session.undo() is not None and store.tag_of(claim.id) is None
    assert claim in session.order  # untagged again: back in the untagged filter's order
    assert session.undo() is None  # nothing left to undo

    redone = session.undo(redo=True)
    assert redone is not None and store.tag_of(claim.id) == "confirmed"
    assert describe(redone, redo=True) == "Redone: tag none → confirmed"
    assert claim not in session.order
    session.undo(redo=True)
    session.undo(redo=True)
    assert store.tag_of(claim.id) == "disputed" and session.note_of(claim) == "check the figure"
    assert session.undo(redo=True) is None
    store.release()


def test_counts_per_article_are_right_and_stay_right_after_tag_and_undo(
    tmp_path: Path, seeds_analysis: Analysis
) -> None:
    def by_hand(article: str) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for c in seeds_analysis.claims:
            if any(seeds_analysis.statement(s).article == article for s in c.statements):
                counts[c.status] += 1
        return counts

    store = _store(tmp_path, seeds_analysis)
    session = ReviewSession.over(seeds_analysis, store)
    expected = {a.id: by_hand(a.id) for a in seeds_analysis.articles}
    assert {a.id: session.counts(a.id) for a in seeds_analysis.articles} == expected
    assert any(sum(c.values()) for c in expected.values())
    for claim in seeds_analysis.claims[:4]:
        session.select(claim)
        session.tag("unique")
    session.undo()
    assert {a.id: session.counts(a.id) for a in seeds_analysis.articles} == expected
    article = seeds_analysis.articles[0].id
    mine = session.claims_in(article)
    assert mine == [c for c in seeds_analysis.claims if c in mine]  # story order
    assert session.counts("no such article") == dict.fromkeys(Status, 0)
    store.release()

    budget = ReviewSession(_budget(), lambda _cid: None)
    assert budget.counts("a") == {Status.OVERLAP: 0, Status.DIVERGENT: 1, Status.UNIQUE: 1}
    assert budget.counts("b") == {Status.OVERLAP: 0, Status.DIVERGENT: 1, Status.UNIQUE: 0}


def test_story_progress_counts_each_storys_tagged_claims() -> None:
    one = _budget()
    stories = [Story("s1", "Budget", ("a",)), Story("s2", "Weather", ("b",))]
    claims = [replace(one.claims[0], story="s1"), replace(one.claims[1], story="s2")]
    analysis = Analysis(one.articles, one.statements, claims, stories=stories)
    tags: dict[str, str] = {}
    assert tagged_by_story(analysis, tags.get) == {"s1": 0, "s2": 0}
    tags["c2"] = "confirmed"
    assert tagged_by_story(analysis, tags.get) == {"s1": 0, "s2": 1}
    assert ReviewSession(analysis, tags.get).progress() == (1, 2)


def test_navigator_entry_dialog_label_clipboard_and_status_line(tmp_path: Path) -> None:
    analysis = _budget()
    budget, rain = analysis.claims
    tags = {"c1": "confirmed"}
    session = ReviewSession(analysis, tags.get)
    assert (
        session.nav_prompt(budget) == "≠✓ 2/2 Officials said the council approved £2bn on Monday."
    )
    assert session.nav_prompt(rain) == "◇  1/2 It rained"
    assert session.label(budget) == (
        "≠ divergent · a news, b news\n“Officials said the council approved £2bn on Monday.”"
    )
    assert session.clipboard_text(budget) == (
        "[a news] Officials said the council approved £2bn on Monday.\n"
        "[b news] The council approved £5bn, a spokesman said."
    )
    session.search("council")
    assert session.status_line() == "1 / 2 claims tagged · filter: all (2) · search: “council” 2"

    ben = _store(tmp_path, analysis, "ben")
    ben.set_tag(budget.id, "disputed")
    ben.release()
    session.others = OtherReviewers(tmp_path, reviewer_file(tmp_path, "me"))
    session.others.refresh(analysis)
    assert session.nav_prompt(budget).startswith("≠✓ 2/2 [✗1] Officials")
    assert session.line_state(analysis.statement("b#1")).others == "✗1"
    assert session.line_state(analysis.statement("a#2")).others == ""


def test_a_cursor_on_a_statement_selects_its_claim_unless_the_current_one_is_there() -> None:
    analysis = _budget()
    budget, rain = analysis.claims
    session = ReviewSession(analysis, lambda _cid: None)
    assert session.claim_for_cursor("b#1") is budget
    session.select(budget)
    assert session.claim_for_cursor("a#1") is None  # already on it: the panes stay put
    assert session.claim_for_cursor("a#2") is rain


def test_other_reviewers_changes_name_the_lines_to_redraw(tmp_path: Path) -> None:
    analysis = _budget()
    budget = analysis.claims[0]
    session = ReviewSession(analysis, lambda _cid: None)
    assert session.refresh_others() is None  # no other reviewers to read
    session.others = OtherReviewers(tmp_path, reviewer_file(tmp_path, "me"))
    assert session.refresh_others() is None  # nobody else has a file yet
    ben = _store(tmp_path, analysis, "ben")
    ben.set_tag(budget.id, "confirmed")
    ben.release()
    assert session.refresh_others() == {"a#1", "b#1"}
    assert session.refresh_others() is None  # unchanged on disk since
