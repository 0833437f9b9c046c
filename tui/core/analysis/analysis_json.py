"""The analysis as JSON (``claimdiff.analysis/1``): built whole, or streamed to a file.

Apart from the pipeline: writing an analysis read back from the cache needs neither numpy
nor scipy, whose imports took a third of a re-run of ``claimdiff analyze --json``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from tui.core.model import Analysis, Article, Claim, Divergence, Statement, Story

ANALYSIS_SCHEMA = "claimdiff.analysis/1"

_quote = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


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
    return (
        f'{{\n   "id": {_quote(s.id)},\n   "article": {_quote(s.article)},\n'
        f'   "start": {s.start},\n   "end": {s.end},\n   "text": {_quote(s.text)},\n'
        f'   "kind": {_quote(s.kind.value)}\n  }}'
    )


def _claim_text(c: Claim) -> str:
    """``_nested(_claim_json(c))`` without building its dictionaries: the claims of dense
    coverage hold hundreds of statements and spans each, most of a big corpus's JSON."""
    ids = ",\n    ".join(map(_quote, c.statements))
    statements = "[\n    " + ids + "\n   ]" if ids else "[]"
    divergences = _indented([_divergence_json(d) for d in c.divergences], "\n   ")
    fields = [
        f'{{\n   "id": {_quote(c.id)},\n   "status": {_quote(c.status.value)},\n'
        f'   "statements": {statements},\n   "divergences": {divergences}'
    ]
    if c.story:
        fields.append(f'   "story": {_quote(c.story)}')
    if c.spans:
        spans = ",\n    ".join(
            f'{{\n     "statement": {_quote(p.statement)},\n     "start": {p.start},\n'
            f'     "end": {p.end}\n    }}'
            for p in c.spans
        )
        fields.append(f'   "spans": [\n    {spans}\n   ]')
    return ",\n".join(fields) + "\n  }"


def _indented(value: Any, newline: str) -> str:
    """``value`` as ``json.dumps(..., ensure_ascii=False, indent=1)`` writes it, each line
    inside it starting with ``newline``.

    Written out here because json's C encoder does not indent, and its pure-Python one took
    1.8 s of the 2 s spent writing 1,000 dense articles. The analysis holds strings,
    integers, None, booleans, lists and dicts with string keys; anything else goes to json.
    """
    if isinstance(value, str):
        return _quote(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else ("true" if value else "false")
    if isinstance(value, int):
        return int.__repr__(value)
    inner = newline + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        body = ("," + inner).join(f"{_quote(k)}: {_indented(v, inner)}" for k, v in value.items())
        return "{" + inner + body + newline + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(v, inner) for v in value) + newline + "]"
    return json.dumps(value)


def _nested(value: Any) -> str:
    """A list item as ``json.dumps(..., indent=1)`` writes it two levels deep."""
    return _indented(value, "\n  ")


def write_json(analysis: Analysis, out: IO[str]) -> None:
    """Write ``to_json(analysis)`` as ``json.dump(..., ensure_ascii=False, indent=1)`` does,
    byte for byte, one article, statement and claim at a time: the whole document is never
    built in memory (at 10,000 articles its dictionaries alone held hundreds of MB)."""
    sections: list[tuple[str, Iterator[str]]] = [
        ("articles", (_nested(_article_json(a)) for a in analysis.articles)),
        ("statements", (_statement_json(s) for s in analysis.statements)),
        ("claims", (_claim_text(c) for c in analysis.claims)),
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
