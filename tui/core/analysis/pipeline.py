"""The analysis pipeline: corpus → statements → stories → claims → divergences."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from functools import lru_cache
from itertools import islice

from tui import __version__
from tui.core.analysis import collector, divergence
from tui.core.analysis.align import (
    Link,
    attach_headlines,
    claim_spans,
    cluster,
    link_graph,
    rescue,
    statement_links,
)
from tui.core.analysis.cache import (
    AnalysisCache,
    CacheError,
    analysis_payload,
    claims_from,
    claims_payload,
)
from tui.core.analysis.cache import from_cache as from_cache  # re-exported: the re-open path
from tui.core.analysis.cache import key as cache_key
from tui.core.analysis.corpus import Corpus
from tui.core.analysis.segment import segment_article, strip_citations
from tui.core.analysis.settings import AnalysisConfig, settings_text
from tui.core.analysis.stories import group_stories
from tui.core.analysis.text import TEXT_CACHE
from tui.core.model import (
    Analysis,
    Article,
    Claim,
    Divergence,
    Kind,
    Span,
    Statement,
    Status,
    Story,
)

Progress = Callable[[str, float], None]
# Told each article's statements as soon as it is segmented (the app shows them at once).
Segmented = Callable[[Article, list[Statement]], None]


def _content_key(statement: Statement) -> str:
    return _text_key(statement.text)


@lru_cache(maxsize=TEXT_CACHE)
def _text_key(text: str) -> str:
    # Per text, once: a statement of a dense story is a member of several claims.
    return hashlib.sha1(strip_citations(text).strip().lower().encode()).hexdigest()


def claim_id(statements: list[Statement], articles: dict[str, str]) -> str:
    """Derived from the claim's content (file names and statement texts), never from order."""
    keys = sorted(f"{articles[s.article]}\x1f{_content_key(s)}" for s in statements)
    return "c" + hashlib.sha1("\x1e".join(keys).encode()).hexdigest()[:12]


def _span_text(statement: Statement, span: tuple[int, int]) -> tuple[str, int]:
    return statement.text[span[0] : span[1]], statement.start + span[0]


_PARTNERS = 3

# One aligned pair as compared: each side's id, its aligned span with the span's offset in
# the article, and its whole text with the statement's offset (the fallback comparison).
PairTexts = tuple[str, str, int, str, str, int, str, int, str, int]


def _claim_pairs(
    members: list[int],
    statements: list[Statement],
    links: dict[tuple[int, int], Link],
    adjacent: dict[int, list[int]],
) -> list[PairTexts]:
    """The aligned pairs of a claim whose details are compared, on the spans that aligned.

    Each member against its strongest partners in the claim: a source that got a detail
    wrong disagrees with each of them, and the work stays linear in the claim's size.
    """
    member_set = set(members)
    pairs: set[tuple[int, int]] = set()
    for x in members:
        # Strongest first: the walk stops at the third partner found in the claim (its
        # strongest partners mostly are), not at the end of a list of hundreds.
        partners = list(islice((y for y in adjacent.get(x, ()) if y in member_set), _PARTNERS))
        pairs.update((min(x, y), max(x, y)) for y in partners)
    out: list[PairTexts] = []
    for x, y in sorted(pairs):
        a, b = statements[x], statements[y]
        if a.article == b.article:
            continue
        link = links[(x, y)]
        text_a, off_a = _span_text(a, (link.left.start, link.left.end))
        text_b, off_b = _span_text(b, (link.right.start, link.right.end))
        out.append((a.id, text_a, off_a, b.id, text_b, off_b, a.text, a.start, b.text, b.start))
    return out


def claim_divergences(pairs: list[PairTexts]) -> list[Divergence]:
    """The divergences of one claim from its compared pairs, each kind and detail once.

    A compound statement can belong to several claims; each pair is compared on the
    clauses through which its two statements matched, so a detail of another clause is
    neither compared nor blamed; on the whole statements only when the clauses agree.
    """
    found: list[list[Divergence]] = []
    for a_id, text_a, off_a, b_id, text_b, off_b, full_a, start_a, full_b, start_b in pairs:
        found_here = divergence.compare(a_id, text_a, b_id, text_b, off_a, off_b)
        if not found_here and _a_clause(text_a, full_a, text_b, full_b):
            found_here = divergence.compare(a_id, full_a, b_id, full_b, start_a, start_b)
        found.append(found_here)
    return _each_once(found)


def _a_clause(span_a: str, full_a: str, span_b: str, full_b: str) -> bool:
    """Either span is a clause of its statement (its whole text is then compared too)."""
    return len(span_a) < len(full_a) or len(span_b) < len(full_b)


def _each_once(found: list[list[Divergence]]) -> list[Divergence]:
    """A claim's divergences, pair by pair, keeping the first of each kind and detail."""
    out: list[Divergence] = []
    seen: set[tuple[str, str]] = set()
    for found_here in found:
        for d in found_here:
            key = (d.kind.value, d.detail)
            if key not in seen:
                seen.add(key)
                out.append(d)
    return out


# The texts of a pair as a share of the readings needs them: the two spans, the two
# statements (read when no reading of the spans finds anything and a span is a clause).
ShareTexts = tuple[str, str, str, str]
ShareFound = tuple[tuple[divergence.Details, ...], tuple[divergence.Details, ...] | None]


@collector.paused()
def divergence_share(pairs: list[ShareTexts], share: tuple[int, ...]) -> list[ShareFound]:
    """One share of the readings (``divergence.SHARES``) of every pair, as a unit of work for
    another process: the details of the spans, and of the whole statements where the spans
    gave none here and one of them is a clause (``None`` otherwise)."""
    out: list[ShareFound] = []
    for text_a, text_b, full_a, full_b in pairs:
        spans = divergence.details_share(text_a, text_b, share)
        whole = None
        if not any(spans) and _a_clause(text_a, full_a, text_b, full_b):
            whole = divergence.details_share(full_a, full_b, share)
        out.append((spans, whole))
    return out


# Below this many compared pairs a story's divergences are not worth shipping to workers.
_PARALLEL_PAIRS = 4000


def _all_divergences(
    pairs: list[list[PairTexts]], executor: Executor | None
) -> list[list[Divergence]]:
    """Every claim's divergences; with an executor, each share of the readings on a worker.

    A story of dense coverage spends a third of its time here. Shared out by claims, both
    workers read most texts (a lede is in three claims, a clause in several) and two did
    the work of one; shared out by readings, each text is read once for each reading.
    """
    total = sum(len(p) for p in pairs)
    if executor is None or total < _PARALLEL_PAIRS:
        return [claim_divergences(p) for p in pairs]
    index: dict[ShareTexts, int] = {}
    for claim in pairs:
        for p in claim:
            index.setdefault((p[1], p[4], p[6], p[8]), len(index))
    unique = list(index)
    shares = divergence.SHARES
    futures = [executor.submit(divergence_share, unique, share) for share in shares]
    found = [future.result() for future in futures]
    del unique
    merged = [divergence.merge_shares([f[k][0] for f in found], shares) for k in range(len(index))]
    out = []
    for claim in pairs:
        per_pair = []
        for a_id, text_a, off_a, b_id, text_b, off_b, full_a, start_a, full_b, start_b in claim:
            k = index[(text_a, text_b, full_a, full_b)]
            if merged[k]:
                here = divergence.divergences_of(
                    merged[k], a_id, text_a, b_id, text_b, off_a, off_b
                )
            elif found[0][k][1] is not None:
                whole = divergence.merge_shares([f[k][1] or () for f in found], shares)
                here = divergence.divergences_of(
                    whole, a_id, full_a, b_id, full_b, start_a, start_b
                )
            else:
                here = []
            per_pair.append(here)
        out.append(_each_once(per_pair))
    return out


def _span(statement: Statement, clause: tuple[int, int] | None) -> Span:
    """The clause of a member in article offsets; the whole statement when none was voted."""
    start, end = clause or (0, len(statement.text))
    return Span(statement.id, statement.start + start, statement.start + end)


_HEADLINE_MIN_WORDS = 4  # "Background", "What happens next" state no fact


def _aligned_statements(statements: list[Statement]) -> list[Statement]:
    """The statements claims are made of: every claim, and each article's headings that
    can state a fact (four words or more; a headline repeated in the body counts once)."""
    out: list[Statement] = []
    seen: set[tuple[str, str]] = set()
    for s in statements:
        if s.kind is Kind.HEADING:
            key = (s.article, s.text.strip().lower())
            if key in seen or len(s.text.split()) < _HEADLINE_MIN_WORDS:
                continue
            seen.add(key)
        elif s.kind is not Kind.CLAIM:
            continue
        out.append(s)
    return out


def _headlines_as_claims(statements: list[Statement], claims: list[Claim]) -> list[Statement]:
    """Headings that joined a claim, as the claim statements they turned out to be."""
    member = {sid for c in claims for sid in c.statements}
    return [
        dataclasses.replace(s, kind=Kind.CLAIM) if s.kind is Kind.HEADING and s.id in member else s
        for s in statements
    ]


@collector.paused()
def analyze_story(
    story: Story,
    statements: list[Statement],
    files: dict[str, str],
    config: AnalysisConfig,
    executor: Executor | None = None,
) -> list[Claim]:
    """The claims of one story from its segmented statements (a picklable unit of work).

    With an ``executor`` (the story runs alone), the claims' divergences are checked on its
    workers."""
    claim_statements = _aligned_statements(statements)
    scorer = config.scorer_factory()
    links = statement_links(claim_statements, scorer, config.align)
    article_of = [s.article for s in claim_statements]
    heading = [s.kind is Kind.HEADING for s in claim_statements]
    groups = cluster(len(claim_statements), links, article_of, config.align, heading)
    neighbours, adjacent = link_graph(links)
    groups = rescue(groups, claim_statements, links, adjacent, scorer, config.align)
    groups = attach_headlines(groups, claim_statements, links, config.align)
    covered = {i for g in groups for i in g}
    pairs = [_claim_pairs(g, claim_statements, links, adjacent) for g in groups]
    claims: list[Claim] = []
    for g, divs in zip(groups, _all_divergences(pairs, executor), strict=True):
        members = [claim_statements[i] for i in g]
        spans = claim_spans(g, links, neighbours)
        claims.append(
            Claim(
                id=claim_id(members, files),
                status=Status.DIVERGENT if divs else Status.OVERLAP,
                statements=tuple(s.id for s in members),
                divergences=tuple(divs),
                story=story.id,
                spans=tuple(_span(claim_statements[i], spans.get(i)) for i in g),
            )
        )
    for i, s in enumerate(claim_statements):
        if i not in covered and s.kind is Kind.CLAIM:
            claims.append(
                Claim(
                    claim_id([s], files),
                    Status.UNIQUE,
                    (s.id,),
                    story=story.id,
                    spans=(_span(s, None),),
                )
            )
    return claims


def clear_text_caches() -> None:
    """Empty the per-text caches of the analysis modules (features, names, slots, checks).

    They hold every statement and clause of the stories read so far: a worker that has
    finished a story, or a parent that hands its stories to workers, needs none of it.
    """
    for name, module in list(sys.modules.items()):
        if not name.startswith("tui.core.analysis."):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()


def story_job(
    story: Story, statements: list[Statement], files: dict[str, str], config: AnalysisConfig
) -> list[Claim]:
    """``analyze_story`` as a unit of work sent to another process: it leaves no caches behind
    (a pool's worker goes on to another story, and would otherwise carry this one's texts)."""
    try:
        return analyze_story(story, statements, files, config)
    finally:
        clear_text_caches()


@collector.paused()
def analyze(
    corpus: Corpus,
    config: AnalysisConfig | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
    story: str | None = None,
    cache: AnalysisCache | None = None,
    segmented: Segmented | None = None,
) -> Analysis:
    """Run the whole analysis on a loaded corpus: statements, stories, then claims per story.

    Each story is one unit of work: with an ``executor`` (a process pool, or a Dask
    cluster's ``concurrent.futures`` executor) the stories run in parallel; the result is the
    same either way. ``story`` limits the claims to that story id (every story is listed).
    With a ``cache``, an unchanged corpus is read back whole and an unchanged story's claims
    are reused; the result is the same as without it. ``segmented`` is told each article's
    statements as they are made (not on a re-open from the cache).
    """
    config = config or AnalysisConfig()
    report = progress or (lambda _stage, _fraction: None)
    settings = settings_text(config)
    corpus_key = cache_key("corpus", corpus.articles, settings, __version__)
    cached = from_cache(corpus, cache, config)
    if cached is not None:
        report("done", 1.0)
        return cached.limited_to(story)
    statements: list[Statement] = []
    statements_of: dict[str, list[Statement]] = {}
    for k, article in enumerate(corpus.articles):
        found = segment_article(article)
        statements_of[article.id] = found
        statements.extend(found)
        if segmented is not None:
            segmented(article, found)
        report("segmenting", (k + 1) / len(corpus.articles) * 0.2)
    stories = group_stories(corpus.articles, statements_of, config.stories)
    report("aligning", 0.25)
    files = {a.id: a.file for a in corpus.articles}
    articles = {a.id: a for a in corpus.articles}
    chosen = [s for s in stories if story is None or s.id == story]
    results: dict[str, list[Claim]] = {}
    work: list[tuple[str, tuple[Story, list[Statement], dict[str, str], AnalysisConfig]]] = []
    for st in chosen:
        story_statements = [s for a in st.articles for s in statements_of[a]]
        story_key = cache_key("story", [articles[a] for a in st.articles], settings, __version__)
        if cache is not None:
            payload = cache.read(story_key)
            if payload is not None:
                try:
                    results[st.id] = claims_from(payload, {s.id for s in story_statements})
                    continue
                except CacheError:
                    pass
        # A worker gets its story's statements and file names only.
        story_files = {a: files[a] for a in st.articles}
        work.append((story_key, (st, story_statements, story_files, config)))
    del statements_of
    parallel = executor is not None and len(work) > 1
    if parallel:
        clear_text_caches()  # the workers read the texts afresh; the parent is done with them
    total = len(work)  # counted before _run_stories hands the work on (and empties the list)
    for n, (story_key, sid, story_claims) in enumerate(_run_stories(work, executor, parallel)):
        results[sid] = story_claims
        if cache is not None:
            cache.write(story_key, claims_payload(story_claims))
        stage = f"aligning: {n + 1} of {total} stories done" if total > 1 else "aligning"
        report(stage, 0.25 + 0.7 * (n + 1) / max(total, 1))
    claims: list[Claim] = [c for st in chosen for c in results[st.id]]
    order = {s.id: n for n, s in enumerate(statements)}
    claims.sort(key=lambda c: (min(order[s] for s in c.statements), -len(c.statements), c.id))
    claims = _dedupe_ids(claims)
    statements = _headlines_as_claims(statements, claims)
    analysis = Analysis(
        articles=list(corpus.articles),
        statements=statements,
        claims=claims,
        warnings=list(corpus.warnings),
        stories=stories,
    )
    if cache is not None and story is None:
        cache.write(corpus_key, analysis_payload(analysis))
    report("done", 1.0)
    return analysis


StoryWork = tuple[str, tuple[Story, list[Statement], dict[str, str], AnalysisConfig]]


def _run_stories(
    work: list[StoryWork], executor: Executor | None, parallel: bool
) -> Iterator[tuple[str, str, list[Claim]]]:
    """Each story's (cache key, id, claims), in the order of ``work``.

    In parallel every story is submitted at once (a process pool pickles a story's
    statements only as a worker is about to take it), and each finished future is dropped
    as soon as its claims are handed on.
    """
    if not parallel or executor is None:
        for key, args in work:
            # A story alone still shares out its divergence checks.
            yield key, args[0].id, analyze_story(*args, executor=executor)
        return
    futures: deque[tuple[str, str, Future[list[Claim]]]] = deque(
        (key, args[0].id, executor.submit(story_job, *args)) for key, args in work
    )
    work.clear()
    while futures:
        key, sid, future = futures.popleft()
        yield key, sid, future.result()


def _dedupe_ids(claims: list[Claim]) -> list[Claim]:
    """Identical content in two claims (a statement repeated verbatim) gets a suffix."""
    seen: dict[str, int] = {}
    out = []
    for c in claims:
        n = seen.get(c.id, 0)
        seen[c.id] = n + 1
        out.append(c if n == 0 else dataclasses.replace(c, id=f"{c.id}.{n + 1}"))
    return out
