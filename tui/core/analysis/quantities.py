"""Numbers, money, percentages and dates in news copy, each with the slot it fills.

A plain pattern extractor, on purpose: general extractors misread news text (quantulum3
reads "£2bn" as bits, price-parser reads "£2 billion" as 2, dateparser reads the modal
"may" as May). Every value is normalised so that £2 billion, £2bn and £2,000 million are
equal, and carries a slot (currency, unit noun, or date part) so only like is compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tui.core.analysis.text import STOP_WORDS, TEXT_CACHE, calendar_case, stem

_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "tn": 1e12,
    "trillion": 1e12,
}
_CURRENCY_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR", "¥": "JPY"}
_CURRENCY_WORDS = {
    "pound": "GBP",
    "pounds": "GBP",
    "gbp": "GBP",
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
}
# Any currency mark, symbol or word, in the tables above (the aligner leaves them out when a
# source may have given an amount in another currency).
CURRENCY = re.compile(
    "["
    + re.escape("".join(_CURRENCY_SYMBOLS))
    + r"]|\b(?:"
    + "|".join(sorted(_CURRENCY_WORDS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
_MONTH_ABBR = {m[:3]: i for m, i in _MONTHS.items()} | {"sept": 9}

# Not part of a name: "GPT-4o", "COVID-19", "A320" and "Isambard-AI" hold no quantity.
_NUMBER = re.compile(
    r"(?<![\w\-./])(?P<cur>[£$€¥])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>\s?(?:k|m|mn|mln|bn|b|tn)\b|[\s\-](?:thousand|million|millions|billion|billions|trillion)\b)?"
    r"(?P<pct>\s?%|\s?per ?cent\b|\s?percent\b|\s?percentage points?\b)?"
    r"(?P<fold>-?fold\b)?(?!\w|\.\d)",
    re.IGNORECASE,
)
_FOLLOWING_WORD = re.compile(r"\s*(?:[-–]\s*)?([A-Za-z][A-Za-z'’\-]*)")
_MONTH_RE = re.compile(
    r"(?:\b(?P<day_first>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?\b(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)(?:\.|\b)(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?",
)
# Capitalised "May" is a month only beside a day or year: "May 5", "in May 2024", "May,".
_MAY_IS_MONTH = re.compile(r"May\s+\d|May,?\s+\d{4}|(?:in|early|late|mid|since|until|by)\s+May\b")
_DIGIT = re.compile(r"\d")
# Every month name starts so: a cheap test before the full pattern, as for _DIGIT.
_MONTH_HINT = re.compile(r"Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec")
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One value in a statement: ``kind`` is money/percent/number/date, ``slot`` what it counts."""

    kind: str
    slot: str
    value: float
    text: str
    start: int
    end: int


def _unit_after(text: str, end: int) -> str:
    """The noun a number counts ("100 staff" → staff), skipping adjectives like "new"."""
    pos = end
    for _ in range(3):
        m = _FOLLOWING_WORD.match(text, pos)
        if not m:
            return ""
        word = m.group(1).lower()
        if word in {"of", "more", "new", "additional", "extra", "other", "full-time", "high-paid"}:
            pos = m.end()
            continue
        if word in STOP_WORDS or word in _MONTHS:
            return ""
        return stem(word)
    return ""


@lru_cache(maxsize=TEXT_CACHE)
def extract(text: str) -> tuple[Quantity, ...]:
    """All quantities and dates in ``text``, left to right (cached: texts recur in pairs)."""
    text = calendar_case(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _MONTH_RE.finditer(text) if _MONTH_HINT.search(text) else ():
        name = m.group("month")
        if name == "May" and not _MAY_IS_MONTH.search(text, max(0, m.start() - 6), m.end() + 6):
            continue
        month = _MONTHS.get(name.lower()) or _MONTH_ABBR[name.lower()[:4].rstrip(".")[:3]]
        found.append(Quantity("date", "month", float(month), m.group(), m.start(), m.end()))
        if m.group("day") or m.group("day_first"):
            day = int(m.group("day") or m.group("day_first"))
            found.append(Quantity("date", "day", float(day), m.group(), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    # Every number has a digit: most statements have none, and this test is far cheaper
    # than trying the pattern at each character (the months' likewise).
    for m in _NUMBER.finditer(text) if _DIGIT.search(text) else ():
        if any(s <= m.start("num") < e for s, e in taken):
            continue
        raw = m.group("num").replace(",", "")
        value = float(raw)
        cur = m.group("cur")
        scale_word = (m.group("scale") or "").strip(" -").lower()
        pct = m.group("pct")
        if m.group("fold"):
            found.append(Quantity("number", "fold", value, m.group().strip(), m.start(), m.end()))
            continue
        if pct:
            found.append(Quantity("percent", "%", value, m.group().strip(), m.start(), m.end()))
            continue
        if scale_word:
            value *= _SCALES[scale_word]
        unit = _unit_after(text, m.end())
        currency = _CURRENCY_SYMBOLS.get(cur or "")
        if not currency and unit in {stem(w) for w in _CURRENCY_WORDS}:
            word = _FOLLOWING_WORD.match(text, m.end())
            currency = _CURRENCY_WORDS.get(word.group(1).lower(), "") if word else ""
        if currency:
            start = m.start("cur") if cur else m.start("num")
            found.append(Quantity("money", currency, value, m.group().strip(), start, m.end()))
            continue
        is_year = (
            not scale_word
            and _YEAR.fullmatch(m.group("num")) is not None
            and unit not in {"staff", "peopl", "bid", "user", "job", "compani"}
        )
        if is_year:
            found.append(Quantity("date", "year", value, m.group().strip(), m.start(), m.end()))
            continue
        found.append(
            Quantity("number", unit or "#", value, m.group().strip(), m.start("num"), m.end())
        )
    found.sort(key=lambda q: q.start)
    return tuple(found)


def slot_token(q: Quantity) -> str:
    """A token naming what the value is without the value: ``<money:GBP>``, ``<date:year>``."""
    return f"<{q.kind}:{q.slot}>"


def canonical(q: Quantity) -> str:
    """A token naming the value and its slot, equal for £2bn and £2 billion."""
    value = f"{q.value:.6g}"
    return f"<{q.kind}:{q.slot}:{value}>"


def describe(q: Quantity) -> str:
    """The quantity as a reader would write it, for divergence details."""
    return re.sub(r"\s+", " ", q.text)
