"""Statements: exact offsets, news edge cases, and claims told apart from furniture."""

from __future__ import annotations

from pathlib import Path

from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.segment import segment_article
from tui.core.model import Analysis, Kind


def _statements(tmp_path: Path, text: str) -> list[tuple[str, Kind]]:
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    article = load_corpus([tmp_path / "a.txt"]).articles[0]
    out = []
    for s in segment_article(article):
        assert article.text[s.start : s.end] == s.text
        out.append((s.text, s.kind))
    return out


def test_offsets_are_exact_on_every_seed(seeds_analysis: Analysis) -> None:
    for s in seeds_analysis.statements:
        assert seeds_analysis.article(s.article).text[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_news_edge_cases_split_right(tmp_path: Path) -> None:
    text = (
        "Headline about money\n"
        "The fund is worth £2bn. It grew 0.1% in Q2. OpenAI's GPT-4o model powers it. "
        "He moved to the U.S. The firm grew. Dr. Smith said no. "
        "The office—opened in 2023—grew.[1][2] It helps.[7] Furthermore, it works.\n"
    )
    got = [t for t, _ in _statements(tmp_path, text)]
    assert got == [
        "Headline about money",
        "The fund is worth £2bn.",
        "It grew 0.1% in Q2.",
        "OpenAI's GPT-4o model powers it.",
        "He moved to the U.S.",
        "The firm grew.",
        "Dr. Smith said no.",
        "The office—opened in 2023—grew.",
        "It helps.",
        "Furthermore, it works.",
    ]


def test_citation_markers_are_never_statements(seeds_analysis: Analysis) -> None:
    for s in seeds_analysis.statements:
        assert not s.text.startswith("[")
        assert not s.text.rstrip(".").endswith("]")


def test_headings_and_site_furniture_are_not_claims(seeds_analysis: Analysis) -> None:
    kinds = {s.text: s.kind for s in seeds_analysis.statements}
    for furniture in (
        "Are you a client?",
        "Sign in to view the full news archive.",
        "Posted by: Simon Baxter at 09:08",
        "Share this article",
        "Sources",
        "Created by Amplify: AI-augmented, human-curated content.",
    ):
        assert kinds[furniture] is Kind.BOILERPLATE, furniture
    # A dateline states the article's date: it takes part, compared as a date.
    assert kinds["July 22, 2025"] is Kind.CLAIM
    for heading in ("In summary", "Historical context and strategic ambition"):
        assert kinds[heading] is Kind.HEADING
    repeated = [
        s for s in seeds_analysis.statements if s.text.startswith("UK Forges Major AI Partnership")
    ]
    # The headline states the partnership and joins that claim; printed again above the
    # body it is still a heading, and in no claim.
    assert [s.kind for s in repeated] == [Kind.CLAIM, Kind.HEADING]
    assert not any(repeated[1].id in c.statements for c in seeds_analysis.claims)
    assert kinds["However, concerns remain."] is Kind.CLAIM


def test_statement_ids_survive_edits_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\nFirst fact. Second fact.", encoding="utf-8")
    before = segment_article(load_corpus([tmp_path / "a.txt"]).articles[0])
    (tmp_path / "a.txt").write_text(
        "Title\nA new opening. First fact. Second fact.", encoding="utf-8"
    )
    after = segment_article(load_corpus([tmp_path / "a.txt"]).articles[0])
    ids_before = {s.text: s.id for s in before}
    ids_after = {s.text: s.id for s in after}
    assert ids_before["First fact."] == ids_after["First fact."]
    assert ids_before["Second fact."] == ids_after["Second fact."]


def test_markdown_and_bullets_lose_their_markers_and_bullets_are_claims(tmp_path: Path) -> None:
    text = (
        "## Council approves budget\n"
        "\n"
        "- The council approved a budget of £5m on Tuesday\n"
        "* Key points\n"
        "1. Spending on schools rises by 20% next year\n"
        "> The mayor said the plan was fair. Critics disagreed.\n"
    )
    got = _statements(tmp_path, text)
    assert got == [
        ("Council approves budget", Kind.HEADING),
        ("The council approved a budget of £5m on Tuesday", Kind.CLAIM),
        ("Key points", Kind.HEADING),  # a short bullet is a sub-heading
        ("Spending on schools rises by 20% next year", Kind.CLAIM),
        ("The mayor said the plan was fair.", Kind.CLAIM),
        ("Critics disagreed.", Kind.CLAIM),
    ]
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert load_corpus([tmp_path / "a.txt"]).articles[0].title == "Council approves budget"
