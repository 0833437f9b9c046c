"""Files of any shape open (issue #10 item 8): huge paragraphs, many lines, repeated text.

Nothing here measures time: the app is driven with Pilot and waited on for state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tui.app import ClaimDiffApp
from tui.core.analysis import segment
from tui.core.analysis.corpus import load_corpus
from tui.core.model import Article
from tui.widgets.statements import BULK, StatementList

SENTENCES = [
    "Mr. Smith told the council on Tuesday that the budget would rise by 3.5% to $5.1bn.",
    "The U.S. Army said no one was hurt, and Dr. Jones agreed.",
    "Critics warned of delays to the bridge, which had been due to open in 2026.",
    "Officials in London said the plan was approved in principle.",
]


def _huge_paragraphs(path: Path, paragraphs: int, size: int) -> str:
    """``paragraphs`` paragraphs of about ``size`` characters each, numbered sentences."""
    parts = []
    n = 0
    for _ in range(paragraphs):
        words: list[str] = []
        length = 0
        while length < size:
            sentence = f"{SENTENCES[n % len(SENTENCES)][:-1]} in report {n}."
            words.append(sentence)
            length += len(sentence) + 1
            n += 1
        parts.append(" ".join(words))
    text = "Big report\n\n" + "\n\n".join(parts) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


async def until(pilot: Pilot[int], state: Callable[[], object], what: str) -> None:
    """Wait until ``state()`` holds; the deadline is a failsafe against a hang only."""
    deadline = time.monotonic() + 120
    while not state():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        await pilot.pause(0.01)


def test_a_text_past_the_bulk_size_is_split_by_pattern_and_nothing_is_lost() -> None:
    text = " ".join(SENTENCES * 4000)  # one paragraph of ~1 MB, no line break
    assert len(text) > segment.BULK_PARAGRAPH
    article = Article(id="a", path=Path("a.txt"), title="", text=text, sha256="")
    statements = segment.segment_article(article)
    assert len(statements) == 4 * 4000  # abbreviations and initials do not end a sentence
    assert [s.text for s in statements[:4]] == SENTENCES
    assert statements[-1].end == len(text.rstrip())
    # Repeated sentences get distinct ids, in the order the probing would give them.
    ids = [s.id for s in statements]
    assert len(set(ids)) == len(ids)
    assert ids[4].endswith(".2") and ids[8].endswith(".3")


def test_segmenting_tells_its_progress_on_a_big_text() -> None:
    text = "\n".join(f"Line {n} of a long list without a full stop" for n in range(40_000))
    article = Article(id="a", path=Path("a.txt"), title="", text=text, sha256="")
    told: list[float] = []
    statements = segment.segment_article(article, told.append)
    assert len(statements) == 40_000
    assert told and told == sorted(told) and told[0] > 0 and told[-1] < 1


async def test_a_file_of_huge_paragraphs_opens_and_shows_its_last_sentence(
    tmp_path: Path,
) -> None:
    corpus_dir = tmp_path / "c"
    corpus_dir.mkdir()
    text = _huge_paragraphs(corpus_dir / "big.txt", paragraphs=4, size=300_000)
    assert len(text) > segment.BULK_TEXT
    app = ClaimDiffApp(load_corpus([corpus_dir]), annotations_dir=tmp_path / "ann", reviewer="t")
    async with app.run_test(size=(120, 36)) as pilot:

        def pane() -> StatementList | None:
            panes = list(app.query(StatementList))
            return panes[0] if panes and panes[0].option_count else None

        await until(pilot, pane, "the article's statements showed")
        shown = pane()
        assert shown is not None and shown.bulk and shown.option_count > BULK
        assert shown.option_count == len(shown.statements)
        await until(pilot, lambda: app.focused is shown, "the pane has the focus")
        await pilot.press("G")
        last = shown.current()
        assert last is not None and text.rstrip().endswith(last.text)  # nothing lost at the end
        assert any(last.text.startswith(s.split(" in ")[0][:20]) for s in SENTENCES)
        line = str(shown.get_option_at_index(shown.highlighted or 0).prompt)
        assert f"report {len(shown.statements) - 2}." in line  # the heading is statement 0
        await until(pilot, lambda: app.analysis is not None, "the claims arrived")
        assert len(app.analysis.statements) == len(shown.statements)
        # Let the rebuilt panes' messages land before the app exits: handled after the
        # screens are gone, a highlight would raise (ScreenStackError in the app's handler).
        await pilot.pause()


def test_a_run_without_full_stops_becomes_statements_of_a_sentences_size() -> None:
    words = [f"word{n}" if n % 17 else f"clause{n}," for n in range(20_000)]
    text = "Title line\n" + " ".join(words) + "\n"
    article = Article(id="a", path=Path("a.txt"), title="Title line", text=text, sha256="")
    statements = segment.segment_article(article)
    body = [s for s in statements if s.start > len("Title line")]
    assert len(body) > 100
    assert all(len(s.text) <= segment.LONG_PIECE for s in body)
    # Nothing is lost: the pieces, in order, hold every word of the run.
    assert " ".join(s.text for s in body).split() == words
    assert all(text[s.start : s.end] == s.text for s in body)
    # Pieces end after a clause's comma where one falls in their second half.
    assert sum(s.text.endswith(",") for s in body) > len(body) // 2


def test_a_long_but_real_sentence_stays_whole() -> None:
    sentence = ("The council said the plan, which had been delayed twice, " * 18).strip() + "."
    assert segment.LONG_PIECE < len(sentence) <= segment.LONG_STATEMENT
    article = Article(id="a", path=Path("a.txt"), title="", text=sentence, sha256="")
    assert [s.text for s in segment.segment_article(article)] == [sentence]
