"""The analysis as a stream of events: the articles first, then the claims, in a child for a
big corpus; the same result as the plain pipeline, and nothing left behind when cancelled."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tui.core.analysis import background
from tui.core.analysis.analysis_json import to_json
from tui.core.analysis.cache import AnalysisCache
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze


@pytest.mark.parametrize("where", ["thread", "child"])
def test_articles_come_first_then_the_same_analysis_as_the_pipeline(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a corpus too big to be shown once with its claims (the seeds are shown once).
    monkeypatch.setattr(background, "DRAW_ONCE_MAX", 0)
    if where == "child":
        monkeypatch.setattr(background, "IN_THREAD_MAX", 0)  # the seeds go to a child process
    corpus = load_corpus([SEEDS])
    events: list[background.Event] = []
    background.analyse(corpus, None, events.append)
    reads = [e for e in events if isinstance(e, background.Read)]
    assert isinstance(events[0], background.Read)  # before anything else
    assert [a.id for r in reads for a in r.articles] == [a.id for a in corpus.articles]
    assert any(isinstance(e, background.Progress) for e in events)
    done = events[-1]
    assert isinstance(done, background.Done)
    assert to_json(done.analysis) == to_json(analyze(corpus))


def test_a_cached_corpus_is_done_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "IN_THREAD_MAX", 0)
    corpus = load_corpus([SEEDS])
    cache = AnalysisCache(tmp_path / "cache")
    background.analyse(corpus, cache, lambda _e: None)  # the child fills the cache
    events: list[background.Event] = []
    background.analyse(corpus, cache, events.append)
    # A small entry is read at once: the articles come with their claims, in one event.
    assert len(events) == 1 and isinstance(events[0], background.Done)
    assert to_json(events[0].analysis) == to_json(analyze(corpus))
    # An entry too big to read at once comes after the first articles.
    monkeypatch.setattr(background, "QUICK_ENTRY", 0)
    events.clear()
    background.analyse(corpus, cache, events.append)
    assert isinstance(events[0], background.Read) and isinstance(events[-1], background.Done)
    assert len([e for e in events if isinstance(e, background.Read)]) == 1  # only the first
    assert to_json(events[-1].analysis) == to_json(analyze(corpus))


def test_a_corrupt_cache_entry_is_analysed_afresh_with_the_articles_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(background, "DRAW_ONCE_MAX", 0)  # as a corpus that takes longer
    corpus = load_corpus([SEEDS])
    cache = AnalysisCache(tmp_path / "cache")
    background.analyse(corpus, cache, lambda _e: None)
    for entry in (tmp_path / "cache").glob("*/*.json"):
        entry.write_bytes(entry.read_bytes()[:-40] + b"x" * 40)  # its checksum no longer holds
    events: list[background.Event] = []
    background.analyse(corpus, cache, events.append)
    assert isinstance(events[0], background.Read)
    assert isinstance(events[-1], background.Done)
    assert to_json(events[-1].analysis) == to_json(analyze(corpus))


def test_cancelled_it_stops_without_the_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "IN_THREAD_MAX", 0)
    events: list[background.Event] = []
    background.analyse(load_corpus([SEEDS]), None, events.append, cancelled=lambda: bool(events))
    assert events and not any(isinstance(e, background.Done) for e in events)


def test_a_corpus_analysed_in_half_a_second_is_shown_once_with_its_claims() -> None:
    corpus = load_corpus([SEEDS])
    assert sum(len(a.text) for a in corpus.articles) <= background.DRAW_ONCE_MAX
    events: list[background.Event] = []
    background.analyse(corpus, None, events.append)
    assert not any(isinstance(e, background.Read) for e in events)  # no pane drawn twice
    assert isinstance(events[-1], background.Done)
    assert to_json(events[-1].analysis) == to_json(analyze(corpus))
