"""The analysis as a stream of events: the articles first, then the claims, in a child for a
big corpus; the same result as the plain pipeline, and nothing left behind when cancelled."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS, write_dense
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


def test_the_child_analyses_the_stories_of_a_folder_on_a_pool_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several stories in a child: analysed on its process pool (the machine's cores, as
    ``claimdiff analyze`` does), the same analysis as the plain pipeline."""
    monkeypatch.setattr(background, "IN_THREAD_MAX", 0)
    corpus = load_corpus([write_dense(tmp_path / "news", 12, 3)])
    events: list[background.Event] = []
    background.analyse(corpus, None, events.append)
    done = events[-1]
    assert isinstance(done, background.Done), events[-1]
    assert len(done.analysis.stories) == 3
    assert any("of 3 stories done" in e.stage for e in events if isinstance(e, background.Progress))
    assert to_json(done.analysis) == to_json(analyze(corpus))


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_quitting_during_the_analysis_leaves_no_pool_worker_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reviewer quits while the child's pool works: the child is killed, and its workers,
    which would otherwise wait for work for ever, end with it."""
    import os
    import subprocess
    import time

    if (os.cpu_count() or 1) < 2:
        pytest.skip("the child analyses without a pool on one core")
    monkeypatch.setattr(background, "IN_THREAD_MAX", 0)
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(background.subprocess, "Popen", popen)
    corpus = load_corpus([write_dense(tmp_path / "news", 120, 4)])
    workers: set[int] = set()

    def cancelled() -> bool:  # the reviewer quits once the child's workers are at work
        if started:
            workers.update(_children(started[0].pid))
        return bool(workers)

    events: list[background.Event] = []
    background.analyse(corpus, None, events.append, cancelled=cancelled)
    assert workers and not any(isinstance(e, background.Done) for e in events)
    deadline = time.monotonic() + 30  # a failsafe: each worker looks every half second
    while any(Path(f"/proc/{pid}").exists() and _alive(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers left running: {workers}"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    """Still running (a zombie waiting for its reaper counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_child_ignores_a_tui_package_in_the_reviewers_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer's own project may hold a `tui` package: the child imports claimdiff's."""
    (tmp_path / "tui").mkdir()
    (tmp_path / "tui" / "__init__.py").write_text("raise ImportError('not claimdiff')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(background, "IN_THREAD_MAX", 0)
    corpus = load_corpus([SEEDS])
    events: list[background.Event] = []
    background.analyse(corpus, None, events.append)
    assert isinstance(events[-1], background.Done), events[-1]
    assert to_json(events[-1].analysis) == to_json(analyze(corpus))
