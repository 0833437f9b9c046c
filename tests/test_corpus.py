"""Loading a corpus: what is read, what is skipped with a warning, what stops the run."""

from __future__ import annotations

import hashlib
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
    with pytest.raises(CorpusError, match=r"no \.txt or \.md"):
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
