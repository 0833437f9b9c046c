"""Analyses kept between runs, so an unchanged corpus re-opens at once.

Two kinds of entry, each a file named by the sha256 of its key:

- a corpus entry holds the whole analysis; its key is every article's id, file name and
  sha256, the analysis settings and the claimdiff version;
- a story entry holds one story's claims; its key is the same over the story's articles, so
  adding or editing one article re-analyses only the story it lands in.

An entry is data, never code (no pickle): two lines of JSON, a header (format, key and the
payload's sha256) and the payload. A payload whose hash differs, an entry of another format
or key, or one whose content does not fit the corpus (a statement id that is not its
text's, an index out of range, a wrong type) is ignored and rebuilt, never trusted.
Writes go to a temporary file renamed into place, so a crash leaves no half entry.

The corpus entry is laid out for reading fast (a thousand articles re-open in the app in
well under a second): statements in columns, claims naming statements by their index.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import __version__
from tui.core.analysis.collector import paused
from tui.core.analysis.segment import statement_id
from tui.core.analysis.settings import AnalysisConfig, settings_text
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

if TYPE_CHECKING:
    from tui.core.analysis.corpus import Corpus

FORMAT = "claimdiff.cache/2"


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

    def size(self, entry_key: str) -> int | None:
        """The entry's size in bytes, or None when there is none (nothing is read)."""
        try:
            return self._path(entry_key).stat().st_size
        except OSError:
            return None

    def read(self, entry_key: str) -> dict[str, Any] | None:
        """The entry's payload, or None when it is missing or cannot be trusted."""
        try:
            raw = self._path(entry_key).read_bytes()
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if (
                not isinstance(header, dict)
                or header.get("format") != FORMAT
                or header.get("key") != entry_key
                or header.get("sha256") != hashlib.sha256(body).hexdigest()
            ):
                return None
            with paused():
                payload = json.loads(body)
        except (OSError, ValueError):
            return None
        return payload if isinstance(payload, dict) else None

    def write(self, entry_key: str, payload: dict[str, Any]) -> None:
        """Store an entry; a cache that cannot be written is skipped, never an error."""
        path = self._path(entry_key)
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        header = {"format": FORMAT, "key": entry_key, "sha256": hashlib.sha256(body).hexdigest()}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(json.dumps(header).encode("utf-8") + b"\n" + body)
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


_KIND = {k: k.value[0] for k in Kind}  # one letter each: c(laim), h(eading), b(oilerplate)
_KIND_OF = {letter: k for k, letter in _KIND.items()}
_STATUS = {st: st.value[0] for st in Status}  # o(verlap), d(ivergent), u(nique)
_STATUS_OF = {letter: st for st, letter in _STATUS.items()}


def analysis_payload(analysis: Analysis) -> dict[str, Any]:
    """A whole analysis as plain data (the articles themselves are not stored).

    Statements are columns; claims, spans, divergences and values name statements by
    their index in the statement list and stories name articles by their index.
    """
    articles = {a.id: n for n, a in enumerate(analysis.articles)}
    index = {s.id: n for n, s in enumerate(analysis.statements)}
    ss = analysis.statements
    return {
        "articles": [a.id for a in analysis.articles],
        "statements": {
            "id": [s.id for s in ss],
            "article": [articles[s.article] for s in ss],
            "index": [s.index for s in ss],
            "start": [s.start for s in ss],
            "end": [s.end for s in ss],
            "kind": "".join(_KIND[s.kind] for s in ss),
        },
        "stories": [[s.id, s.title, [articles[a] for a in s.articles]] for s in analysis.stories],
        "claims": [
            [
                c.id,
                _STATUS[c.status],
                c.story,
                [index[s] for s in c.statements],
                [x for p in c.spans for x in (index[p.statement], p.start, p.end)],
                [
                    [
                        d.kind.value,
                        index[d.statements[0]],
                        index[d.statements[1]],
                        d.detail,
                        [x for v in d.values for x in (index[v.statement], v.text, v.start, v.end)],
                    ]
                    for d in c.divergences
                ],
            ]
            for c in analysis.claims
        ],
    }


_INT = {int}
_STR = {str}
_INT_OR_NONE = {int, type(None)}


def _ints(values: Any, below: int | None = None) -> list[int]:
    """A list of integers (each < ``below`` and >= 0 when given); CacheError otherwise."""
    if not isinstance(values, list) or not set(map(type, values)) <= _INT:
        raise CacheError("expected a list of integers")
    if below is not None and values and not (min(values) >= 0 and max(values) < below):
        raise CacheError("an index out of range")
    return values


def _strs(values: Any) -> list[str]:
    if not isinstance(values, list) or not set(map(type, values)) <= _STR:
        raise CacheError("expected a list of strings")
    return values


def analysis_from(
    payload: dict[str, Any], articles: Sequence[Article], warnings: list[str]
) -> Analysis:
    """An analysis read back against the corpus it was made from; CacheError if it differs."""
    with paused():
        analysis = _analysis_from(payload, articles, warnings)
        # Its objects live as long as its reader (the app, a command) and hold no cycle:
        # frozen, the collector's first pass once it is back on does not walk the million
        # of them (0.05-0.08 s at 1,000 articles). Dropped, they are still freed at once.
        gc.freeze()
        return analysis


def _analysis_from(
    payload: dict[str, Any], articles: Sequence[Article], warnings: list[str]
) -> Analysis:
    try:
        if _strs(payload["articles"]) != [a.id for a in articles]:
            raise CacheError("the entry is of other articles")
        columns = payload["statements"]
        ids = _strs(columns["id"])
        n = len(ids)
        of = _ints(columns["article"], len(articles))
        indexes, starts, ends = (_ints(columns[k]) for k in ("index", "start", "end"))
        kinds = columns["kind"]
        if not isinstance(kinds, str) or not (
            len(of) == len(indexes) == len(starts) == len(ends) == len(kinds) == n
        ):
            raise CacheError("the statement columns differ in length")
        kind_of = [_KIND_OF[k] for k in kinds]
        statements = []
        taken: dict[int, set[str]] = {}
        for k in range(n):
            article = articles[of[k]]
            start, end = starts[k], ends[k]
            if not 0 <= start <= end <= len(article.text):
                raise CacheError("a statement lies outside its article")
            text = article.text[start:end]
            # Ids are derived from the text: one that does not match was not made from it.
            if statement_id(article.id, text, taken.setdefault(of[k], set())) != ids[k]:
                raise CacheError("a statement id does not match its text")
            statements.append(
                Statement(ids[k], article.id, indexes[k], start, end, text, kind_of[k])
            )
        stories = [
            Story(_str(i), _str(t), tuple(articles[a].id for a in _ints(members, len(articles))))
            for i, t, members in payload["stories"]
        ]
        if {a for s in stories for a in s.articles} != {a.id for a in articles}:
            raise CacheError("the stories do not cover the corpus")
        claims = _claims_from(payload["claims"], ids, n)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise CacheError(str(exc)) from exc
    return Analysis(
        articles=list(articles),
        statements=statements,
        claims=claims,
        warnings=warnings,
        stories=stories,
    )


def _claims_from(rows: Any, ids: list[str], n: int) -> list[Claim]:
    """The claims of a corpus entry; CacheError if any part is malformed or out of range.

    Each column is checked once over every claim, not claim by claim: the per-claim checks
    (a dozen calls each) were half the time of reading 13,500 claims back.
    """
    if not isinstance(rows, list) or not all(type(r) is list and len(r) == 6 for r in rows):
        raise CacheError("a claim is not six fields")
    if not rows:
        return []
    columns = (list(c) for c in zip(*rows, strict=True))
    claim_ids, statuses, stories, members, spans, divergences = columns
    _strs(claim_ids)
    _strs(stories)
    status_of = [_STATUS_OF[st] for st in statuses]
    if not all(type(m) is list and m for m in members):
        raise CacheError("a claim without statements")
    _ints(list(chain.from_iterable(members)), n)
    if not all(type(sp) is list and not len(sp) % 3 for sp in spans):
        raise CacheError("malformed spans")
    every_span = _ints(list(chain.from_iterable(spans)))
    # Each claim's spans are whole triples, so every third number of them all is a statement.
    _ints(every_span[::3], n)
    if not all(type(d) is list for d in divergences):
        raise CacheError("malformed divergences")
    made = iter(_divergences_from(list(chain.from_iterable(divergences)), ids, n))
    name = ids.__getitem__
    return [
        Claim(
            claim_id,
            status,
            tuple(map(name, m)),
            tuple(islice(made, len(ds))) if ds else (),
            story,
            tuple(map(Span, map(name, sp[::3]), sp[1::3], sp[2::3])),
        )
        for claim_id, status, story, m, sp, ds in zip(
            claim_ids, status_of, stories, members, spans, divergences, strict=True
        )
    ]


_DIVERGENCE_KIND = {k.value: k for k in DivergenceKind}


def _divergences_from(rows: list[Any], ids: list[str], n: int) -> list[Divergence]:
    """Every claim's divergences in a row, checked a column at a time as the claims are."""
    if not all(type(d) is list and len(d) == 5 for d in rows):
        raise CacheError("a divergence is not five fields")
    if not rows:
        return []
    kinds, firsts, seconds, details, values = (list(c) for c in zip(*rows, strict=True))
    kind_of = [_DIVERGENCE_KIND[k] for k in kinds]
    _ints(firsts, n)
    _ints(seconds, n)
    _strs(details)
    if not all(type(v) is list and not len(v) % 4 for v in values):
        raise CacheError("malformed values")
    every_value = list(chain.from_iterable(values))
    # Whole quadruples each, so the columns of them all line up: statement, text, start, end.
    _ints(every_value[::4], n)
    _strs(every_value[1::4])
    if not set(map(type, every_value[2::4] + every_value[3::4])) <= _INT_OR_NONE:
        raise CacheError("malformed values")
    name = ids.__getitem__
    return [
        Divergence(
            kind,
            (ids[a], ids[b]),
            detail,
            tuple(map(Value, map(name, v[::4]), v[1::4], v[2::4], v[3::4])) if v else (),
        )
        for kind, a, b, detail, v in zip(kind_of, firsts, seconds, details, values, strict=True)
    ]


def _corpus_key(corpus: Corpus, config: AnalysisConfig | None) -> str:
    return key("corpus", corpus.articles, settings_text(config or AnalysisConfig()), __version__)


def cached_size(
    corpus: Corpus, cache: AnalysisCache | None, config: AnalysisConfig | None = None
) -> int | None:
    """The size of the corpus's cache entry, if it has one (whether it can be trusted is
    for ``from_cache`` to tell)."""
    return cache.size(_corpus_key(corpus, config)) if cache is not None else None


def from_cache(
    corpus: Corpus, cache: AnalysisCache | None, config: AnalysisConfig | None = None
) -> Analysis | None:
    """The corpus's whole analysis from the cache, or None when there is no entry to trust.

    Here, beside the entries, and not in the pipeline: re-opening an unchanged corpus needs
    neither numpy nor scipy, whose imports took a third of the app's re-open."""
    if cache is None:
        return None
    payload = cache.read(_corpus_key(corpus, config))
    if payload is None:
        return None
    try:
        return analysis_from(payload, corpus.articles, list(corpus.warnings))
    except CacheError:
        return None
