"""Loading a corpus: what is read, what is skipped with a warning, what stops the run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tui.core.analysis.corpus import CorpusError, load_corpus
from tui.core.analysis.segment import segment_article
from tui.core.model import Kind


def test_seeds_load_with_title_hash_and_text() -> None:
    corpus = load_corpus([SEEDS])
    assert len(corpus.articles) == 5
    first = corpus.articles[0]
    assert first.title.startswith("OpenAI partners with the UK government")
    assert first.sha256 == hashlib.sha256(first.path.read_bytes()).hexdigest()
    assert corpus.warnings == []


def test_bom_and_crlf_are_tolerated(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("\ufeffTitle A\r\nIt grew 5%.\r\n".encode())
    (tmp_path / "b.md").write_text("Title B\nIt grew 6%.\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [a.title for a in corpus.articles] == ["Title A", "Title B"]
    assert not corpus.articles[0].text.startswith("\ufeff")
    (tmp_path / "c.txt").write_bytes("Titre C\r\nIl a crû de 7 %.\r\n".encode("utf-16"))
    corpus = load_corpus([tmp_path])
    assert corpus.articles[2].title == "Titre C" and not corpus.warnings
    assert "crû de 7 %" in corpus.articles[2].text


def test_bad_files_are_skipped_with_a_warning_naming_them(tmp_path: Path) -> None:
    (tmp_path / "good1.txt").write_text("One. Two.", encoding="utf-8")
    (tmp_path / "good2.txt").write_text("Three. Four.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
    (tmp_path / "empty.md").write_text("  \n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [a.file for a in corpus.articles] == ["good1.txt", "good2.txt"]
    text = "\n".join(corpus.warnings)
    assert "binary.txt: binary file" in text
    assert "latin1.txt: not UTF-8" in text
    assert "empty.md: empty file" in text


def test_missing_path_and_nothing_readable_are_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        load_corpus([tmp_path / "missing"])
    with pytest.raises(CorpusError, match=r"no \.txt, \.md or \.html"):
        load_corpus([tmp_path])
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(CorpusError, match="no readable articles"):
        load_corpus([tmp_path])


def test_single_article_warns_that_everything_is_unique(tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text("Alone. Here.", encoding="utf-8")
    corpus = load_corpus([tmp_path / "only.txt"])
    assert any("only one article" in w for w in corpus.warnings)


def test_site_furniture_above_the_story_is_not_its_title_nor_pushes_the_lead(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text(
        "Are you a client?\nSign in to view the full news archive.\n"
        "Council approves £5m budget for schools\n"
        "The council approved the budget on Tuesday.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Subscribe to our newsletter\nThe council approved a £5m budget on Tuesday.\n",
        encoding="utf-8",
    )
    corpus = load_corpus([tmp_path])
    assert corpus.articles[0].title == "Council approves £5m budget for schools"
    lead = segment_article(corpus.articles[1])[-1]
    assert lead.text.startswith("The council approved") and lead.kind is Kind.CLAIM
    long_lead = "The council approved a budget " + "of many millions " * 20 + "on Tuesday."
    (tmp_path / "c.txt").write_text(long_lead + "\n", encoding="utf-8")
    title = load_corpus([tmp_path / "c.txt"]).articles[0].title
    assert title.endswith("…") and len(title) <= 101 and long_lead.startswith(title[:-1])


WEB = Path(__file__).parent / "data" / "web"


def test_saved_web_pages_give_their_article_text_and_metadata() -> None:
    corpus = load_corpus([WEB])
    by_id = {a.id: a for a in corpus.articles}
    assert set(by_id) == {"bare-flood", "courier-flood", "gazette-flood", "herald-flood"}
    gazette = by_id["gazette-flood"]
    assert gazette.url == "https://gazette.example.org/news/2026/03/flood-toll"
    assert gazette.source == "Riverside Gazette" and gazette.display_name == "Riverside Gazette"
    assert gazette.published == "2026-03-14"
    assert gazette.title == "Flood death toll rises to 42 in northern valley"
    assert "rose to 42 on Saturday" in gazette.text and "£50m" in gazette.text
    # Menus, sidebars, footers and scripts are not the article.
    for furniture in ("Sport", "Most read", "All rights reserved", "analytics"):
        assert furniture not in gazette.text
    assert by_id["courier-flood"].published == "2026-03-15"
    bare = by_id["bare-flood"]  # a page that says nothing about itself
    assert (bare.url, bare.source, bare.published) == (None, None, None)
    assert bare.display_name == "bare-flood.html" and bare.title == "Northern valley floods"
    for article in corpus.articles:
        for s in segment_article(article):
            assert article.text[s.start : s.end] == s.text


def test_the_same_page_always_reads_the_same(tmp_path: Path) -> None:
    # Annotations point at offsets in the extracted text: re-reading must not move them.
    first = load_corpus([WEB / "gazette-flood.html"]).articles[0]
    copy = tmp_path / "gazette-flood.html"
    copy.write_bytes((WEB / "gazette-flood.html").read_bytes())
    again = load_corpus([copy]).articles[0]
    assert (again.text, again.url, again.published) == (first.text, first.url, first.published)


def test_a_fetch_sidecar_matching_the_page_is_what_is_read(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_bytes((WEB / "bare-flood.html").read_bytes())
    sha = hashlib.sha256(page.read_bytes()).hexdigest()
    doc = {
        "schema": "claimdiff.page/1",
        "sha256": sha,
        "url": "https://news.example.org/floods",
        "source": "Example News",
        "text": "Floods\nThe toll rose to 42 on Saturday.",
    }
    sidecar = tmp_path / "story.html.json"
    sidecar.write_text(json.dumps(doc), encoding="utf-8")
    article = load_corpus([page]).articles[0]
    assert article.text == doc["text"] and article.url == doc["url"]
    assert article.source == "Example News"
    sidecar.write_text(json.dumps({**doc, "sha256": "0" * 64}), encoding="utf-8")
    stale = load_corpus([page]).articles[0]  # the page changed since: extract it again
    assert "Volunteers from neighbouring towns" in stale.text and stale.url is None


def test_front_matter_gives_metadata_and_never_statements(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\n"
        "title: 'Dam inquiry ordered'\n"
        "url: https://herald.example.net/dam  # canonical\n"
        "source: The Valley Herald\n"
        "published: 2026-03-16\n"
        "tags: [floods]\n"
        "---\n"
        "The governor ordered an inquiry into the dam.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("---\nurl: not a url\n---\nThe dam held.\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("---\n\nA rule, then a story that never closes it.\n")
    a, b, c = load_corpus([tmp_path]).articles
    assert (a.title, a.url, a.source, a.published) == (
        "Dam inquiry ordered",
        "https://herald.example.net/dam",
        "The Valley Herald",
        "2026-03-16",
    )
    assert a.text == "The governor ordered an inquiry into the dam.\n"
    assert [s.text for s in segment_article(a)] == [a.text.strip()]
    assert b.url is None and b.text == "The dam held.\n"  # a URL must be a URL
    assert c.text.startswith("---") and c.url is None


def test_a_page_without_article_text_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html><head><title>x</title></head></html>")
    (tmp_path / "ok1.txt").write_text("One fact.", encoding="utf-8")
    (tmp_path / "ok2.txt").write_text("Another fact.", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert len(corpus.articles) == 2
    assert any("empty.html: no article text found" in w for w in corpus.warnings)
