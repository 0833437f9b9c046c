"""The analysis pipeline: corpus → statements → claims → divergences, and its JSON form."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui.core.analysis import divergence
from tui.core.analysis.align import AlignConfig, Link, cluster, statement_links
from tui.core.analysis.corpus import Corpus
from tui.core.analysis.segment import segment_article, strip_citations
from tui.core.analysis.similarity import LexicalScorer, Scorer
from tui.core.model import Analysis, Article, Claim, Divergence, Kind, Statement, Status

ANALYSIS_SCHEMA = "claimdiff.analysis/1"

Progress = Callable[[str, float], None]


@dataclass(slots=True)
class AnalysisConfig:
    """Everything the analysis can be tuned with; passed in, never global."""

    align: AlignConfig = field(default_factory=AlignConfig)
    scorer_factory: Callable[[], Scorer] = LexicalScorer


def _content_key(statement: Statement) -> str:
    return hashlib.sha1(strip_citations(statement.text).strip().lower().encode()).hexdigest()


def claim_id(statements: list[Statement], articles: dict[str, str]) -> str:
    """Derived from the claim's content (file names and statement texts), never from order."""
    keys = sorted(f"{articles[s.article]}\x1f{_content_key(s)}" for s in statements)
    return "c" + hashlib.sha1("\x1e".join(keys).encode()).hexdigest()[:12]


def _divergences(
    members: list[int], claim_statements: list[Statement], links: dict[tuple[int, int], Link]
) -> list[Divergence]:
    found: list[Divergence] = []
    seen: set[tuple[str, str]] = set()
    for x in members:
        for y in members:
            if x >= y or claim_statements[x].article == claim_statements[y].article:
                continue
            link = links.get((x, y))
            if link is None:
                continue
            a, b = claim_statements[x], claim_statements[y]
            for d in divergence.compare(a.id, link.left.text, b.id, link.right.text):
                key = (d.kind.value, d.detail)
                if key not in seen:
                    seen.add(key)
                    found.append(d)
    return found


def analyze(
    corpus: Corpus, config: AnalysisConfig | None = None, progress: Progress | None = None
) -> Analysis:
    """Run the whole analysis on a loaded corpus."""
    config = config or AnalysisConfig()
    report = progress or (lambda _stage, _fraction: None)
    statements: list[Statement] = []
    for k, article in enumerate(corpus.articles):
        statements.extend(segment_article(article))
        report("segmenting", (k + 1) / len(corpus.articles) * 0.2)
    claim_statements = [s for s in statements if s.kind is Kind.CLAIM]
    report("aligning", 0.25)
    links = statement_links(claim_statements, config.scorer_factory(), config.align)
    report("clustering", 0.7)
    article_of = [s.article for s in claim_statements]
    groups = cluster(len(claim_statements), links, article_of, config.align)
    files = {a.id: a.file for a in corpus.articles}
    covered = {i for g in groups for i in g}
    claims: list[Claim] = []
    for g in groups:
        members = [claim_statements[i] for i in g]
        divs = _divergences(g, claim_statements, links)
        claims.append(
            Claim(
                id=claim_id(members, files),
                status=Status.DIVERGENT if divs else Status.OVERLAP,
                statements=tuple(s.id for s in members),
                divergences=tuple(divs),
            )
        )
    for i, s in enumerate(claim_statements):
        if i not in covered:
            claims.append(Claim(claim_id([s], files), Status.UNIQUE, (s.id,)))
    report("divergences", 0.95)
    order = {s.id: n for n, s in enumerate(statements)}
    claims.sort(key=lambda c: (min(order[s] for s in c.statements), -len(c.statements)))
    claims = _dedupe_ids(claims)
    report("done", 1.0)
    return Analysis(
        articles=list(corpus.articles),
        statements=statements,
        claims=claims,
        warnings=list(corpus.warnings),
    )


def _dedupe_ids(claims: list[Claim]) -> list[Claim]:
    """Identical content in two claims (a statement repeated verbatim) gets a suffix."""
    seen: dict[str, int] = {}
    out = []
    for c in claims:
        n = seen.get(c.id, 0)
        seen[c.id] = n + 1
        out.append(c if n == 0 else Claim(f"{c.id}.{n + 1}", c.status, c.statements, c.divergences))
    return out


def _article_json(a: Article) -> dict[str, Any]:
    out: dict[str, Any] = {"id": a.id, "title": a.title, "path": str(a.path), "sha256": a.sha256}
    for key in ("url", "source", "published"):
        value = getattr(a, key)
        if value:
            out[key] = value
    return out


def _divergence_json(d: Divergence) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": d.kind.value,
        "statements": list(d.statements),
        "detail": d.detail,
    }
    if d.values:
        out["values"] = [
            {"statement": v.statement, "text": v.text, "start": v.start, "end": v.end}
            for v in d.values
        ]
    return out


def _claim_json(c: Claim) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "status": c.status.value,
        "statements": list(c.statements),
        "divergences": [_divergence_json(d) for d in c.divergences],
    }
    if c.story:
        out["story"] = c.story
    if c.spans:
        out["spans"] = [{"statement": p.statement, "start": p.start, "end": p.end} for p in c.spans]
    return out


def to_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis as ``claimdiff.analysis/1``, with the contract's optional fields."""
    out: dict[str, Any] = {
        "schema": ANALYSIS_SCHEMA,
        "articles": [_article_json(a) for a in analysis.articles],
        "statements": [
            {
                "id": s.id,
                "article": s.article,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "kind": s.kind.value,
            }
            for s in analysis.statements
        ],
        "claims": [_claim_json(c) for c in analysis.claims],
    }
    if analysis.stories:
        out["stories"] = [
            {"id": st.id, "title": st.title, "articles": list(st.articles)}
            for st in analysis.stories
        ]
    return out
