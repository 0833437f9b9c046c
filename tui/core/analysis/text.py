"""Word-level normalisation shared by similarity and divergence checks.

Statements about one story share its vocabulary, so what tells two statements apart is the
content words they share after inflection, spelling and common synonyms are folded away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from tui.core.analysis.segment import strip_citations

_WORD = re.compile(r"[£$€¥]?\d[\d,]*(?:\.\d+)?(?:%|[^\W\d_]+)?|[^\W\d_][\w'’\-]*", re.UNICODE)

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves may might must shall upon within without via per among amongst across along
    already still yet ever even much many several including include includes included such
    like one ones s t thus however furthermore moreover also said says say according new""".split()
)

# Phrases folded before tokenising: the same referent written several ways.
# Each with a lower-case word it cannot match without: most texts hold none of them, and
# a plain substring test is far cheaper than a case-blind pattern tried at every word.
_PHRASES = [
    ("artificial", re.compile(r"\bartificial intelligence\b", re.I), "AI"),
    ("chief", re.compile(r"\bchief executive(?: officer)?\b", re.I), "CEO"),
    ("memorandum", re.compile(r"\bmemorandum of understanding\b", re.I), "MoU"),
    ("united", re.compile(r"\b(?:the )?united kingdom\b", re.I), "UK"),
    ("united", re.compile(r"\b(?:the )?united states\b", re.I), "US"),
    ("cent", re.compile(r"\bper ?cent\b", re.I), "%"),
    ("cent", re.compile(r"\bdata cent(?:er|re)s?\b", re.I), "datacentre"),
]

# Words that name the same thing in news copy, folded to one stem. General vocabulary only:
# nothing here is specific to one story.
_SYNONYMS = {
    "employe": "staff",
    "worker": "staff",
    "workforc": "staff",
    "personnel": "staff",
    "headcount": "staff",
    "employ": "staff",
    "firm": "compani",
    "deal": "agreement",
    "accord": "agreement",
    "pact": "agreement",
    "increas": "expand",
    "enlarg": "expand",
    "grow": "expand",
    "grown": "expand",
    "rise": "expand",
    "britain": "uk",
    "british": "uk",
    "britis": "uk",
    "america": "us",
    "american": "us",
    "u.s": "us",
    "u.k": "uk",
    "chief": "ceo",
    "boss": "ceo",
    "centr": "center",
    "defenc": "defens",
    "programm": "program",
    "labour": "labor",
    "purchas": "buy",
    "acquir": "buy",
    "acquisit": "buy",
    "inked": "sign",
    "ink": "sign",
    "struck": "sign",
    "strike": "sign",
    "establish": "found",
    "open": "found",
    "launch": "found",
    "intend": "plan",
    "intent": "plan",
    "intention": "plan",
    "financ": "fund",
    "collabor": "partner",
    "allianc": "partner",
    "cooper": "partner",
    "partnership": "partner",
    "formal": "sign",
    "formaliz": "sign",
    "big": "larg",
    "huge": "larg",
}

# How many texts each per-text reading keeps: every statement and clause of a large story.
TEXT_CACHE = 1 << 18

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Lower-case, fold British spelling and stem one word, then fold synonyms."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    w = re.sub(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations|er|ers)$", r"iz\1", w)
    base = _stemmer.stemWord(w) if w.isalpha() else w
    return _SYNONYMS.get(base, base)


# Wire copy writes its dateline in capitals ("LOS ANGELES, MARCH 14 (Reuters)"): read as
# written, "MARCH 14" would be a count of marches, "WEDNESDAY" a name, "MAY" the modal.
_CAPS_CALENDAR = re.compile(
    r"\b(?:(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE"
    r"|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEPT?|OCT"
    r"|NOV|DEC)\b"
)
_CAPS_RUN = re.compile(r"[A-Z]{3}")


@lru_cache(maxsize=TEXT_CACHE)
def calendar_case(text: str) -> str:
    """``text`` with day and month names written in capitals put in title case ("MARCH 14"
    -> "March 14"); the same length, so every offset still points into ``text``."""
    if not _CAPS_RUN.search(text):
        return text
    return _CAPS_CALENDAR.sub(lambda m: m.group().title(), text)


def fold_phrases(text: str) -> str:
    """Replace multi-word names of one referent by a single token, and drop citations."""
    text = strip_citations(text)
    lower = text.lower()
    for word, pattern, replacement in _PHRASES:
        if word in lower:
            text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a statement with its span in that statement's text."""

    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Every word and number of ``text`` with offsets (used by the word diff)."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def words(text: str) -> list[str]:
    """The words and numbers of ``text`` as ``tokens`` finds them, without offsets."""
    return _WORD.findall(text)


def is_content(word: str) -> bool:
    """Whether a word carries meaning (not a stop word, not punctuation)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w not in STOP_WORDS and any(ch.isalnum() for ch in w)


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order (numbers kept as written)."""
    return folded_stems(fold_phrases(text))


@lru_cache(maxsize=200_000)
def _content_stem(word: str) -> str:
    """The stem a word contributes to ``folded_stems``, or "" when it is not content.

    Per word, cached: a story's vocabulary is small next to its running text."""
    if not is_content(word):
        return ""
    if word[0].isdigit() or word[0] in "£$€¥":
        return word
    # "non-binding" states the fact "binding" does, negated: whether two statements state one
    # fact never looks at polarity, which the divergence check compares ("not" is a stop word).
    if word[:4].lower() == "non-" and word[4:].isalpha():
        return stem(word[4:])
    return stem(word)


def folded_stems(folded: str) -> list[str]:
    """``content_stems`` of a text whose phrases ``fold_phrases`` has folded already."""
    return [s for s in map(_content_stem, _WORD.findall(folded)) if s]
