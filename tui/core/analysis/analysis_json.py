"""The analysis as JSON (``claimdiff.analysis/1``): built whole, or streamed to a file.

Apart from the pipeline: writing an analysis read back from the cache needs neither numpy
nor scipy, whose imports took a third of a re-run of ``claimdiff analyze --json``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from tui.core.model import Analysis, Article, Claim, Divergence, Statement, Story

ANALYSIS_SCHEMA = "claimdiff.analysis/1"


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
            {"statement": v.statement, "text": v.text}
            | ({"start": v.start, "end": v.end} if v.start is not None else {})
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


def _story_json(st: Story) -> dict[str, Any]:
    return {"id": st.id, "title": st.title, "articles": list(st.articles)}


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
        out["stories"] = [_story_json(st) for st in analysis.stories]
    return out


def _statement_json(s: Statement) -> str:
    """One statement as ``json.dumps(..., indent=1)`` writes it two levels deep."""
    quote = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False
    return (
        f'{{\n   "id": {quote(s.id)},\n   "article": {quote(s.article)},\n'
        f'   "start": {s.start},\n   "end": {s.end},\n   "text": {quote(s.text)},\n'
        f'   "kind": {quote(s.kind.value)}\n  }}'
    )


def _nested(value: Any) -> str:
    """A list item as ``json.dumps(..., indent=1)`` writes it two levels deep."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def write_json(analysis: Analysis, out: IO[str]) -> None:
    """Write ``to_json(analysis)`` as ``json.dump(..., ensure_ascii=False, indent=1)`` does,
    byte for byte, one article, statement and claim at a time: the whole document is never
    built in memory (at 10,000 articles its dictionaries alone held hundreds of MB)."""
    sections: list[tuple[str, Iterator[str]]] = [
        ("articles", (_nested(_article_json(a)) for a in analysis.articles)),
        ("statements", (_statement_json(s) for s in analysis.statements)),
        ("claims", (_nested(_claim_json(c)) for c in analysis.claims)),
    ]
    if analysis.stories:
        sections.append(("stories", (_nested(_story_json(st)) for st in analysis.stories)))
    out.write(f'{{\n "schema": {json.dumps(ANALYSIS_SCHEMA)}')
    for key, items in sections:
        out.write(f',\n "{key}": [')
        empty = True
        for item in items:
            out.write(("\n  " if empty else ",\n  ") + item)
            empty = False
        out.write("]" if empty else "\n ]")
    out.write("\n}")
