"""Whether two aligned statements agree on their details, and a word diff to show it.

Kept apart from alignment on purpose: every similarity score rates "will expand" and "will
not expand" as near-identical. Each check compares like with like only (numbers in the same
slot, names in the same role or position, the polarity of a word both sides use), and a
detail present on one side only is an omission, not a disagreement.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from types import MappingProxyType

import snowballstemmer
from rapidfuzz.distance import Levenshtein

from tui.core.analysis import quantities
from tui.core.analysis.segment import strip_citations
from tui.core.analysis.text import (
    STOP_WORDS,
    TEXT_CACHE,
    calendar_case,
    fold_phrases,
    stem,
    tokens,
)
from tui.core.analysis.text import words as text_words
from tui.core.model import Divergence, DivergenceKind, Value

# A statement is compared with its strongest partners in each of its claims: read each text
# once. Results are immutable (tuples, mapping proxies), so a cached value cannot be changed
# by a caller.

# ---------------------------------------------------------------------------- word diff


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of a word diff: ``tag`` is equal, replace, insert or delete.

    Offsets index the two statement texts that were compared.
    """

    tag: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def _norm_word(word: str) -> str:
    return word.lower().replace("’", "'")


def word_diff(a: str, b: str) -> list[DiffOp]:
    """Word-level opcodes from ``a`` to ``b`` (rapidfuzz Levenshtein, which emits replace)."""
    ta, tb = tokens(a), tokens(b)
    ops: list[DiffOp] = []
    for op in Levenshtein.opcodes(
        [_norm_word(t.text) for t in ta], [_norm_word(t.text) for t in tb]
    ):
        a_start = ta[op.src_start].start if op.src_start < len(ta) else len(a)
        a_end = ta[op.src_end - 1].end if op.src_end > op.src_start else a_start
        b_start = tb[op.dest_start].start if op.dest_start < len(tb) else len(b)
        b_end = tb[op.dest_end - 1].end if op.dest_end > op.dest_start else b_start
        ops.append(DiffOp(op.tag, a_start, a_end, b_start, b_end))
    return ops


# ---------------------------------------------------------------------------- quantities

_KIND = {
    "money": DivergenceKind.MONEY,
    "percent": DivergenceKind.PERCENT,
    "number": DivergenceKind.NUMBER,
    "date": DivergenceKind.DATE,
}


def _label(q: quantities.Quantity, text: str) -> str:
    if q.kind == "money" and q.text[:1] not in "£$€¥":
        word = re.match(r"\s+[A-Za-z]+", text[q.end :])  # "2 billion dollars"
        return q.text + (word.group() if word else "")
    if q.kind == "number" and q.slot not in {"#", "fold"}:
        rest = re.match(r"[\s\-–]*[A-Za-z][\w'’\-]*", text[q.end :])
        if rest:
            return (q.text + rest.group()).strip()
    return quantities.describe(q)


# A time of day ("11:30 p.m.", "8:30pm"); a game clock ("with 7:41 left") has no a.m./p.m.
_TIME = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s?(?P<ap>[ap])\.?m\b\.?", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
# A time given in a named zone is not compared with one given without ("1:30 p.m. PST").
_ZONE = re.compile(r"\s*\(?\b(?:[A-Z]{1,2}[SD]?T|GMT|UTC|local)\b")
_WEEKDAYS = {
    d: i for i, d in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
}
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_APPROXIMATE = re.compile(
    r"\b(?:about|around|approximately|roughly|some|nearly|almost|shortly (?:after|before)"
    r"|just (?:after|before|past)|soon after|circa)\s*$",
    re.IGNORECASE,
)
_CONTEXT_WORD = re.compile(r"([A-Za-z][\w'’.\-]*)[\s,(]*$")


def _number_context(text: str, start: int) -> tuple[str, int]:
    """The content word right before a bare number and where it starts: "Williams, 32",
    "route 94" (a number without a unit is compared only with one after the same word)."""
    m = _CONTEXT_WORD.search(text[max(0, start - 40) : start])
    if not m or m.group(1).lower() in STOP_WORDS:
        return "", start
    return stem(m.group(1).rstrip(".")), max(0, start - 40) + m.start(1)


_UNITS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_UNIT_WORDS = {
    w: i + 2 for i, w in enumerate((_UNITS + " sixteen seventeen eighteen nineteen").split())
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
_BIG = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}
# A number written in words: "four times", "two hundred bids", "forty-five staff" ("one"
# only before a multiplier: "one of the" counts nothing).
_NUMBER_WORDS = re.compile(
    r"\b(?:(?P<tens>"
    + "|".join(_TENS)
    + r")(?:[\s\-](?P<unit2>"
    + "|".join(_UNIT_WORDS)
    + r"|one))?"
    r"|(?P<unit>"
    + "|".join(_UNIT_WORDS)
    + r")|(?P<one>one|a)(?=\s+(?:hundred|thousand|million|billion)))"
    r"(?:\s+(?P<big>hundred|thousand|million|billion))?\b",
    re.IGNORECASE,
)


# Every number word starts so: most texts have none, and this cheap test says so.
_NUMBER_WORD_HINT = re.compile(
    r"(?i)\b(?:t(?:wo|hree|en|welve|hirt|went)|f(?:our|ive|ift|ort)|s(?:ix|even)|e(?:ight"
    r"|leven)|nin|one\s|a\s+(?:hundred|thousand|million|billion))"
)


def _word_numbers(text: str) -> list[tuple[float, str, str, int]]:
    """Numbers written as words with the noun they count: (value, unit stem, text, start)."""
    out: list[tuple[float, str, str, int]] = []
    if not _NUMBER_WORD_HINT.search(text):
        return out
    for m in _NUMBER_WORDS.finditer(text):
        g = {k: (v or "").lower() for k, v in m.groupdict().items()}
        value = float(_TENS.get(g["tens"], 0) + _UNIT_WORDS.get(g["unit2"], 0))
        value += _UNIT_WORDS.get(g["unit"], 0) + (1 if g["one"] or g["unit2"] == "one" else 0)
        if g["big"]:
            value *= _BIG[g["big"]]
        unit = quantities._unit_after(text, m.end())
        # "two more", "three other": counted from another count; "three-point play": a kind.
        relative = re.match(
            r"\s+(?:more|other|others|additional|extra|further)\b|-[A-Za-z]", text[m.end() :]
        )
        if value and unit and not relative and not (g["one"] and not g["big"]):
            out.append((value, unit, m.group(), m.start()))
    return out


@lru_cache(maxsize=TEXT_CACHE)
def _slots(text: str) -> Mapping[tuple[str, str], Mapping[float, str]]:
    """Each value slot of a text with its values, as written (read once per text).

    Besides the quantities: times of day (minutes since midnight) and days of the week. A
    number without a unit is slotted by the word before it, and never compared when there
    is none: scores, records and clock readings ("15-2 run", "(25-7)", "14:05") fill no
    common slot.
    """
    slots: dict[tuple[str, str], dict[float, str]] = defaultdict(dict)
    digits = _DIGIT.search(text) is not None
    times = list(_TIME.finditer(text)) if digits else []
    clocks = [(m.start(), m.end()) for m in _CLOCK.finditer(text)] if digits else []
    clocks += [(m.start(), m.end()) for m in times]
    for q in quantities.extract(text):
        if any(s <= q.start < e for s, e in clocks):
            continue
        if q.kind == "number" and q.slot == "#":
            if text[q.end : q.end + 1] in {"-", "–"} or text[max(0, q.start - 1) : q.start] in {
                "-",
                "–",
            }:
                continue  # a score or a record: "20-13", "(11-5)"
            word, at = _number_context(text, q.start)
            if word:
                slots[("number", f"#{word}")].setdefault(round(q.value, 6), text[at : q.end])
            continue
        slots[(q.kind, q.slot)].setdefault(round(q.value, 6), _label(q, text))
    currency = {stem(w) for w in ("pounds", "dollars", "euros")}
    for value, unit, written, start in _word_numbers(text):
        if unit not in currency and unit not in _BIG:
            label = (
                written + (re.match(r"\s+\S+", text[start + len(written) :]) or [""])[0]
            ).strip()
            slots[("number", unit)].setdefault(value, label.rstrip(".,;:"))
    for m in times:
        if _ZONE.match(text, m.end()) or not 1 <= int(m.group("h")) <= 12:
            continue
        hour = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
        minutes = hour * 60 + int(m.group("m") or 0)
        # "about 8 p.m." / "around 8:30 p.m." is one time written loosely: a rounded time
        # is kept apart and compared only with an hour away or more (see _near_times).
        loose = bool(_APPROXIMATE.search(text[max(0, m.start() - 20) : m.start()]))
        slots[("date", "clock~" if loose else "clock")].setdefault(
            float(minutes), m.group().strip()
        )
    for m in _WEEKDAY.finditer(text) if "day" in text else ():
        if text[m.end() : m.end() + 2] in {"'s", "’s"}:
            continue  # "Sunday's game" names an event, not when this one happened
        slots[("date", "weekday")].setdefault(float(_WEEKDAYS[m.group()]), m.group())
    return MappingProxyType({k: MappingProxyType(v) for k, v in slots.items()})


_Slots = Mapping[tuple[str, str], Mapping[float, str]]


@lru_cache(maxsize=TEXT_CACHE)
def _currency(text: str) -> tuple[str, Mapping[float, str]] | None:
    """The one currency a text writes amounts in, with its amounts (None: none, or two)."""
    money = [(slot, values) for (kind, slot), values in _slots(text).items() if kind == "money"]
    return money[0] if len(money) == 1 else None


def _currency_divergences(a: str, b: str) -> list[tuple[DivergenceKind, str]]:
    """The same amount in another currency: "£2 billion" / "$2 billion".

    Only when each side writes a single currency the other never uses and the amounts are
    equal: a converted amount ("£2bn" / "$2.7bn") is the same fact in another currency.
    """
    cur_a, cur_b = _currency(a), _currency(b)
    if cur_a is None or cur_b is None or cur_a[0] == cur_b[0]:
        return []
    same = sorted(cur_a[1].keys() & cur_b[1].keys())
    if not same:
        return []
    return [(DivergenceKind.MONEY, f"{cur_a[1][same[0]]} vs {cur_b[1][same[0]]}")]


_Time = tuple[float, str, bool]  # minutes since midnight, as written, rounded ("about 8 p.m.")


@lru_cache(maxsize=TEXT_CACHE)
def _times(text: str) -> tuple[_Time, ...]:
    slots = _slots(text)
    exact = [(v, t, False) for v, t in slots.get(("date", "clock"), {}).items()]
    return tuple(exact + [(v, t, True) for v, t in slots.get(("date", "clock~"), {}).items()])


def _time_divergences(a: str, b: str) -> list[tuple[DivergenceKind, str]]:
    """Times of day that differ: by any amount when both are exact ("10:30 p.m." / "11:30
    p.m."), by an hour or more when one is rounded ("about 8 p.m." / "around 8:30 p.m.")."""
    ta, tb = _times(a), _times(b)
    if not ta or not tb:
        return []

    def matched(v: float, loose: bool, other: tuple[_Time, ...]) -> bool:
        return any(abs(v - w) < (60 if loose or loose_w else 1) for w, _t, loose_w in other)

    only_a = [t for v, t, loose in ta if not matched(v, loose, tb)]
    only_b = [t for v, t, loose in tb if not matched(v, loose, ta)]
    if only_a and only_b:
        return [(DivergenceKind.DATE, f"{', '.join(only_a)} vs {', '.join(only_b)}")]
    return []


def _quantity_divergences(a: str, b: str) -> list[tuple[DivergenceKind, str]]:
    slots_a, slots_b = _slots(a), _slots(b)
    found: list[tuple[DivergenceKind, str]] = []
    found += _time_divergences(a, b)
    for key in sorted(slots_a.keys() & slots_b.keys()):
        if key[0] == "date" and key[1].startswith("clock"):
            continue
        va, vb = slots_a[key], slots_b[key]
        only_a = [va[v] for v in va if v not in vb]
        only_b = [vb[v] for v in vb if v not in va]
        # One side listing more values than the other is an omission; both sides holding a
        # value the other lacks is a disagreement.
        if only_a and only_b:
            found.append((_KIND[key[0]], f"{', '.join(only_a)} vs {', '.join(only_b)}"))
    found += _currency_divergences(a, b)
    found += _ordinal_divergences(a, b)
    return found


# ---------------------------------------------------------------------------- ordinals

_ORDINAL_WORDS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
    )
}
_ORDINAL_STEMS = frozenset(stem(w) for w in _ORDINAL_WORDS)
_ORDINAL = re.compile(
    r"\b(?P<ord>" + "|".join(_ORDINAL_WORDS) + r"|\d{1,3}(?:st|nd|rd|th))"
    r"(?P<next>(?:[\s\-]+[A-Za-z][\w'’]*){1,3})",
    re.IGNORECASE,
)


@lru_cache(maxsize=TEXT_CACHE)
def _ordinals(text: str) -> tuple[tuple[int, str, frozenset[str]], ...]:
    """Each ordinal with its value, its label as written ("first international") and the
    stems of the words it qualifies (its slot: "third international office")"""
    out = []
    for m in _ORDINAL.finditer(text):
        word = m.group("ord").lower()
        value = _ORDINAL_WORDS.get(word) or int(word[:-2])
        following = m.group("next").replace("-", " ").split()
        # What it counts: the next two words ("third international office" / "first
        # overseas office" share "office"; "fifth NBA coach" / "third Eastern" share none).
        slot = frozenset(stem(w) for w in following[:2] if w.lower() not in _SKIP)
        if slot:
            label = f"{m.group('ord')} {following[0]}"
            out.append((value, label, slot))
    return tuple(out)


def _ordinal_divergences(a: str, b: str) -> list[tuple[DivergenceKind, str]]:
    """Ordinals qualifying the same thing that differ: "first office" / "third office"."""
    oa, ob = _ordinals(a), _ordinals(b)
    if not oa or not ob:
        return []
    values_a, values_b = {v for v, _, _ in oa}, {v for v, _, _ in ob}
    found = []
    for va, la, sa in oa:
        for vb, lb, sb in ob:
            # Both sides must lack the other's value: "first and third" / "third" is not one.
            if va != vb and va not in values_b and vb not in values_a and sa & sb:
                found.append((DivergenceKind.NUMBER, f"{la} vs {lb}"))
                return found
    return found


# ---------------------------------------------------------------------------- entities

_NAME = r"[A-Z][\w'’&.\-]*(?:\s+(?:of|for|de)\s+[A-Z][\w'’&.\-]*|\s+[A-Z][\w'’&.\-]*)*"
_ENTITY = re.compile(_NAME)
_LIST = re.compile(rf"({_NAME})((?:,\s+{_NAME})*),?\s+(?:and|or|&)\s+({_NAME})")
_ROLE = re.compile(
    r"\b(Secretary|Minister|CEO|Chancellor|President|Prime Minister|spokes(?:wo)?man|spokesperson"
    r"|[Cc]hief [Ee]xecutive(?: [Oo]fficer)?|[Cc]hairman|[Cc]hairwoman|[Bb]oss"
    r"|director|chair(?:man|woman)?|founder|head|leader|governor|mayor|editor)\s+"
    r"(" + _NAME + ")",
)


def _role(title: str) -> str:
    """One key per role however it is written ("chief executive", "CEO", "boss")."""
    return stem(fold_phrases(title).split()[-1]) if title.lower() != "boss" else "ceo"


_NOT_NAMES = STOP_WORDS | {"the", "a", "an", "this", "that", "these", "those", "it", "its"}
# Capitalised, but no names: times and their zones ("2:30 PM ET"), the calendar's "Last
# week" and "Week 12", and titles written short ("Gov. Palin" names Palin).
_NOT_NAMES |= set(
    """am pm et est edt cst cdt mst mdt pst pdt gmt bst utc cet cest week weekend last next
    gov sen rep""".split()
)


_ROLE_WORDS = {
    "ceo",
    "secretary",
    "minister",
    "technology",
    "chief",
    "executive",
    "president",
    "uk",
    "us",
}


# The kind of body or place a name ends with; two names sharing only this differ.
_GENERIC_HEADS = frozenset(
    """institute institution university college school academy hospital clinic center centre
    department ministry council committee commission agency authority board office bureau
    party bank court group company corporation corp inc ltd plc foundation trust fund
    association society union league club church museum airport station county province
    state city street road avenue river island""".split()
)


_GENERIC_STEMS = frozenset(
    str(snowballstemmer.stemmer("english").stemWord(w)) for w in _GENERIC_HEADS
)


@lru_cache(maxsize=TEXT_CACHE)
def _name_words(name: str) -> frozenset[str]:
    """The words that identify a name, without titles: "CEO Sam Altman" → {sam, altman}."""
    written = re.sub(r"\.(?:com|org|net|co\.uk|gov)\b", "", fold_phrases(name)).split()
    words = {re.sub(r"'s$", "", w.lower().replace("’", "'")).strip(".'\"“”,;:()") for w in written}
    out = {w for w in words if w and w not in _ROLE_WORDS and w not in _NOT_NAMES}
    # "New Zealand-born", "New Zealander" and "Evansville-Indiana State" name Zealand and
    # Indiana too.
    out |= {part for w in out for part in w.split("-") if len(part) > 2}
    out |= {_plain_stem(w) for w in out if w.isalpha()}
    # "Alan Turing Institute" / "AI Security Institute": a shared kind is not one name
    # (but "Church" alone is a name).
    out = (out - _GENERIC_HEADS - _GENERIC_STEMS) or out
    # An acronym and the name it stands for match: "IE" / "Internet Explorer", "UNC" /
    # "North Carolina" (a leading or trailing letter may stand for a word left out).
    capitals = [w for w in written if w[:1].isupper()]
    if len(capitals) >= 2:
        out.add("#" + "".join(w[0] for w in capitals).lower())
        # "AI Security Institute" is also "AISI".
        out.add("#" + "".join(w if w.isupper() else w[0] for w in capitals).lower())
    for w in written:
        bare = re.sub(r"['’]s$", "", w).strip(".,;:()")
        if 2 <= len(bare) <= 6 and bare.isupper() and bare.isalpha():
            out.add("#" + bare.lower())
            if len(bare) >= 3:
                out.update({"#" + bare[1:].lower(), "#" + bare[:-1].lower()})
    out.discard("#")
    return frozenset(out)


_CALENDAR_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december today tomorrow yesterday""".split()
)
# Days and months are dates, not names ("on Friday" / "in Aceh" fill no common slot).
_CALENDAR = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:['’]s)?$|(?:January|February|March|April"
    r"|June|July|August|September|October|November|December)$"
)


# The parts of a capitalised run split at a possessive: "the UK's AI Security Institute".
_NAME_PART = re.compile(r"(?:[^\s'’]|['’](?!s\s))+(?:\s+(?:[^\s'’]|['’](?!s\s))+)*")
_LETTER_WORD = re.compile(r"[A-Za-z][\w'’\-]*")


@lru_cache(maxsize=TEXT_CACHE)
def _entities(text: str) -> tuple[tuple[str, int, int], ...]:
    """Each name of a text with its offsets; "the UK's AI Security Institute" is two names."""
    out = []
    for m in _ENTITY.finditer(text):
        for part in _NAME_PART.finditer(m.group()):
            words = part.group().rstrip(".'’").split()
            start = m.start() + part.start()
            # A capitalised sentence opener ("However", "The") is not a name.
            while words and words[0].lower().rstrip(".") in _NOT_NAMES:
                start = text.index(words[1], start) if len(words) > 1 else start
                words = words[1:]
            if words and not (len(words) == 1 and _CALENDAR.match(words[0])):
                out.append((" ".join(words), start, m.start() + part.end()))
    return tuple(out)


@lru_cache(maxsize=TEXT_CACHE)
def _lists(text: str) -> tuple[tuple[str, ...], ...]:
    found = []
    for m in _LIST.finditer(text):
        parts = [m.group(1)]
        if m.group(2):
            parts += [p.strip() for p in m.group(2).split(",") if p.strip()]
        parts.append(m.group(3))
        names = [
            " ".join(w for w in p.rstrip(".").split() if w.lower() not in _NOT_NAMES) for p in parts
        ]
        names = [n for n in names if n]
        if len(names) >= 2:
            found.append(tuple(names))
    return tuple(found)


def _context_word(text: str, start: int) -> str:
    """The word before a name (its slot: "near Bristol", "with Google")."""
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 40) : start])
    return before[-1].lower() if before else ""


_PREPOSITIONS = frozenset(
    "with between by for from near in at of to on alongside towards toward beside".split()
)
_LINKING = STOP_WORDS | _PREPOSITIONS


def _head_word(text: str, start: int) -> str:
    """The stem of the lower-case content word a name follows over linking words only,
    with the preposition that links them ("partnership with Anthropic": partner/with).
    "with" and "between" link a partner alike ("partnership between OpenAI and …")."""
    before = re.findall(r"[\w'’\-]+|[^\w\s]", text[max(0, start - 60) : start])
    preposition = ""
    for word in reversed(before[-4:]):
        if not word[0].isalpha():
            return ""  # punctuation ends the phrase
        if word.lower() in _LINKING:
            if not preposition and word.lower() in _PREPOSITIONS:
                preposition = "with" if word.lower() == "between" else word.lower()
            continue
        # A noun the name is attached to by a preposition; a verb's object or agent ("using
        # X", "used by Y") says nothing about which slot the name fills.
        noun = word.islower() and word.isalpha() and not word.endswith(("ing", "ed"))
        return f"{stem(word)}/{preposition}" if noun and preposition else ""
    return ""


_LOWER_LIST = re.compile(
    r"\b([a-z][a-z\-]+(?:\s[a-z][a-z\-]+)?)((?:,\s+[a-z][a-z\-]+(?:\s[a-z][a-z\-]+)?)+),?"
    r"\s+(?:and|or)\s+(?:the\s+)?([a-z][a-z\-]+(?:\s[a-z][a-z\-]+)?)"
)


@lru_cache(maxsize=TEXT_CACHE)
def _lower_lists(text: str) -> tuple[tuple[str, ...], ...]:
    """Lists of three or more lower-case members: "justice, defence, education and security"."""
    found = []
    for m in _LOWER_LIST.finditer(text):
        parts = [m.group(1), *(p.strip() for p in m.group(2).split(",") if p.strip()), m.group(3)]
        if len(parts) >= 3:
            found.append(tuple(parts))
    return tuple(found)


def _member_key(member: str) -> frozenset[str]:
    return frozenset(stem(w) for w in member.split() if w not in STOP_WORDS)


def _list_divergences(a: str, b: str) -> list[str]:
    """Lists that share members but each name one the other lacks."""
    details = []
    for la in _lower_lists(a):
        for lb in _lower_lists(b):
            ka = [_member_key(x) for x in la]
            kb = [_member_key(x) for x in lb]
            only_a = [x for x, k in zip(la, ka, strict=True) if not any(k & v for v in kb)]
            only_b = [x for x, k in zip(lb, kb, strict=True) if not any(k & v for v in ka)]
            # Two lists of one set: most members shared ("businesses, developers" and
            # "research, business support" share a word, not a list).
            shared = len(la) - len(only_a)
            if shared >= 2 and 2 * shared >= min(len(la), len(lb)) and only_a and only_b:
                details.append(f"{', '.join(only_a)} vs {', '.join(only_b)}")
    return details


_OWNER = re.compile(rf"({_NAME})['’]s((?:\s+[\w\-]+){{1,3}})")

# What a company or person makes or owns, in general news vocabulary: "OpenAI's tech" and
# "Microsoft's GPT-4o model" name the same kind of thing, so their owners are compared.
_ARTEFACT_WORDS = tuple(
    """model models tech technology technologies system systems tool tools software platform
    platforms chatbot chatbots product products chip chips app apps device devices engine
    engines aircraft plane planes vehicle vehicles car cars drug drugs vaccine vaccines phone
    phones smartphone smartphones processor processors""".split()
)
_ARTEFACTS = frozenset(stem(w) for w in _ARTEFACT_WORDS)
# A name directly before an artefact word owns it too: "using OpenAI models".
_COMPOUND_OWNER = re.compile(
    rf"({_NAME})(\s+(?:" + "|".join(sorted(_ARTEFACT_WORDS, key=lambda w: (-len(w), w))) + r"))\b"
)


def _owned_label(name: str, owned: str) -> str:
    """The owner and what it owns up to the artefact word: "OpenAI's GPT-4o model"."""
    words = owned.split()
    for i, w in enumerate(words):
        if stem(w) in _ARTEFACTS:
            return " ".join([name, *words[: i + 1]])
    return " ".join([name, *words[:1]])


@lru_cache(maxsize=TEXT_CACHE)
def _owners(text: str) -> tuple[tuple[str, frozenset[str], str], ...]:
    """Each owner with the stems of what it owns (the next words) and how it reads."""
    out = []
    for m in _OWNER.finditer(text):
        head = text[m.start(1) : m.end(1) + 2]  # the name and its "'s"
        owned = m.group(2)
        out.append(
            (m.group(1), frozenset(stem(w) for w in owned.split()), _owned_label(head, owned))
        )
    for m in _COMPOUND_OWNER.finditer(text):
        words = m.group(1).split()
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if not words or re.search(r"['’]s\b", m.group(1)):
            continue  # a possessive is read above
        opener = not text[: m.start(1)].strip() or text[: m.start(1)].rstrip()[-1] in '.!?"“'
        if opener and len(words) == 1 and words[0][1:].islower():
            continue  # "Another tool, …": a capitalised sentence opener, not a name
        name, owned = " ".join(words), m.group(2)
        out.append((name, frozenset(stem(w) for w in owned.split()), _owned_label(name, owned)))
    return tuple(out)


@lru_cache(maxsize=TEXT_CACHE)
def _mentions(text: str) -> frozenset[str]:
    """Every word of a text, lower-cased, without its possessive: who the text names."""
    return frozenset(
        re.sub(r"['’]s$", "", m.group().lower()) for m in re.finditer(r"[\w'’\-]+", text)
    )


def _same_kind_of_thing(owned_a: frozenset[str], owned_b: frozenset[str]) -> bool:
    shared = owned_a & owned_b - STOP_WORDS - _ORDINAL_STEMS
    return bool({w for w in shared if not w[0].isdigit()}) or bool(
        owned_a & _ARTEFACTS and owned_b & _ARTEFACTS
    )


def _owner_divergences(a: str, b: str) -> list[str]:
    """The same thing owned by a name the other side never names: "OpenAI's tech" /
    "Microsoft's tech" (the owned thing is read from the next three words; two artefacts,
    "tech" and "model", count as the same kind of thing)."""
    details: list[str] = []
    owners_a, owners_b = _owners(a), _owners(b)
    if not owners_a or not owners_b:
        return details
    words_a, words_b = _mentions(a), _mentions(b)
    for name_a, owned_a, label_a in owners_a:
        for name_b, owned_b, label_b in owners_b:
            wa, wb = _name_words(name_a), _name_words(name_b)
            # The other side must not name the owner at all (a list of owners is fine).
            named_elsewhere = bool(wa & words_b) or bool(wb & words_a)
            same_thing = _same_kind_of_thing(owned_a, owned_b)
            if same_thing and wa and wb and not (wa & wb) and not named_elsewhere:
                details.append(f"{label_a} vs {label_b}")
                return details
    return details


@lru_cache(maxsize=TEXT_CACHE)
def _roles(text: str) -> Mapping[str, str]:
    """Each role named in a text with who holds it ("ceo" → "Sam Altman")."""
    return MappingProxyType({_role(r.group(1)): r.group(2) for r in _ROLE.finditer(text)})


@lru_cache(maxsize=TEXT_CACHE)
def _slotted_entities(text: str) -> tuple[tuple[str, frozenset[str], str, str, bool], ...]:
    """Each name with its identifying words, the word before it, the content word it
    follows (its slot), and whether it names something ("the County" alone does not)."""
    # A possessor ("Sudan's Blue Nile state") fills no slot of its own: what it owns does.
    return tuple(
        (n, _name_words(n), "", "", _named(n, _name_words(n)))
        if text[e : e + 2] in {"'s", "’s"}
        else (
            n,
            _name_words(n),
            _context_word(text, s),
            _head_word(text, s),
            _named(n, _name_words(n)),
        )
        for n, s, e in _entities(text)
    )


@lru_cache(maxsize=TEXT_CACHE)
def _all_name_words(text: str) -> frozenset[str]:
    """The identifying words of every name of a text: a name shares one with some name of
    the text exactly when it shares one with this set."""
    return frozenset(w for e in _slotted_entities(text) for w in e[1])


def _named(name: str, words: frozenset[str]) -> bool:
    """Whether a name names something: "the County" or "Institute" alone refers back."""
    return bool(words) and not all(w.lower() in _GENERIC_HEADS for w in name.split())


def _name_kind(name: str) -> str:
    """The generic head a name of two words or more ends with ("institute"), if any."""
    words = name.lower().split()
    return words[-1] if len(words) >= 2 and words[-1] in _GENERIC_HEADS else ""


def _named_in(name: str, words: frozenset[str]) -> bool:
    """Whether a text naming these words names this one: two of its words, or its only one."""
    core = {w.lower() for w in name.split()} - _GENERIC_HEADS - _NOT_NAMES
    return len(core & words) >= min(2, len(core))


@lru_cache(maxsize=TEXT_CACHE)
def _kinds(text: str) -> Mapping[str, tuple[str, frozenset[str]]]:
    """Each generic kind ("institute") of which a text names exactly one, with that name."""
    found: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for name, words, _c, _h, named in _slotted_entities(text):
        kind = _name_kind(name)
        if kind and named and not any(n == name for n, _w in found[kind]):
            found[kind].append((name, words))
    return MappingProxyType({k: v[0] for k, v in found.items() if len(v) == 1})


def _entity_divergences(a: str, b: str) -> list[str]:
    details: list[str] = _owner_divergences(a, b)
    # Lists of names sharing a member but differing:
    # "Google and Anthropic" / "Anthropic and Cohere".
    for la in _lists(a):
        for lb in _lists(b):
            wa = [_name_words(x) for x in la]
            wb = [_name_words(x) for x in lb]
            unmatched_a = [x for x, w in zip(la, wa, strict=True) if not any(w & v for v in wb)]
            unmatched_b = [x for x, w in zip(lb, wb, strict=True) if not any(w & v for v in wa)]
            shared = len(la) - len(unmatched_a)
            if shared and unmatched_a and unmatched_b:
                details.append(f"{', '.join(la)} vs {', '.join(lb)}")
    if details:
        return details
    # The same role held by different people: "Secretary Peter Kyle" / "Secretary Liz Kendall".
    roles_a, roles_b = _roles(a), _roles(b)
    for role in sorted(roles_a.keys() & roles_b.keys()):
        # "CEO Sam Altman" / "CEO Altman" are one person: no word in common is a swap.
        if not _name_words(roles_a[role]) & _name_words(roles_b[role]):
            details.append(f"{roles_a[role]} vs {roles_b[role]}")
    if details:
        return details
    # The same slot filled by another name: "near Bristol" / "near Cardiff".
    # "partnership with Anthropic" / "partnership between OpenAI and …" fill one slot too.
    ea, eb = _slotted_entities(a), _slotted_entities(b)
    if not ea or not eb:
        return details
    # The one institute each side names, and they share no word: "Alan Turing Institute" /
    # "AI Security Institute" (whatever else either side names).
    kinds_a, kinds_b = _kinds(a), _kinds(b)
    for kind in sorted(kinds_a.keys() & kinds_b.keys()):
        (name_a, words_a), (name_b, words_b) = kinds_a[kind], kinds_b[kind]
        # Neither named elsewhere by the other side ("the Central Election and Referendum
        # Commission" names the Central Election Commission too).
        elsewhere = _named_in(name_a, _all_name_words(b)) or _named_in(name_b, _all_name_words(a))
        if not words_a & words_b and not elsewhere:
            details.append(f"{name_a} vs {name_b}")
    words_a, words_b = _all_name_words(a), _all_name_words(b)
    only_a = [(n, c, h) for n, w, c, h, named in ea if named and not w & words_b]
    only_b = [(n, c, h) for n, w, c, h, named in eb if named and not w & words_a] if only_a else []
    if not only_b:
        return details
    for name_a, ctx_a, head_a in only_a:
        for name_b, ctx_b, head_b in only_b:
            if _name_kind(name_a) and _name_kind(name_a) == _name_kind(name_b):
                continue  # compared by kind above
            same_word = ctx_a and ctx_a == ctx_b and ctx_a not in {"and", "the", "of", "s", "a"}
            # By the noun alone only when one name replaces one other (no place hierarchy
            # "in Baytown" / "near Houston" is told apart from a wrong partner otherwise).
            swap = len(only_a) == 1 and len(only_b) == 1
            if same_word or (swap and head_a and head_a == head_b):
                details.append(f"{name_a} vs {name_b}")
    return details


# ---------------------------------------------------------------------------- negation

_NEGATORS = {"not", "never", "no", "n't", "without", "nor", "neither", "none", "nobody", "nothing"}
# What ends a negation's reach when it stands between two words.
_CLAUSE_MARK = re.compile(r"[,;:.!?\"“”()\[\]—–]")
_NEG_PREFIX = re.compile(r"^(non-?|un|in|dis)(\w{3,})$")


def _negator_before(lowered: list[str], i: int, breaks: list[bool]) -> int:
    """Where the negation of word ``i`` starts, or -1: negation reaches the next content
    word, over stop words and adverbs ("not legally"), and "no longer" negates too; never
    across a clause mark (``breaks[k]``: one follows word k): in '"…isn't over," Reavey
    said' nothing negates Reavey."""
    j = i - 1
    reach = i - 4 if i > 4 else 0
    while (
        j >= reach
        and not breaks[j]
        and lowered[j] not in _NEGATORS
        and (lowered[j] in STOP_WORDS or lowered[j].endswith("ly"))
    ):
        j -= 1
    if j < 0 or breaks[j]:
        return -1
    if lowered[j] in _NEGATORS:
        return j
    return j - 1 if lowered[j] == "longer" and j > 0 and lowered[j - 1] == "no" else -1


@lru_cache(maxsize=TEXT_CACHE)
def _polarity(text: str) -> Mapping[str, tuple[bool, str]]:
    """Each content stem with whether it is negated, and how it reads."""
    # "isn't" and "isn’t" (news copy mostly curls its apostrophes) read as "is" + "n't".
    prepared = strip_citations(text).replace("n't", " n't").replace("n’t", " n’t")
    words = text_words(prepared)
    lowered = [_norm_word(w) for w in words]
    out: dict[str, tuple[bool, str]] = {}
    plain = _NEGATORS.isdisjoint(lowered)  # most statements: no negator to look back for
    breaks: list[bool] = []
    if not plain:
        found = tokens(prepared)  # the same words, with their offsets
        ends = [t.end for t in found]
        starts = [t.start for t in found[1:]] + [len(prepared)]
        breaks = [
            bool(_CLAUSE_MARK.search(prepared, e, s)) for e, s in zip(ends, starts, strict=True)
        ]
        for k in range(len(lowered) - 1):
            # "not only X but also Y" and "No 5 seed" negate nothing.
            after = lowered[k + 1]
            if (lowered[k] == "not" and after == "only") or (
                lowered[k] == "no" and after[0].isdigit()
            ):
                lowered[k] = ""
    for i, w in enumerate(lowered):
        if not w or w in _NEGATORS or w in STOP_WORDS or len(w) < 2:
            continue  # a single letter is an initial ("P.J."), not a word to negate
        j = -1 if plain else _negator_before(lowered, i, breaks)
        negated = j >= 0
        phrase = " ".join(words[j : i + 1]) if negated else words[i]
        if negated and lowered[j] == "n't" and j > 0:
            phrase = words[j - 1] + phrase  # "can't call", not "n't call"
        if negated and w.endswith("ly") and i + 1 < len(lowered):
            continue  # "not officially sanctioned" negates "sanctioned", not "official"
        out.setdefault(stem(w), (negated, phrase))
        m = _NEG_PREFIX.match(w)
        if m:
            # "non-binding" negates "binding": recorded under the positive stem as well.
            out.setdefault(stem(m.group(2)), (not negated, words[i]))
    return MappingProxyType(out)


# Verbs of opposite direction in news copy (stems): one side says the other's opposite.
_ANTONYMS = {
    frozenset(p)
    for p in (
        ("increas", "reduc"),
        ("increas", "decreas"),
        ("increas", "cut"),
        ("expand", "reduc"),
        ("expand", "shrink"),
        ("expand", "cut"),
        ("rise", "fall"),
        ("rais", "lower"),
        ("gain", "lose"),
        ("win", "lose"),
        ("accept", "reject"),
        ("approv", "reject"),
        ("hire", "fire"),
        ("open", "close"),
        ("boost", "cut"),
        ("grow", "shrink"),
        ("support", "oppos"),
        ("confirm", "deni"),
    )
}


_snowball = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _plain_stem(word: str) -> str:
    return str(_snowball.stemWord(word.lower()))


_ANTONYM_STEMS = frozenset(w for pair in _ANTONYMS for w in pair)


@lru_cache(maxsize=TEXT_CACHE)
def _plain_stems(text: str) -> Mapping[str, str]:
    """Each plain stem of a text with the word as written (read once per text)."""
    return MappingProxyType({_plain_stem(w): w for w in text_words(text)})


@lru_cache(maxsize=TEXT_CACHE)
def _directions(text: str) -> Mapping[str, str]:
    """The stems of the text that have an opposite in ``_ANTONYMS``, as written."""
    stems = _plain_stems(text)
    return MappingProxyType({k: v for k, v in stems.items() if k in _ANTONYM_STEMS})


def _antonym_divergences(a: str, b: str) -> list[str]:
    # Plain stems: the synonym folding would read "grown" as "expand".
    sa, sb = _directions(a), _directions(b)
    details: list[str] = []
    if not sa or not sb:
        return details
    all_a, all_b = _plain_stems(a), _plain_stems(b)
    for x in sorted(sa.keys() - all_b.keys()):
        for y in sorted(sb.keys() - all_a.keys()):
            if frozenset((x, y)) in _ANTONYMS:
                details.append(f"{sa[x]} vs {sb[y]}")
    return details


@lru_cache(maxsize=TEXT_CACHE)
def _negated(text: str) -> frozenset[str]:
    """The stems a text negates: only these can differ in polarity from another text."""
    return frozenset(k for k, (neg, _phrase) in _polarity(text).items() if neg)


def _negation_divergences(a: str, b: str) -> list[str]:
    pa, pb = _polarity(a), _polarity(b)
    details = _antonym_divergences(a, b)
    candidates = (_negated(a) & pb.keys()) | (_negated(b) & pa.keys())
    for key in sorted(candidates):
        (neg_a, phrase_a), (neg_b, phrase_b) = pa[key], pb[key]
        if neg_a != neg_b and (neg_a or neg_b):
            details.append(f"{phrase_a} vs {phrase_b}")
    if not details:
        details += _negated_elsewhere(a, b, flip=False) or _negated_elsewhere(b, a, flip=True)
    return details


# ---------------------------------------------------------------------------- claims in other words

_PLAIN_NEGATORS = re.compile(r"\b(?:not|never|cannot)\b|n['’]t\b", re.IGNORECASE)
_ANY_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nor|neither|without|cannot|non-\w+|un(?:able|likely|clear|known"
    r"|sure|aware|willing))\b|n['’]t\b",
    re.IGNORECASE,
)
# "did not say / reveal / know": what a source does not know is no claim about the fact.
_UNSAID = frozenset(
    stem(w)
    for w in """say said know knew reveal disclose specify comment confirm clear sure immediately
    elaborate identify explain discuss release give provide expect""".split()
)
_SHARED_AFTER = 2  # content words after the cue that the other side must also use


@lru_cache(maxsize=TEXT_CACHE)
def _stem_set(text: str) -> frozenset[str]:
    return frozenset(w for _t, _s, _e, w in _word_stems(text))


def _what_follows(text: str, end: int) -> tuple[str, ...]:
    """The content stems of up to eight words after a cue, within its clause: what it
    negates or hedges ("not legally binding), signed by …" negates "legally binding")."""
    clause = re.split(r"[,;:()—–\[\]]|\s-\s", text[end : end + 120], maxsplit=1)[0]
    words = _LETTER_WORD.findall(clause)[:8]
    return tuple(stem(w) for w in words if w.lower() not in _SKIP)


@lru_cache(maxsize=TEXT_CACHE)
def _capitalised(text: str) -> frozenset[str]:
    """The stems of the capitalised words of a text (names, mostly)."""
    return frozenset(w for t, _s, _e, w in _word_stems(text) if t[0].isupper())


@lru_cache(maxsize=TEXT_CACHE)
def _assertions(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each plain statement of a text ("has announced") with the stems of what follows it
    in its clause ("a strategic partnership"): what it asserts."""
    out = []
    for m in re.finditer(
        _ASSERTIVE.pattern + r"(?:\s+(?:just|already|also|now|since|\w+ly))?\s+[A-Za-z][\w'’\-]*",
        text,
        re.IGNORECASE,
    ):
        out.append((m.group(), frozenset(_what_follows(text, m.end()))))
    return tuple(out)


@lru_cache(maxsize=TEXT_CACHE)
def _negation_free(text: str) -> bool:
    return not _ANY_NEGATION.search(text)


_Scope = tuple[str, str, frozenset[str]]  # the cue as written, the word it governs, the rest


@lru_cache(maxsize=TEXT_CACHE)
def _negated_scopes(text: str) -> tuple[_Scope, ...]:
    """Each plain negation ("not entered into a partnership") with the stem it negates and
    the common words of the rest of its clause (names and numbers say who and how many)."""
    out = []
    for m in _PLAIN_NEGATORS.finditer(text):
        following = _what_follows(text, m.end())
        if not following or following[0] in _UNSAID:
            continue
        rest = {w for w in following[1:] if w.isalpha() and w not in _ORDINAL_STEMS}
        verb = re.match(r"\s*([A-Za-z][\w'’\-]*)", text[m.end() :])
        label = f"{m.group()} {verb.group(1)}" if verb else m.group()
        out.append((label, following[0], frozenset(rest - _capitalised(text))))
    return tuple(out)


def _negated_elsewhere(neg: str, plain: str, flip: bool) -> list[str]:
    """ "has not entered into a partnership" / "has announced a partnership": the negated
    verb is not the other side's, but what it applies to is what the other side asserts
    right after its own verb, and the other side has no negation anywhere."""
    scopes = _negated_scopes(neg)
    if not scopes or not _negation_free(plain):
        return []
    assertions = _assertions(plain)
    stems = _stem_set(plain)
    for negated, first, rest in scopes:
        if first in stems:
            continue
        for stated, asserted in assertions:
            if len(rest & asserted) >= 2:
                return [f"{stated} vs {negated}" if flip else f"{negated} vs {stated}"]
    return []


# ---------------------------------------------------------------------------- certainty

_HEDGES = re.compile(
    r"\b(may|might|could|possibl[ey]|potential(?:ly)?|explor(?:e|es|ed|ing)|consider(?:s|ed|ing)?"
    r"|plans? to|planned|aims? to|intends? to|expected to|likely|reportedly|would"
    r"|in talks|paves? the way for|proposed|mulls?|weighs?|seeks? to)\b",
    re.IGNORECASE,
)
_ASSERTIVE = re.compile(
    r"\b(will|has|have|had|did|is|are|was|were|confirm(?:s|ed)|sign(?:s|ed)|agree[sd]"
    r"|includ(?:es|ed)|involv(?:es|ed)|sees|saw|means|began|begun|start(?:s|ed))\b",
    re.IGNORECASE,
)
_SKIP = STOP_WORDS | {"to", "the", "in", "and", "significant", "new", "more", "further", "also"}


def _governed(text: str, end: int) -> tuple[str, str]:
    """The first content word after a cue: what the cue qualifies."""
    for m in _LETTER_WORD.finditer(text[end : end + 60]):
        word = m.group()
        if word.lower() not in _SKIP:
            return stem(word), word
    return "", ""


_DAY_AFTER = re.compile(r"\s+\d")


@lru_cache(maxsize=TEXT_CACHE)
def _cues(text: str) -> tuple[tuple[str, str, str], ...]:
    """Each hedge cue of a text with the stem and word it qualifies."""
    out = []
    for cue in _HEDGES.finditer(text):
        if cue.group() == "May" and (cue.start() > 0 or _DAY_AFTER.match(text, cue.end())):
            continue  # the month ("killed in May", "May 12, 2013 -"), not the modal
        key, word = _governed(text, cue.end())
        # "planned for December 15": a date is scheduled, not hedged.
        if key and not (word[:1].isdigit() or word.lower() in _CALENDAR_WORDS):
            out.append((cue.group(), key, word))
    return tuple(out)


@lru_cache(maxsize=TEXT_CACHE)
def _word_stems(text: str) -> tuple[tuple[str, int, int, str], ...]:
    """Each word of a text with its offsets and stem."""
    return tuple(
        (m.group(), m.start(), m.end(), stem(m.group())) for m in _LETTER_WORD.finditer(text)
    )


def _hedge_divergences(a: str, b: str) -> list[str]:
    details: list[str] = []
    cues_a, cues_b = _cues(a), _cues(b)
    if not cues_a and not cues_b:
        return details
    for hedged, plain, flip in ((a, b, False), (b, a, True)):
        plain_hedged = {key for _cue, key, _word in _cues(plain)}
        for cue_text, key, word in _cues(hedged):
            if key in plain_hedged:
                continue
            for m_text, m_start, _m_end, m_stem in _word_stems(plain):
                if m_stem != key:
                    continue
                before = plain[max(0, m_start - 40) : m_start]
                assertive = list(_ASSERTIVE.finditer(before))
                # Stated plainly: with an auxiliary ("will share"), or as a finite verb
                # ("shares"); a bare participle ("sharing insights") asserts nothing.
                if not assertive and (m_text.lower().endswith("ing") or m_stem == m_text):
                    continue
                left = f"{cue_text} {word}"
                right = f"{assertive[-1].group()} … {m_text}" if assertive else m_text
                details.append(f"{right} vs {left}" if flip else f"{left} vs {right}")
                break
            if details:
                return details
    return _hedged_elsewhere(a, b, False) or _hedged_elsewhere(b, a, True)


# The cues that make a whole statement uncertain ("reportedly", "is expected to"). Modals and
# "would", "aims to", "explore" often qualify one detail or report a plan ("this may involve
# X"), so they are compared only on the word they qualify (above).
_STRONG_HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|apparently|supposedly|purportedly|(?:is|are|was|were) (?:expected"
    r"|likely|said|believed|thought|rumou?red) to)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=TEXT_CACHE)
def _hedged_scopes(text: str) -> tuple[_Scope, ...]:
    """Each strong hedge of a text ("reportedly underpins") with the stem it qualifies and
    the stems of the rest of its clause."""
    out = []
    for m in _STRONG_HEDGES.finditer(text):
        following = _what_follows(text, m.end())
        if following:
            verb = re.match(r"\s*(?:be\s+)?([A-Za-z][\w'’\-]*)", text[m.end() :])
            cue = text[m.start() : m.end() + verb.end()] if verb else m.group()
            out.append((cue, following[0], frozenset(following[1:])))
    return tuple(out)


@lru_cache(maxsize=TEXT_CACHE)
def _hedge_free(text: str) -> bool:
    return not _cues(text) and not _STRONG_HEDGES.search(text)


def _hedged_elsewhere(hedged: str, plain: str, flip: bool) -> list[str]:
    """ "reportedly underpins several government tools" / "is already using … tools": the
    hedged word is not the other side's, but what it applies to is, and the other side
    states it plainly with no hedge of its own."""
    scopes = _hedged_scopes(hedged)
    if not scopes or not _hedge_free(plain):
        return []
    assertions = _assertions(plain)
    if not assertions:
        return []
    stems = _stem_set(plain)
    for cue, first, rest in scopes:
        if first not in stems and len(rest & stems) >= 2:
            stated = assertions[0][0]
            return [f"{stated} vs {cue}" if flip else f"{cue} vs {stated}"]
    return []


# ---------------------------------------------------------------------------- all checks


def _locate(statement_id: str, side: str, text: str, offset: int) -> list[Value]:
    """The values one side of a detail names, found in the compared text."""
    pieces = [side] if side in text else re.split(r",\s+|\s+…\s+", side)
    out = []
    pos = 0
    for piece in pieces:
        k = text.find(piece, pos) if piece else -1
        if k < 0:
            k = text.find(piece) if piece else -1
        if k >= 0:
            out.append(Value(statement_id, piece, offset + k, offset + k + len(piece)))
            pos = k + len(piece)
        elif piece:
            out.append(Value(statement_id, piece))
    return out


Details = tuple[tuple[DivergenceKind, str], ...]


def _tagged(
    kind: DivergenceKind, check: Callable[[str, str], list[str]], a: str, b: str
) -> list[tuple[DivergenceKind, str]]:
    return [(kind, d) for d in check(a, b)]


# The readings of a pair, in the order its divergences are listed.
_READINGS: tuple[Callable[[str, str], list[tuple[DivergenceKind, str]]], ...] = (
    _quantity_divergences,
    partial(_tagged, DivergenceKind.ENTITY, _entity_divergences),
    partial(_tagged, DivergenceKind.OTHER, _list_divergences),
    partial(_tagged, DivergenceKind.NEGATION, _negation_divergences),
    partial(_tagged, DivergenceKind.HEDGE, _hedge_divergences),
)
# The readings in two shares of about equal cost whose per-text work hardly overlaps, for
# two processes: on 1,000 dense articles quantities took 3.6 s, lists 0.5 and hedges 0.6;
# names 2.1 and negation 2.6 (each share's texts are read once, in one process).
SHARES: tuple[tuple[int, ...], ...] = ((0, 2, 4), (1, 3))


# A compound statement is compared once per claim it is in, and its clause is often the
# whole statement: the same two texts come back about a third of the time on dense coverage.
@lru_cache(maxsize=1 << 16)
def _details(a: str, b: str) -> Details:
    """Each disagreement between two texts as (kind, "value vs value")."""
    return tuple(d for reading in _READINGS for d in reading(a, b))


def details_share(a: str, b: str, share: Sequence[int]) -> tuple[Details, ...]:
    """The readings ``share`` (one of ``SHARES``) of two spans, a tuple of details for each
    (an empty tuple when none finds anything): ``merge_shares`` puts a pair's shares back
    together as ``compare`` reads them."""
    read_a, read_b = calendar_case(a), calendar_case(b)
    found = tuple(tuple(_READINGS[i](read_a, read_b)) for i in share)
    return found if any(found) else ()  # most pairs agree: nothing to ship back


def merge_shares(parts: Sequence[tuple[Details, ...]], shares: Sequence[Sequence[int]]) -> Details:
    """The details of a pair from its shares (each from ``details_share``), in reading order."""
    if not any(parts):
        return ()
    by_reading: dict[int, Details] = {}
    for share, found in zip(shares, parts, strict=True):
        if found:
            by_reading.update(zip(share, found, strict=True))
    return tuple(d for i in sorted(by_reading) for d in by_reading[i])


def compare(
    a_id: str, a: str, b_id: str, b: str, a_offset: int = 0, b_offset: int = 0
) -> list[Divergence]:
    """Every disagreement between two aligned spans, each with a readable detail.

    ``a_offset`` and ``b_offset`` place the spans in their articles' text, so each
    divergence carries the values it compares with offsets a reader can highlight.
    """
    details = _details(calendar_case(a), calendar_case(b))
    return divergences_of(details, a_id, a, b_id, b, a_offset, b_offset)


def divergences_of(
    details: Details, a_id: str, a: str, b_id: str, b: str, a_offset: int = 0, b_offset: int = 0
) -> list[Divergence]:
    """``compare``'s divergences from the details of the pair (from ``_details`` or shares)."""
    pair = (a_id, b_id)
    out = []
    # Dates in capitals are read as dates; a value keeps the source's own letters.
    read_a, read_b = calendar_case(a), calendar_case(b)
    for kind, detail in details:
        left, _, right = detail.partition(" vs ")
        values = _as_written(_locate(a_id, left, read_a, a_offset), a, a_offset)
        values += _as_written(_locate(b_id, right, read_b, b_offset), b, b_offset)
        out.append(Divergence(kind, pair, detail, tuple(values)))
    return out


def _as_written(values: list[Value], text: str, offset: int) -> list[Value]:
    """The located values with the text as the source writes it at their offsets."""
    return [
        replace(v, text=text[v.start - offset : v.end - offset])
        if v.start is not None and v.end is not None
        else v
        for v in values
    ]
