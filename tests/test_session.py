"""The review session without a screen: order, filters, search, marks and the aligned cells."""

from __future__ import annotations

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
    Value,
)
from tui.core.review.session import ReviewSession


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
    from tui.core.review.annotations import AnnotationStore, reviewer_file
    from tui.core.review.session import OtherReviewers

    claim = seeds_analysis.claims[0]
    others = OtherReviewers(tmp_path, reviewer_file(tmp_path, "me"))
    assert others.refresh(seeds_analysis) == set() and others.summary(claim) == ""
    ben = AnnotationStore.open(reviewer_file(tmp_path, "ben"), "ben", seeds_analysis)
    ben.set_tag(claim.id, "disputed")
    ben.release()
    assert others.refresh(seeds_analysis) == {claim.id}
    assert others.summary(claim) == "✗1" and others.tags_of(claim) == {"ben": "disputed"}
    assert others.refresh(seeds_analysis) == set()  # nothing changed on disk since
