"""The analysis of a corpus as a stream of events, for a reader that must not wait for all of it.

The app shows each article as soon as it is segmented and the claims when the analysis ends.
``analyse`` tells its ``send`` callback, in order:

- ``Read(articles, statements)``: a batch of segmented articles (none for a corpus analysed
  in about half a second; on a cache hit, only the first articles, and only when the entry
  is too big to read at once);
- ``Progress(stage, fraction)``: how far the analysis is, per story once stories are known;
- ``Done(analysis)``: the whole analysis (also straight from the cache).

A corpus big enough to take more than about a second runs in a child process (a fresh
interpreter, fed and read through pipes): the parent's interpreter stays free for the
screen, and a reviewer who quits ends the child at once. A small one runs in the calling
thread, since starting a process (~0.5 s of imports) would cost more than its analysis.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tui.core.analysis.cache import AnalysisCache, cached_size, from_cache
from tui.core.analysis.corpus import Corpus
from tui.core.analysis.segment import segment_article
from tui.core.model import Analysis, Article, Claim, Statement, Story

# Characters of article text below which the analysis runs in the calling thread (the seeds
# are ~30,000 and analyse in ~0.3 s; 200 dense articles are ~800,000 and take ~5 s).
IN_THREAD_MAX = 150_000
BATCH_SECONDS = 0.1  # how often segmented articles are sent on (the first at once)
FIRST = 10  # articles segmented by the caller itself, while the analysis starts up
SEGMENTING = 0.2  # the share of the progress bar segmenting takes (as in the pipeline)
# Characters below which the articles are not shown before their claims: the analysis, its
# imports included, takes about half a second (the seeds, 30,000), and drawing every pane
# twice, first without and then with the claims, made the screen come later (start-up on
# the seeds 1.20 -> 1.00 s, median of five).
DRAW_ONCE_MAX = 50_000
# Bytes of a cache entry read and checked in under half a second (1,000 dense articles make
# 7 MB, read in 0.35 s): read before the first articles are shown, which it brings with it.
# A bigger entry is read after them: the first articles show within a second at any size.
QUICK_ENTRY = 10_000_000


@dataclass(frozen=True, slots=True)
class Read:
    """Articles segmented so far (their statements in article order)."""

    articles: list[Article]
    statements: list[Statement]


@dataclass(frozen=True, slots=True)
class Progress:
    """A stage of the analysis and the fraction done."""

    stage: str
    fraction: float


@dataclass(frozen=True, slots=True)
class Done:
    """The analysis of the whole corpus."""

    analysis: Analysis


@dataclass(frozen=True, slots=True)
class Failed:
    """The analysis stopped with an error (the message is one line)."""

    message: str


Event = Read | Progress | Done | Failed


class _Batcher:
    """Collects segmented articles and sends them on every BATCH_SECONDS (the first at once)."""

    def __init__(self, send: Callable[[Event], None], sent: int = 0) -> None:
        self.send = send
        self.sent = sent  # the first articles, already shown by the caller
        self.seen = 0
        self.articles: list[Article] = []
        self.statements: list[Statement] = []
        self.last = 0.0

    def add(self, article: Article, statements: list[Statement]) -> None:
        self.seen += 1
        if self.seen <= self.sent:
            return
        self.articles.append(article)
        self.statements.extend(statements)
        if time.monotonic() - self.last >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.articles:
            self.send(Read(self.articles, self.statements))
            self.articles, self.statements = [], []
        self.last = time.monotonic()


def _first(corpus: Corpus, send: Callable[[Event], None]) -> int:
    """Segment and send the first articles at once (numpy and scipy are not needed for it).

    A big text (a 10 MB file takes seconds) tells its progress as it goes.
    """
    first = corpus.articles[:FIRST]
    total = sum(len(a.text) for a in first)
    statements: list[Statement] = []
    done = 0
    for article in first:

        def tell(fraction: float, done: int = done, size: int = len(article.text)) -> None:
            send(Progress("segmenting", SEGMENTING * (done + fraction * size) / total))

        statements.extend(segment_article(article, tell if total > IN_THREAD_MAX else None))
        done += len(article.text)
    send(Read(first, statements))
    return len(first)


def _run(
    corpus: Corpus,
    cache: AnalysisCache | None,
    send: Callable[[Event], None],
    sent: int = 0,
    executor: Executor | None = None,
) -> Analysis:
    from tui.core.analysis.pipeline import analyze  # numpy and scipy: only here

    batcher = _Batcher(send, sent)

    def progress(stage: str, fraction: float) -> None:
        batcher.flush()  # segmenting is over when another stage starts
        send(Progress(stage, fraction))

    return analyze(corpus, progress=progress, cache=cache, segmented=batcher.add, executor=executor)


def _send_frame(out: IO[bytes], item: object) -> None:
    data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(8, "little") + data)
    out.flush()


def _read_frame(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the analysis process ended")
    size = int.from_bytes(head, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the analysis process ended")
    return pickle.loads(data)  # our own child's output, never a file's


def _end_with_parent() -> None:
    # The file descriptor, not sys.stdin: a pool worker forked while this thread held
    # stdin's lock hung for ever closing its stdin (multiprocessing does so at start).
    while os.read(sys.stdin.fileno(), 65536):
        pass
    os._exit(0)


def _end_with(parent: int) -> None:
    """A pool worker's initializer: end when the child that started it ends, however it ends
    (killed when the reviewer quits): a worker waiting for work would otherwise wait on."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _pooled(jobs: int) -> contextlib.AbstractContextManager[Executor | None]:
    """The process pool the child analyses with, as the CLI's ``--jobs`` default does: the
    stories of a day of news in parallel, or one big story's divergence checks shared out.
    Its workers start only when there is work for them (never for the seeds)."""
    if jobs <= 1:
        return contextlib.nullcontext()
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs, initializer=_end_with, initargs=(os.getpid(),))


def child_main() -> None:
    """The child process: read (corpus, cache dir) on stdin, write each event on stdout."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the event stream
    corpus, cache_dir, sent = _read_frame(sys.stdin.buffer)
    # The parent keeps stdin open while it wants the result: when it ends, however it ends
    # (even killed), stdin closes and this process ends too, leaving nothing behind.
    threading.Thread(target=_end_with_parent, daemon=True).start()
    cache = AnalysisCache(Path(cache_dir)) if cache_dir else None
    # Imported here: multiprocessing is 20 ms of the app's start-up, and only a child needs it.
    from concurrent.futures.process import BrokenProcessPool

    try:
        with _pooled(os.cpu_count() or 1) as pool:
            analysis = _run(corpus, cache, lambda event: _send_frame(out, event), sent, pool)
    except BrokenProcessPool:
        # A worker killed (out of memory, most often): the work is still all here. Every
        # article was shown before the pool had work, so none is sent again.
        everything = len(corpus.articles)
        analysis = _run(corpus, cache, lambda event: _send_frame(out, event), everything)
    except Exception as exc:  # the parent says so on screen; the child just ends
        _send_frame(out, Failed(f"{type(exc).__name__}: {exc}"))
        return
    # The articles stay with the parent, which read them: only what the analysis made.
    _send_frame(out, ("done", analysis.statements, analysis.claims, analysis.stories))


def _in_thread(
    corpus: Corpus,
    cache: AnalysisCache | None,
    events: Callable[[Event], None],
    send: Callable[[Event], None],
    sent: int = 0,
) -> None:
    """Run the analysis here, its events to ``events`` and its end (or failure) to ``send``."""
    try:
        send(Done(_run(corpus, cache, events, sent)))
    except Exception as exc:  # said on screen, like the child's
        send(Failed(f"{type(exc).__name__}: {exc}"))


def analyse(
    corpus: Corpus,
    cache: AnalysisCache | None,
    send: Callable[[Event], None],
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Analyse ``corpus``, telling ``send`` each event; stops (ending any child) once cancelled."""
    # No numpy nor scipy on the cache's path. An entry read in a fraction of a second brings
    # the articles with their claims, drawn once; a bigger one (a day of news) comes after
    # the first articles, which must not wait for it.
    size = cached_size(corpus, cache)
    quick = size is not None and size <= QUICK_ENTRY
    cached = from_cache(corpus, cache) if quick else None
    if cached is not None:
        send(Done(cached))
        return
    total = sum(len(a.text) for a in corpus.articles)
    if total <= min(DRAW_ONCE_MAX, IN_THREAD_MAX):
        # Analysed in about half a second, imports included: shown once, with the claims.
        _in_thread(corpus, cache, lambda e: None if isinstance(e, Read) else send(e), send)
        return
    # The first articles go out before anything imports numpy and scipy (a third of a second).
    sent = _first(corpus, send)
    if size is not None and not quick:
        send(Progress("reading the analysis cache", 0.0))
        cached = from_cache(corpus, cache)
        if cached is not None:
            send(Done(cached))
            return
    if total <= IN_THREAD_MAX:
        _in_thread(corpus, cache, send, send, sent)
        return
    # A plain child interpreter fed through pipes: multiprocessing's spawn needs a real
    # stderr for its resource tracker, which a full-screen app has replaced.
    root = str(Path(__file__).resolve().parents[3])  # the directory holding `tui`
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        # Not `-m`: the events must pickle as this module's classes, not as __main__'s. `-P`:
        # the reviewer's working directory (which may hold a `tui` of its own) is not on the path.
        [
            sys.executable,
            "-P",
            "-c",
            "from tui.core.analysis.background import child_main; child_main()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        cache_dir = str(cache.directory) if cache is not None else None
        _send_frame(child.stdin, (corpus, cache_dir, sent))  # stdin stays open: see child_main
        while not cancelled():
            ready, _, _ = select.select([child.stdout], [], [], 0.1)
            if not ready:
                continue
            try:
                event = _read_frame(child.stdout)
            except EOFError:
                code = child.wait()
                send(Failed(f"the analysis process ended (exit code {code})"))
                return
            if isinstance(event, tuple):
                _tag, statements, claims, stories = event
                send(Done(_analysis(corpus, statements, claims, stories)))
                return
            send(event)
            if isinstance(event, Failed):
                return
    except (OSError, pickle.PickleError) as exc:
        send(Failed(f"the analysis process failed: {exc}"))
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdin.close()
        child.stdout.close()


def _analysis(
    corpus: Corpus, statements: list[Statement], claims: list[Claim], stories: list[Story]
) -> Analysis:
    return Analysis(
        articles=list(corpus.articles),
        statements=statements,
        claims=claims,
        warnings=list(corpus.warnings),
        stories=stories,
    )
