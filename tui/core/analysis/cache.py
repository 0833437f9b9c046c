"""Analyses kept between runs, so an unchanged corpus re-opens at once.

Two kinds of entry, each a JSON file named by the sha256 of its key:

- a corpus entry holds the whole analysis; its key is every article's id, file name and
  sha256, the analysis settings and the claimdiff version;
- a story entry holds one story's claims; its key is the same over the story's articles, so
  adding or editing one article re-analyses only the story it lands in.

An entry is data, never code (no pickle): it is read back field by field, and one that is
corrupt, of another version or of other articles is ignored and rebuilt, never trusted.
Writes go to a temporary file renamed into place, so a crash leaves no half entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tui.core.analysis.segment import statement_id
from tui.core.model import (
    Analysis,
    Article,
    Claim,
    Divergence,
    DivergenceKind,
    Kind,
    Span,
    Statement,
    Status,
    Story,
    Value,
)

FORMAT = "claimdiff.cache/1"


class CacheError(ValueError):
    """An entry that cannot be trusted."""


def key(kind: str, articles: Sequence[Article], settings: str, version: str) -> str:
    """The sha256 naming an entry: what was analysed, how, and by which claimdiff."""
    h = hashlib.sha256()
    for part in (FORMAT, kind, version, settings):
        h.update(part.encode("utf-8") + b"\x00")
    for a in sorted(articles, key=lambda a: a.id):
        h.update(f"{a.id}\x1f{a.file}\x1f{a.sha256}\x00".encode())
    return h.hexdigest()


class AnalysisCache:
    """Entries in one directory (the user cache directory, or a test's own)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, entry_key: str) -> Path:
        return self.directory / entry_key[:2] / f"{entry_key}.json"

    def read(self, entry_key: str) -> dict[str, Any] | None:
        """The entry's payload, or None when it is missing or cannot be trusted."""
        try:
            data = json.loads(self._path(entry_key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("key") != entry_key
        ):
            return None
        payload = data.get("payload")
        return payload if isinstance(payload, dict) else None

    def write(self, entry_key: str, payload: dict[str, Any]) -> None:
        """Store an entry; a cache that cannot be written is skipped, never an error."""
        path = self._path(entry_key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, "key": entry_key, "payload": payload}, out)
            os.replace(tmp, path)
        except OSError:
            return


# ---------------------------------------------------------------------------- (de)serialising


def claims_payload(claims: Sequence[Claim]) -> dict[str, Any]:
    """Claims as plain data."""
    return {"claims": [_claim(c) for c in claims]}


def _claim(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "status": c.status.value,
        "statements": list(c.statements),
        "story": c.story,
        "spans": [[p.statement, p.start, p.end] for p in c.spans],
        "divergences": [
            {
                "kind": d.kind.value,
                "statements": list(d.statements),
                "detail": d.detail,
                "values": [[v.statement, v.text, v.start, v.end] for v in d.values],
            }
            for d in c.divergences
        ],
    }


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise CacheError("expected a string")
    return value


def _int_or_none(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise CacheError("expected an integer")


def _int(value: Any) -> int:
    got = _int_or_none(value)
    if got is None:
        raise CacheError("expected an integer")
    return got


def claims_from(payload: dict[str, Any], statement_ids: set[str]) -> list[Claim]:
    """Claims read back; CacheError if any part is malformed or names an unknown statement."""
    try:
        out = []
        for c in payload["claims"]:
            statements = tuple(_str(s) for s in c["statements"])
            if not statements or not set(statements) <= statement_ids:
                raise CacheError("a claim names statements this corpus does not have")
            divergences = []
            for d in c["divergences"]:
                pair = tuple(_str(s) for s in d["statements"])
                if len(pair) != 2:
                    raise CacheError("a divergence is between two statements")
                divergences.append(
                    Divergence(
                        DivergenceKind(d["kind"]),
                        (pair[0], pair[1]),
                        _str(d["detail"]),
                        tuple(
                            Value(_str(s), _str(t), _int_or_none(a), _int_or_none(b))
                            for s, t, a, b in d["values"]
                        ),
                    )
                )
            out.append(
                Claim(
                    id=_str(c["id"]),
                    status=Status(c["status"]),
                    statements=statements,
                    divergences=tuple(divergences),
                    story=_str(c["story"]),
                    spans=tuple(Span(_str(s), _int(a), _int(b)) for s, a, b in c["spans"]),
                )
            )
        return out
    except (KeyError, TypeError, ValueError) as exc:
        raise CacheError(str(exc)) from exc


def analysis_payload(analysis: Analysis) -> dict[str, Any]:
    """A whole analysis as plain data (the articles themselves are not stored)."""
    return {
        "statements": [
            [s.id, s.article, s.index, s.start, s.end, s.kind.value] for s in analysis.statements
        ],
        "stories": [[s.id, s.title, list(s.articles)] for s in analysis.stories],
        **claims_payload(analysis.claims),
    }


def analysis_from(
    payload: dict[str, Any], articles: Sequence[Article], warnings: list[str]
) -> Analysis:
    """An analysis read back against the corpus it was made from; CacheError if it differs."""
    by_id = {a.id: a for a in articles}
    taken: dict[str, set[str]] = {a.id: set() for a in articles}
    try:
        statements = []
        for sid, article_id, index, start, end, kind in payload["statements"]:
            article = by_id[_str(article_id)]
            start, end = _int(start), _int(end)
            if not 0 <= start <= end <= len(article.text):
                raise CacheError("a statement lies outside its article")
            text = article.text[start:end]
            # Ids are derived from the text: one that does not match was not made from it.
            if statement_id(article.id, text, taken[article.id]) != sid:
                raise CacheError("a statement id does not match its text")
            statements.append(Statement(sid, article.id, _int(index), start, end, text, Kind(kind)))
        stories = [
            Story(_str(i), _str(t), tuple(_str(a) for a in members))
            for i, t, members in payload["stories"]
        ]
        if {a for s in stories for a in s.articles} != set(by_id):
            raise CacheError("the stories do not cover the corpus")
        claims = claims_from(payload, {s.id for s in statements})
    except (KeyError, TypeError, ValueError) as exc:
        raise CacheError(str(exc)) from exc
    return Analysis(
        articles=list(articles),
        statements=statements,
        claims=claims,
        warnings=warnings,
        stories=stories,
    )
