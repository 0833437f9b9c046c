"""Divergences: what must be flagged, what must not, and the word diff."""

from __future__ import annotations

from tui.core.analysis.divergence import compare, word_diff
from tui.core.analysis.quantities import extract


def kinds(a: str, b: str) -> list[tuple[str, str]]:
    return [(d.kind.value, d.detail) for d in compare("a", a, "b", b)]


def test_money_written_differently_is_the_same_amount() -> None:
    values = {q.value for t in ("£2 billion", "£2bn", "£2,000 million") for q in extract(t)}
    assert values == {2e9}
    assert kinds("Zones backed by £2 billion in funding.", "Zones backed by £2bn in funding.") == []


def test_different_amounts_percentages_counts_and_years_are_flagged() -> None:
    assert kinds("It is backed by £2bn.", "It is backed by £5bn.") == [("money", "£2bn vs £5bn")]
    assert kinds("Growth was 0.1% in May 2024.", "Growth was 0.3% in May 2024.") == [
        ("percent", "0.1% vs 0.3%")
    ]
    assert kinds("It employs over 100 staff.", "It employs over 200 employees.") == [
        ("number", "100 staff vs 200 employees")
    ]
    assert kinds("The office opened in 2023.", "The office opened in 2022.") == [
        ("date", "2023 vs 2022")
    ]


def test_same_fact_said_differently_is_not_flagged() -> None:
    assert kinds("It employs over 100 staff.", "It employs over 100 employees.") == []
    assert (
        kinds(
            "The deal was signed by Sam Altman and Peter Kyle.",
            "The deal was signed by Peter Kyle and Sam Altman.",
        )
        == []
    )
    # A number one side omits is an omission, not a disagreement.
    assert (
        kinds("It will expand its London office.", "It will expand its 100-strong London office.")
        == []
    )
    # Numbers in different slots are not compared.
    assert kinds("It has 100 staff.", "It received 200 bids.") == []
    # The modal "may" is not the month of May.
    assert kinds("OpenAI may expand in 2025.", "OpenAI may expand in May 2025.") == []


def test_names_in_the_same_slot_that_differ_are_flagged() -> None:
    got = kinds(
        "The UK signed similar deals with Google and Anthropic.",
        "The UK struck similar agreements with Anthropic and Cohere.",
    )
    assert got == [("entity", "Google, Anthropic vs Anthropic, Cohere")]
    assert kinds("The supercomputer near Bristol.", "The supercomputer near Cardiff.") == [
        ("entity", "Bristol vs Cardiff")
    ]


def test_negation_is_flagged_but_agreeing_negations_are_not() -> None:
    got = kinds(
        "OpenAI will expand its London office.", "OpenAI will not expand its London office."
    )
    assert got == [("negation", "expand vs not expand")]
    assert kinds("It runs the office.", "It no longer runs the office.") == [
        ("negation", "runs vs no longer runs")
    ]
    assert kinds("Though not legally binding, the deal…", "The memorandum (non-binding) …") == []
    assert kinds("The deal is binding.", "The deal is non-binding.")[0][0] == "negation"


def test_certainty_is_flagged() -> None:
    got = kinds(
        "The move will see the company invest in AI infrastructure.",
        "OpenAI is exploring investments in AI infrastructure.",
    )
    assert got and got[0][0] == "hedge"
    assert (
        kinds("OpenAI will expand its office.", "OpenAI has committed to expanding its office.")
        == []
    )


def test_word_diff_marks_replaced_and_inserted_runs() -> None:
    a, b = "OpenAI will expand its office", "OpenAI will not expand its big office"
    ops = word_diff(a, b)
    inserted = [b[o.b_start : o.b_end] for o in ops if o.tag == "insert"]
    assert inserted == ["not", "big"]
    equal = [a[o.a_start : o.a_end] for o in ops if o.tag == "equal"]
    assert "OpenAI will" in equal
    replaced = word_diff("backed by £2bn now", "backed by £5bn now")
    assert [
        (o.tag, "backed by £2bn now"[o.a_start : o.a_end]) for o in replaced if o.tag != "equal"
    ] == [("replace", "£2bn")]
