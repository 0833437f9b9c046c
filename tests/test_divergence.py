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


def values(a: str, b: str) -> list[tuple[str, str, str, int | None]]:
    """Each divergence's kind with the values it names: (kind, statement, text, start)."""
    return [
        (d.kind.value, v.statement, v.text, v.start)
        for d in compare("a", a, "b", b)
        for v in d.values
    ]


def test_ordinals_of_the_same_thing_are_compared() -> None:
    a = "The company established its first international office in 2023."
    b = "OpenAI opened its third international base in 2023."
    assert kinds(a, b) == [("number", "first international vs third international")]
    assert values(a, b) == [
        ("number", "a", "first international", a.index("first")),
        ("number", "b", "third international", b.index("third")),
    ]
    # Ordinals of different things, and the same ordinal written two ways, are not.
    assert (
        kinds("He is the fifth NBA coach fired.", "He is the third Eastern Conference coach.") == []
    )
    assert kinds("The 12th Doctor.", "The twelfth Doctor.") == []


def test_the_same_amount_in_another_currency_is_flagged_a_conversion_is_not() -> None:
    assert kinds("A wider £2 billion plan.", "A wider $2 billion plan.") == [
        ("money", "£2 billion vs $2 billion")
    ]
    assert kinds("Backed by £2bn.", "Backed by 2 billion dollars.") == [
        ("money", "£2bn vs 2 billion dollars")
    ]
    assert kinds("Backed by £2bn.", "Backed by $2.7bn.") == []
    assert kinds("Backed by £2bn ($2.7bn).", "Backed by $2.7bn.") == []
    assert kinds("It paid US $5.4-billion.", "It paid $5.4 billion.") == []


def test_owners_of_a_product_are_compared() -> None:
    got = kinds(
        "Microsoft's tech also underpins several government tools, including Humphrey.",
        "This initiative is underway, with OpenAI's GPT-4o model powering Humphrey.",
    )
    assert got == [("entity", "Microsoft's tech vs OpenAI's GPT-4o model")]
    assert kinds("The government uses OpenAI models.", "Anthropic's models power the tools.") == [
        ("entity", "OpenAI models vs Anthropic's models")
    ]
    # The same owner written two ways; an owner the other side names elsewhere.
    assert kinds("The government uses OpenAI models.", "OpenAI's tech powers the tools.") == []
    assert (
        kinds(
            "OpenAI's tech underpins Whitehall's AI assistant.",
            "OpenAI's GPT-4o model powers the UK's civil service tools.",
        )
        == []
    )


def test_a_partner_or_an_institute_swapped_for_another_is_flagged() -> None:
    assert kinds(
        "The UK signed a strategic partnership with Anthropic.",
        "The signing of a strategic partnership between OpenAI and the UK government.",
    ) == [("entity", "Anthropic vs OpenAI")]
    assert kinds(
        "A strengthened collaboration with the UK's Alan Turing Institute.",
        "OpenAI shares insights with the UK’s AI Security Institute (AISI).",
    ) == [("entity", "Alan Turing Institute vs AI Security Institute")]
    # Whatever else the sides name; but not a body the other side names within a longer name.
    assert kinds(
        "OpenAI shares insights with the UK’s Alan Turing Institute on powerful AI models.",
        "A collaboration with the UK's AI Security Institute.",
    ) == [("entity", "Alan Turing Institute vs AI Security Institute")]
    assert (
        kinds(
            "The Central Election and Referendum Commission declared the election valid.",
            "The Central Election Commission said that turnout was almost 90%.",
        )
        == []
    )
    # An acronym, a demonym or a web address is the same name; a place and the place it
    # is in fill no common slot ("youths in Athens" / "youths in the Greek capital").
    assert kinds("Users of Internet Explorer should update.", "Users of IE should update.") == []
    assert (
        kinds("A collaboration with the UK's AISI.", "Insights for the AI Security Institute.")
        == []
    )
    assert kinds("The New Zealand-born man fell.", "The New Zealander fell.") == []
    assert kinds("Her rep told People.", "Her rep told People.com.") == []
    assert kinds("A van in Baytown, Texas.", "A van near Houston, Texas.") == []


def test_a_hedge_or_a_negation_on_a_verb_worded_differently_is_flagged() -> None:
    assert kinds(
        "OpenAI might share more technical information.",
        "The partnership includes OpenAI sharing technical insights.",
    ) == [("hedge", "might share vs includes … sharing")]
    got = kinds(
        "OpenAI's tech reportedly underpins several government tools.",
        "The government is already using OpenAI models in its productivity tools.",
    )
    assert got == [("hedge", "reportedly underpins vs is already using")]
    assert kinds(
        "OpenAI has not entered into a strategic partnership with the UK.",
        "The UK government has announced a strategic partnership with OpenAI.",
    ) == [("negation", "not entered vs has announced")]
    # What a source does not know or say is no claim about the fact.
    assert (
        kinds(
            "Ketsoyan did not reveal what the star of American Pie was treated for.",
            "Tara is known for her roles in American Pie.",
        )
        == []
    )
    # The month May is not the modal; a scheduled date is not a hedged one.
    assert kinds("The boy was killed in May.", "The boy was killed this spring.") == []
    assert kinds("Elections are planned for December 15.", "Elections are on December 15.") == []


def test_times_weekdays_and_day_first_dates_are_compared_as_dates() -> None:
    assert kinds("He was shot at 10:30 p.m.", "He was shot at 11:30 p.m.") == [
        ("date", "10:30 p.m. vs 11:30 p.m.")
    ]
    assert kinds("Signed at 9.30am.", "Signed at 9:30 a.m.") == []
    # A rounded time is the same time within the hour.
    assert kinds("It began around 8:30 p.m.", "It began at about 8 p.m.") == []
    assert kinds("Wynn was signed on Monday.", "Wynn was signed on Tuesday.") == [
        ("date", "Monday vs Tuesday")
    ]
    assert kinds("Arrested before Sunday's game.", "Arrested on Tuesday.") == []
    assert kinds("Signed on 22 July 2025.", "Signed on July 22, 2025.") == []
    assert kinds("Signed on 22 July 2025.", "Signed on July 25, 2025.") == [
        ("date", "22 July vs July 25")
    ]


def test_numbers_in_words_and_bare_numbers_compare_only_in_one_slot() -> None:
    assert kinds("Altman and Kyle met four times.", "Altman and Kyle met three times.") == [
        ("number", "four times vs three times")
    ]
    assert kinds("It drew over 200 bids.", "It drew more than two hundred bids.") == []
    assert kinds("It has over 100 employees.", "It has more than one hundred employees.") == []
    assert kinds("Williams, 32, was stopped.", "Williams, 33, was stopped.") == [
        ("number", "Williams, 32 vs Williams, 33")
    ]
    # Scores, records, game clocks and bare numbers after different words are not compared.
    assert kinds("A 15-2 run sealed it.", "Creighton (25-7) won.") == []
    assert kinds("He scored with 14:05 left.", "He scored with 7:41 left.") == []
    assert kinds("Williams, 32, was stopped.", "He drove on route 94.") == []
    assert kinds("He grabbed two more rebounds.", "He grabbed seven rebounds.") == []


def test_a_negation_prefix_leaves_the_similarity_as_it_was_and_is_flagged() -> None:
    """ "non-binding" for "binding" is a detail the divergence check compares, so deciding
    whether two statements state one fact must not see it: the pair scores as if unedited."""
    import numpy as np

    from tui.core.analysis.similarity import LexicalScorer

    plain = "Both sides called the accord binding."
    edited = "Both sides called the accord non-binding."
    scorer = LexicalScorer()
    scorer.fit([plain, edited, "The council met on Monday."])
    encoded = scorer.encode([plain, edited])
    assert scorer.score_pairs(encoded, np.array([0]), np.array([1]))[0] > 0.999
    assert kinds(plain, edited)[0][0] == "negation"


def test_a_name_that_starts_like_a_month_is_no_date() -> None:
    for name in ("Maria Okafor", "Julia Roberts", "Janet Yellen", "Novak Djokovic", "Mayor Lee"):
        assert [q for q in extract(f"{name} spoke on Tuesday.") if q.slot in ("month", "day")] == []
    # Read as months, the two names had been flagged "date: Mar vs Jul".
    found = kinds("Maria Okafor chaired the talks.", "Julia Okafor chaired the talks.")
    assert all(kind != "date" for kind, _ in found), found
    # Abbreviated months still read, with their day: "Sept. 11" is September 11.
    sept = extract("The attack came on Sept. 11.")
    assert [(q.slot, q.value) for q in sept] == [("month", 9.0), ("day", 11.0)]
    assert kinds("The vote is on Mar. 5.", "The vote is on Mar. 7.") == [
        ("date", "Mar. 5 vs Mar. 7")
    ]


def test_a_negation_reaches_no_further_than_its_clause_and_idioms_negate_nothing() -> None:
    # Real ECB+ sentences that had been flagged as negations.
    said = (
        '"Even with that, the process isn\'t over," Reavey said.',
        "Reavey said the patch works.",
    )
    assert kinds(*said) == []
    assert kinds("Creighton will play No. 5 seed Indiana State.", "They meet 5 seed Indiana.") == []
    assert kinds("Creighton plays No 5 seed Indiana.", "Creighton plays 5 seed Indiana.") == []
    assert kinds("The flaws are in not only IE 7 but also IE 6.", "The flaws are in IE 7.") == []
    assert kinds("This wasn't P.J. Carlesimo's team.", "P.J. Carlesimo's team lost.") == []
    # What a negation does govern is still compared.
    assert kinds("Though not legally binding, the deal stands.", "The binding deal stands.") == [
        ("negation", "not legally binding vs binding")
    ]
    assert kinds("He did not resign.", "He resigned.") == [("negation", "not resign vs resigned")]


def test_a_dateline_in_capitals_is_read_as_a_date() -> None:
    found = compare(
        "a", "LOS ANGELES, MARCH 14 (Reuters) - The quake hit.", "b", "March 12 - The quake hit."
    )
    assert [(d.kind.value, d.detail) for d in found] == [("date", "March 14 vs March 12")]
    assert [v.text for v in found[0].values] == ["MARCH 14", "March 12"]  # as each writes it
    assert kinds("WASHINGTON, WEDNESDAY - The bill passed.", "MONDAY - The bill passed.") == [
        ("date", "Wednesday vs Monday")
    ]
    assert kinds("MAY 5, 2013 - The bill passed.", "The bill passed.") == []  # no modal "may"
    assert kinds("MARCH 14 - The quake hit.", "March 14 - The quake hit.") == []


def test_times_zones_and_short_titles_are_no_names_to_compare() -> None:
    # Real ECB+ pairs that had been flagged "entity: PM vs BST", "Last vs PM ET", "... vs Gov".
    assert kinds("The quake hit at 2:30 PM ET.", "The quake hit at 2:30 BST.") == []
    assert kinds("Last week the Colts won.", "In Week 12 the Colts won.") == []
    assert kinds("Gov. Sarah Palin spoke at the church.", "Sarah Palin spoke at the church.") == []
    assert kinds("Gov. Sarah Palin spoke.", "Gov. Joe Biden spoke.") == [
        ("entity", "Sarah Palin vs Joe Biden")
    ]


def test_a_negation_with_a_curly_apostrophe_is_read_and_shown_whole() -> None:
    assert kinds("The patch isn’t ready.", "The patch is ready.") == [
        ("negation", "isn’t ready vs ready")
    ]
    assert kinds("You can't call it arson.", "You can call it arson.") == [
        ("negation", "can't call vs call")
    ]
    assert kinds("He didn’t resign, she said.", "He didn't resign, she said.") == []
