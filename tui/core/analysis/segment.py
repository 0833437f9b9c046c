"""Splitting an article into statements with exact offsets, and telling claims from furniture.

The sentence splitter is syntok (pure Python, so it installs on every platform): on the
news edge cases in ``tests/test_segment.py`` it splits abbreviations, decimals, money,
quotes and citation markers right, and it reports token offsets, so spans are exact.
Segmentation runs per paragraph: one unbalanced quote must not swallow the rest of a text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator

from syntok import segmenter

from tui.core.model import Article, Kind, Statement

_PARAGRAPH = re.compile(r"[^\r\n]+")
# Markdown and plain-text line markers: never part of what is said, so spans start after.
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•▪◦‣]|\d{1,3}[.)])\s+(?=\S)")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?=\S)")
_QUOTE_MARKER = re.compile(r"^\s*(?:>\s*)+(?=\S)")
_MARKER_START = frozenset("#-*+•▪◦‣>")
_LIST_ITEM_MIN_WORDS = 6
_CITATIONS_AT_END = re.compile(r"(?:\s*\[\d{1,3}\])+\s*$")
_CITATION = re.compile(r"\[\d{1,3}\]")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_ONLY_DATE = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+\d{1,2})?,?\s+\d{4}$|^\d{4}-\d{2}-\d{2}$",
    re.IGNORECASE,
)
# Site furniture seen in scraped news copy: sign-in walls, bylines, share bars, credits.
_BOILERPLATE = re.compile(
    r"^(?:are you a (?:client|subscriber|member)\??|sign (?:in|up)\b.*|log ?in\b.*"
    r"|subscribe\b.*|posted (?:by|on|at)\b.*|published (?:by|on|at)\b.*"
    r"|by (?-i:[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})$"
    r"|share (?:this|on)\b.*|sources?:?|references?:?|related(?: articles?| stories)?:?.*"
    r"|read more\b.*|click here\b.*|advertisement|created by\b.*|written by\b.*"
    r"|follow us\b.*|all rights reserved.*|(?:©|\(c\)|copyright)\b.*|image:.*|photo:.*"
    r"|(?:this|the) (?:article|story) (?:was|is) (?:updated|amended)\b.*"
    r"|tags?:.*|filed under\b.*|newsletter\b.*)$",
    re.IGNORECASE,
)
_HEADING_MAX_WORDS = 20


def strip_citations(text: str) -> str:
    """Remove citation markers such as ``[1][2]``: they are not part of what is said."""
    return _CITATION.sub("", text) if "[" in text else text


# A paragraph whose every full stop ends a sentence is split by a pattern, ~20x faster than
# syntok (which reads a day of news in seconds otherwise); anything that could be an
# abbreviation, an initial, an ellipsis or a stop followed by lower case goes to syntok.
_AMBIGUOUS = re.compile(
    r"(?:^|[\s(\[\"“'‘])(?:[A-Z][a-z]{0,3}|[A-Za-z]|etc|vs|approx|e\.g|i\.e|al|est|fig)\.(?!\d)"
    r"|\.\.|…|\.[\"”'’)\]]*\s+[a-z(\[]|\.\w"
)
_BOUNDARY = re.compile(r"[.!?]+[\"”'’)\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9£$€])")


def _fast_sentences(paragraph: str) -> Iterator[tuple[int, int]] | None:
    if _AMBIGUOUS.search(paragraph):
        return None
    spans = []
    pos = 0
    for m in _BOUNDARY.finditer(paragraph):
        end = m.end() - len(m.group()) + len(m.group().rstrip())
        spans.append((pos, end))
        pos = m.end()
    spans.append((pos, len(paragraph.rstrip())))
    return iter([(a, b) for a, b in spans if paragraph[a:b].strip()])


# Past these sizes a text is no news article (a dump, a log, a book): syntok would take
# minutes on 10 MB of it (~0.3 MB/s on text with many stops before lower case), so its
# sentences are split by the boundary pattern, skipping known abbreviations and initials.
# News articles stay far below both, and are split exactly as before.
BULK_TEXT = 1_000_000  # characters of one article
BULK_PARAGRAPH = 100_000  # characters of one paragraph
_ABBREVIATION = re.compile(
    r"(?:^|[\s(\[\"“'‘])(?:mr|mrs|ms|dr|prof|st|jr|sr|gen|sen|rep|gov|lt|col|capt|sgt"
    r"|inc|ltd|co|corp|mt|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|vs|etc|approx"
    r"|e\.g|i\.e|al|fig|est|[a-z]|(?:[a-z]\.)+[a-z])\.$",
    re.IGNORECASE,
)


def _bulk_sentences(paragraph: str) -> Iterator[tuple[int, int]]:
    """Sentences by the boundary pattern alone (linear time; see BULK_TEXT)."""
    pos = 0
    for m in _BOUNDARY.finditer(paragraph):
        stop = m.start() + len(m.group().rstrip())
        if m.group()[0] == "." and _ABBREVIATION.search(
            paragraph, max(0, m.start() - 12), m.start() + 1
        ):
            continue
        if paragraph[pos:stop].strip():
            yield pos, stop
        pos = m.end()
    if paragraph[pos:].strip():
        yield pos, len(paragraph.rstrip())


def _sentences(paragraph: str, bulk: bool = False) -> Iterator[tuple[int, int]]:
    # Markers are blanked to equal-length spaces so "growth.[7] Furthermore" splits like
    # "growth. Furthermore" while every offset still points into the original paragraph.
    blanked = _CITATION.sub(lambda m: " " * len(m.group()), paragraph)
    if bulk or len(paragraph) > BULK_PARAGRAPH:
        yield from _bulk_sentences(blanked)
        return
    fast = _fast_sentences(blanked)
    if fast is not None:
        yield from fast
        return
    for sentence in (s for para in segmenter.analyze(blanked) for s in para):
        tokens = list(sentence)
        if not tokens:
            continue
        start = tokens[0].offset
        end = tokens[-1].offset + len(tokens[-1].value)
        yield start, end


# No news sentence comes near this many characters (the longest of the seeds and the 8,600
# ECB+ sentences has 447): a longer run (a text without full stops, a dump) is split into
# pieces of at most LONG_PIECE characters, so that it is compared, checked and drawn as
# statements of a sentence's size rather than as one statement of megabytes.
LONG_STATEMENT = 1200
LONG_PIECE = 600
# Where a piece may end, best first: after a clause mark, else after any space.
_PIECE_BREAKS = (re.compile(r"[;:,)\]—–]\s"), re.compile(r"\s"))


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in spans of at most LONG_PIECE characters (the whole span when
    it is at most LONG_STATEMENT), each ending at a clause mark or a space where one falls in
    the piece's second half; only white space between them is left out."""
    if end - start <= LONG_STATEMENT:
        yield start, end
        return
    pos = start
    while end - pos > LONG_PIECE:
        limit = pos + LONG_PIECE
        cut = limit
        for pattern in _PIECE_BREAKS:
            found = [m.end() for m in pattern.finditer(text, pos + LONG_PIECE // 2, limit)]
            if found:
                cut = found[-1]
                break
        piece_end = cut
        while piece_end > pos and text[piece_end - 1].isspace():
            piece_end -= 1
        yield pos, piece_end
        pos = cut
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        yield pos, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing citation markers and surrounding white space from a span."""
    span = text[start:end]
    match = _CITATIONS_AT_END.search(span) if "[" in span else None
    if match:
        end = start + match.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def is_boilerplate(line: str) -> bool:
    """Whether a line is site furniture (sign-in prompt, byline, share bar, bare date...)."""
    plain = strip_citations(line).strip()
    return bool(_BOILERPLATE.match(plain) or _ONLY_DATE.match(plain))


def _kind(
    sentence: str,
    paragraph: str,
    title: str,
    is_first_line: bool,
    marker: str = "",
    paragraph_plain: str | None = None,
) -> Kind:
    plain = strip_citations(sentence).strip()
    if _ONLY_DATE.match(plain):
        return Kind.CLAIM  # a dateline states the article's date: compared as a date
    # is_boilerplate(plain), without its second date test when no marker is left to strip.
    if _BOILERPLATE.match(plain) if "[" not in plain else is_boilerplate(plain):
        return Kind.BOILERPLATE
    if not any(ch.isalpha() for ch in plain):
        return Kind.BOILERPLATE
    if marker == "heading":
        return Kind.HEADING
    if marker == "list" and len(plain.split()) >= _LIST_ITEM_MIN_WORDS:
        return Kind.CLAIM  # bullet points state facts without a full stop
    if paragraph_plain is None:
        paragraph_plain = strip_citations(paragraph).strip()
    whole_paragraph = plain == paragraph_plain
    short = is_first_line or len(plain.split()) <= _HEADING_MAX_WORDS
    if whole_paragraph and not _TERMINAL.search(plain) and short:
        return Kind.HEADING
    if whole_paragraph and plain == title and not is_first_line:
        return Kind.HEADING  # the headline repeated in the body
    return Kind.CLAIM


def statement_id(
    article_id: str, text: str, taken: set[str], counts: dict[str, int] | None = None
) -> str:
    """A content-derived id: editing one sentence leaves the others' ids unchanged.

    ``counts`` (kept by the caller across one article, with ``taken``) remembers the next
    suffix of each repeated text: a sentence repeated thousands of times in one file would
    otherwise probe ``.2``, ``.3``, ... from the start every time.
    """
    digest = hashlib.sha1(strip_citations(text).strip().lower().encode("utf-8")).hexdigest()
    base = f"{article_id}#{digest[:8]}"
    if base not in taken:
        taken.add(base)
        return base
    n = counts.get(base, 2) if counts is not None else 2
    while f"{base}.{n}" in taken:
        n += 1
    if counts is not None:
        counts[base] = n + 1
    candidate = f"{base}.{n}"
    taken.add(candidate)
    return candidate


PROGRESS_STEP = 250_000  # characters between two calls of segment_article's ``progress``


def segment_article(
    article: Article, progress: Callable[[float], None] | None = None
) -> list[Statement]:
    """Split an article into statements, each with its kind and exact character span.

    ``progress`` is told the fraction of the text done, every PROGRESS_STEP characters.
    """
    text = article.text
    told = PROGRESS_STEP
    statements: list[Statement] = []
    taken: set[str] = set()
    counts: dict[str, int] = {}
    bulk = len(text) > BULK_TEXT
    first = True
    for para_match in _PARAGRAPH.finditer(text):
        paragraph = para_match.group()
        if not paragraph.strip():
            continue
        base = para_match.start()
        if progress is not None and base >= told:
            progress(base / len(text))
            told = base + PROGRESS_STEP
        marker = ""
        lead = paragraph.lstrip()[:1]
        for name, pattern in (
            ("heading", _MD_HEADING),
            ("list", _LIST_MARKER),
            ("", _QUOTE_MARKER),
        ):
            if not (lead in _MARKER_START or lead.isdigit()):
                break  # no line marker starts otherwise (a cheap test on 100,000s of lines)
            found = pattern.match(paragraph)
            if found:
                marker = name
                paragraph = paragraph[found.end() :]
                base += found.end()
                break
        plain = strip_citations(paragraph).strip()
        for start, end in (
            piece
            for rel_start, rel_end in _sentences(paragraph, bulk)
            for piece in _pieces(text, *_trim(text, base + rel_start, base + rel_end))
        ):
            if end <= start:
                continue
            sentence = text[start:end]
            if not strip_citations(sentence).strip():
                continue  # a run of citation markers is never a statement
            kind = _kind(sentence, paragraph, article.title, first, marker, plain)
            statements.append(
                Statement(
                    id=statement_id(article.id, sentence, taken, counts),
                    article=article.id,
                    index=len(statements),
                    start=start,
                    end=end,
                    text=sentence,
                    kind=kind,
                )
            )
            # Furniture above the story ("Are you a client?") does not make it start later.
            first = first and kind is Kind.BOILERPLATE
    return statements
