"""Stories of one kind in one folder stay apart; one story, however dense, stays one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.conftest import write_dense
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.analysis.segment import segment_article
from tui.core.analysis.stories import StoryConfig, group_stories

ROOT = Path(__file__).resolve().parent.parent

# Two drunken-driving arrests of two players of one team: half of every article is the
# context both stories share (the team, the patrol, the league), half the player's own.
JACKSON = [
    "Chargers wide receiver Vincent Jackson was arrested early Tuesday on suspicion of drunken"
    " driving in San Diego.",
    "Jackson was pulled over on Interstate 805 near Mission Valley just after 2:30 a.m., officer"
    " Brad Baehr said.",
    "Vincent Jackson will still play in Sunday's playoff game at Pittsburgh, coach Norv Turner"
    " said.",
    "Jackson, 25, posted bail and was released from the downtown jail on Tuesday morning.",
    "Receiver Vincent Jackson faces a misdemeanour charge and a court date in February.",
    "Turner said Jackson had apologised to his teammates before practice on Wednesday.",
]
WILLIAMS = [
    "Chargers defensive tackle Jamal Williams was arrested early Sunday on suspicion of drunken"
    " driving in San Diego.",
    "Williams was stopped on state Route 94 driving his Bentley at about 1:30 a.m., officer Brian"
    " Pennings said.",
    "Jamal Williams, 32, gave a blood sample and was booked into the county jail in Santee.",
    "Lineman Jamal Williams was released on bail of 2,500 dollars on Sunday afternoon.",
    "Williams is the team's second player arrested on a drunken driving charge within a month.",
    "Williams said through his agent that he regretted the arrest and would cooperate.",
]
SHARED = [
    "The Chargers said they were aware of the arrest and were gathering information.",
    "The California Highway Patrol said results of the blood alcohol test were pending.",
    "The NFL may discipline players under its personal conduct policy.",
    "San Diego Chargers general manager A.J. Smith declined to comment on the arrest.",
    "Drunken driving arrests have troubled the San Diego Chargers in recent seasons.",
    "A California Highway Patrol spokesman said the arrest followed a routine traffic stop.",
]


def _write_two_arrests(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(5):
        for name, own in (("jackson", JACKSON), ("williams", WILLIAMS)):
            body = [own[(k + i) % 6] for i in range(3)] + [SHARED[(k + i) % 6] for i in range(3)]
            (folder / f"{name}{k}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    return folder


def _groups(folder: Path, config: StoryConfig | None = None) -> list[list[str]]:
    corpus = load_corpus([folder])
    statements = {a.id: segment_article(a) for a in corpus.articles}
    files = {a.id: a.file for a in corpus.articles}
    stories = group_stories(corpus.articles, statements, config)
    return sorted(sorted(files[a] for a in s.articles) for s in stories)


def test_two_stories_of_one_kind_stay_apart_though_their_articles_are_alike(
    tmp_path: Path,
) -> None:
    folder = _write_two_arrests(tmp_path / "news")
    expected = [[f"{name}{k}.txt" for k in range(5)] for name in ("jackson", "williams")]
    assert _groups(folder) == expected
    # Alike as documents, they are one group before the cut that tells them apart.
    unsplit = dataclasses.replace(StoryConfig(), split_purity=1.01)
    assert len(_groups(folder, unsplit)) == 1
    analysis = analyze(load_corpus([folder]))
    story_of = {a: s.id for s in analysis.stories for a in s.articles}
    for claim in analysis.claims:
        assert {story_of[analysis.statement(s).article] for s in claim.statements} == {claim.story}


def test_an_article_as_alike_to_another_story_as_to_its_own_is_a_story_of_its_own(
    tmp_path: Path,
) -> None:
    folder = _write_two_arrests(tmp_path / "news")
    # A round-up of both arrests: two sentences of each player's, two of the shared context.
    both = [JACKSON[0], WILLIAMS[1], JACKSON[1], WILLIAMS[2], SHARED[2], SHARED[3]]
    (folder / "roundup.txt").write_text("\n\n".join(both) + "\n", encoding="utf-8")
    jackson = [f"jackson{k}.txt" for k in range(5)]
    williams = [f"williams{k}.txt" for k in range(5)]
    assert _groups(folder) == [jackson, ["roundup.txt"], williams]
    # Without the refit it is put with one arrest, and its claims would join the two.
    no_refit = dataclasses.replace(StoryConfig(), fit_min=10**6)
    assert _groups(folder, no_refit) == [[*jackson, "roundup.txt"], williams]
    analysis = analyze(load_corpus([folder]))
    story_of = {a: s.id for s in analysis.stories for a in s.articles}
    for claim in analysis.claims:
        assert {story_of[analysis.statement(s).article] for s in claim.statements} == {claim.story}


# Two parliamentary elections in one country, five years apart: the same commission, parties,
# observers and capital in every article; what tells them apart is when each took place.
EARLY_VOTE = [
    "Voters in Turkmenistan elected a new parliament on Sunday, December 14, 2008.",
    "Polling stations closed at 7 p.m. on Sunday after a turnout of 93.9 percent.",
    "The December 2008 vote was the first since the new constitution took effect.",
    "Results of Sunday's poll will be announced by Wednesday, the commission said.",
    "Observers said the vote in December 2008 offered voters little real choice.",
]
LATE_VOTE = [
    "Turkmenistan will hold parliamentary elections on March 24, 2013, officials said in January.",
    "The elections planned for March 2013 will be the first with two parties on the ballot.",
    "Campaigning for the 2013 vote opens in February, the commission said on Friday.",
    "Candidates must register by February 2013, according to the commission's Friday statement.",
    "The January 2013 announcement set out the rules for the March vote.",
]
VOTE_CONTEXT = [
    "The Central Election Commission in Ashgabat oversees the vote for the Mejlis.",
    "Observers from the Commonwealth of Independent States were invited to Ashgabat.",
    "The Democratic Party of Turkmenistan holds most seats in the Mejlis.",
    "President Gurbanguly Berdymukhamedov has pledged gradual reform in Turkmenistan.",
    "The OSCE has criticised past elections in Turkmenistan as neither free nor fair.",
]


def test_two_elections_in_one_country_stay_apart_by_when_they_were_held(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for k in range(5):
        for name, own in (("early", EARLY_VOTE), ("late", LATE_VOTE)):
            body = [own[(k + i) % 5] for i in range(2)]
            body += [VOTE_CONTEXT[(k + i) % 5] for i in range(3)]
            (folder / f"{name}{k}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    expected = [[f"{name}{k}.txt" for k in range(5)] for name in ("early", "late")]
    assert _groups(folder) == expected
    analysis = analyze(load_corpus([folder]))
    story_of = {a: s.id for s in analysis.stories for a in s.articles}
    for claim in analysis.claims:
        assert {story_of[analysis.statement(s).article] for s in claim.statements} == {claim.story}


def test_a_dense_single_story_stays_one_story(tmp_path: Path) -> None:
    assert [len(g) for g in _groups(write_dense(tmp_path / "dense", 300))] == [300]


def test_streamed_json_is_byte_for_byte_the_documents_json(tmp_path: Path) -> None:
    import io
    import json

    from tui.core.analysis.analysis_json import to_json, write_json

    for folder in (ROOT / "seeds", _write_two_arrests(tmp_path / "news")):
        analysis = analyze(load_corpus([folder]))
        out = io.StringIO()
        write_json(analysis, out)
        assert out.getvalue() == json.dumps(to_json(analysis), ensure_ascii=False, indent=1)


def test_streamed_json_writes_awkward_text_and_empty_fields_as_json_does(tmp_path: Path) -> None:
    import io
    import json

    from tui.core.analysis.analysis_json import to_json, write_json
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

    odd = 'Le "maire" a dit\\: « 2 €\u00a0» — \t\x01 naïve 🙂 \u2028'
    article = Article(id="a1", path=tmp_path / "a.txt", title=odd, text=odd, sha256="0" * 64)
    statements = [
        Statement("a1#0", "a1", 0, 0, len(odd), odd, Kind.CLAIM),
        Statement("a1#1", "a1", 1, 0, 0, "", Kind.HEADING),
    ]
    divergence = Divergence(
        DivergenceKind.MONEY,
        ("a1#0", "a1#1"),
        f"money: {odd} vs £5bn",
        (Value("a1#0", odd, 0, 4), Value("a1#1", "£5bn")),
    )
    claims = [
        Claim("c1", Status.DIVERGENT, ("a1#0", "a1#1"), (divergence,), "s1", (Span("a1#0", 0, 3),)),
        Claim("c2", Status.UNIQUE, ("a1#0",)),
        Claim("c3", Status.OVERLAP, (), story="s1"),
    ]
    for analysis in (
        Analysis(articles=[article], statements=statements, claims=claims),
        Analysis(articles=[], statements=[], claims=[]),
    ):
        out = io.StringIO()
        write_json(analysis, out)
        assert out.getvalue() == json.dumps(to_json(analysis), ensure_ascii=False, indent=1)
        assert json.loads(out.getvalue()) == to_json(analysis)
