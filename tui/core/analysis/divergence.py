"""Whether two aligned statements agree on their details, and a word diff to show it.

Kept apart from alignment on purpose: every similarity score rates "will expand" and "will
not expand" as near-identical. Each check compares like with like only (numbers in the same
slot, names in the same role or position, the polarity of a word both sides use), and a
detail present on one side only is an omission, not a disagreement.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import snowballstemmer
from rapidfuzz.distance import Levenshtein

from tui.core.analysis import quantities
from tui.core.analysis.segment import strip_citations
from tui.core.analysis.text import STOP_WORDS, TEXT_CACHE, fold_phrases, stem, tokens
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
    if q.kind == "number" and q.slot not in {"#", "fold"}:
        rest = re.match(r"[\s\-–]*[A-Za-z][\w'’\-]*", text[q.end :])
        if rest:
            return (q.text + rest.group()).strip()
    return quantities.describe(q)


@lru_cache(maxsize=TEXT_CACHE)
def _slots(text: str) -> Mapping[tuple[str, str], Mapping[float, str]]:
    """Each value slot of a text with its values, as written (read once per text)."""
    slots: dict[tuple[str, str], dict[float, str]] = defaultdict(dict)
    for q in quantities.extract(text):
        slots[(q.kind, q.slot)].setdefault(round(q.value, 6), _label(q, text))
    return MappingProxyType({k: MappingProxyType(v) for k, v in slots.items()})


def _quantity_divergences(a: str, b: str) -> list[tuple[DivergenceKind, str]]:
    slots_a, slots_b = _slots(a), _slots(b)
    found: list[tuple[DivergenceKind, str]] = []
    for key in sorted(slots_a.keys() & slots_b.keys()):
        va, vb = slots_a[key], slots_b[key]
        only_a = [va[v] for v in va if v not in vb]
        only_b = [vb[v] for v in vb if v not in va]
        # One side listing more values than the other is an omission; both sides holding a
        # value the other lacks is a disagreement.
        if only_a and only_b:
            found.append((_KIND[key[0]], f"{', '.join(only_a)} vs {', '.join(only_b)}"))
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


def _norm_entity(name: str) -> str:
    folded = fold_phrases(name).lower().replace("’", "'")
    folded = re.sub(r"'s$", "", folded)
    return re.sub(r"^(?:the)\s+", "", folded).strip()


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


@lru_cache(maxsize=TEXT_CACHE)
def _name_words(name: str) -> frozenset[str]:
    """The words that identify a name, without titles: "CEO Sam Altman" → {sam, altman}."""
    words = {w.lower().strip(".'’") for w in fold_phrases(name).split()}
    return frozenset(w for w in words if w and w not in _ROLE_WORDS and w not in _NOT_NAMES)


@lru_cache(maxsize=TEXT_CACHE)
def _entities(text: str) -> tuple[tuple[str, int, int], ...]:
    out = []
    for m in _ENTITY.finditer(text):
        name = m.group().rstrip(".'’")
        words = name.split()
        # A capitalised sentence opener ("However", "The") is not a name.
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if words:
            out.append((" ".join(words), m.start(), m.end()))
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
            if len(la) - len(only_a) >= 1 and only_a and only_b:
                details.append(f"{', '.join(only_a)} vs {', '.join(only_b)}")
    return details


_OWNER = re.compile(rf"({_NAME})['’]s((?:\s+[\w\-]+){{1,3}})")


@lru_cache(maxsize=TEXT_CACHE)
def _owners(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each possessive name with the stems of what it owns (the next three words)."""
    return tuple(
        (m.group(1), frozenset(stem(w) for w in m.group(2).split())) for m in _OWNER.finditer(text)
    )


def _owner_divergences(a: str, b: str) -> list[str]:
    """The same thing owned by a name the other side never names: "OpenAI's tech" /
    "Microsoft's tech" (the owned thing is read from the next three words)."""
    details: list[str] = []
    owners_a, owners_b = _owners(a), _owners(b)
    if not owners_a or not owners_b:
        return details
    words_a, words_b = _name_words(a), _name_words(b)
    for name_a, owned_a in owners_a:
        for name_b, owned_b in owners_b:
            wa, wb = _name_words(name_a), _name_words(name_b)
            # The other side must not name the owner at all (a list of owners is fine).
            named_elsewhere = bool(wa & words_b) or bool(wb & words_a)
            same_thing = bool((owned_a & owned_b) - STOP_WORDS)
            if same_thing and wa and wb and not (wa & wb) and not named_elsewhere:
                details.append(f"{name_a}'s vs {name_b}'s")
    return details


@lru_cache(maxsize=TEXT_CACHE)
def _roles(text: str) -> Mapping[str, str]:
    """Each role named in a text with who holds it ("ceo" → "Sam Altman")."""
    return MappingProxyType({_role(r.group(1)): r.group(2) for r in _ROLE.finditer(text)})


@lru_cache(maxsize=TEXT_CACHE)
def _slotted_entities(text: str) -> tuple[tuple[str, frozenset[str], str], ...]:
    """Each name with its identifying words and the word before it (its slot)."""
    return tuple((n, _name_words(n), _context_word(text, s)) for n, s, _ in _entities(text))


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
        if _norm_entity(roles_a[role]) != _norm_entity(roles_b[role]):
            details.append(f"{roles_a[role]} vs {roles_b[role]}")
    if details:
        return details
    # The same slot filled by another name: "near Bristol" / "near Cardiff".
    ea, eb = _slotted_entities(a), _slotted_entities(b)
    only_a = [(n, ctx) for n, w, ctx in ea if w and not any(w & v for _, v, _ in eb)]
    only_b = [(n, ctx) for n, w, ctx in eb if w and not any(w & v for _, v, _ in ea)]
    for name_a, ctx_a in only_a:
        for name_b, ctx_b in only_b:
            if ctx_a and ctx_a == ctx_b and ctx_a not in {"and", "the", "of", "s", "a"}:
                details.append(f"{name_a} vs {name_b}")
    return details


# ---------------------------------------------------------------------------- negation

_NEGATORS = {"not", "never", "no", "n't", "without", "nor", "neither", "none", "nobody", "nothing"}
_NEG_PREFIX = re.compile(r"^(non-?|un|in|dis)(\w{3,})$")


@lru_cache(maxsize=TEXT_CACHE)
def _polarity(text: str) -> Mapping[str, tuple[bool, str]]:
    """Each content stem with whether it is negated, and how it reads."""
    words = [t.text for t in tokens(strip_citations(text).replace("n't", " n't"))]
    lowered = [_norm_word(w) for w in words]
    out: dict[str, tuple[bool, str]] = {}
    for i, w in enumerate(lowered):
        if w in _NEGATORS or w in STOP_WORDS:
            continue
        # Negation reaches the next content word, over stop words and adverbs ("not legally").
        j = i - 1
        while (
            j >= max(0, i - 4)
            and lowered[j] not in _NEGATORS
            and (lowered[j] in STOP_WORDS or lowered[j].endswith("ly"))
        ):
            j -= 1
        negated = j >= 0 and (
            lowered[j] in _NEGATORS or (lowered[j] == "longer" and j > 0 and lowered[j - 1] == "no")
        )
        if negated and lowered[j] == "longer":
            j -= 1
        phrase = " ".join(words[j : i + 1]) if negated else words[i]
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
    return MappingProxyType({_plain_stem(t.text): t.text for t in tokens(text)})


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
    return details


# ---------------------------------------------------------------------------- certainty

_HEDGES = re.compile(
    r"\b(may|might|could|possibl[ey]|potential(?:ly)?|explor(?:e|es|ed|ing)|consider(?:s|ed|ing)?"
    r"|plans? to|planned|aims? to|intends? to|expected to|likely|reportedly|would"
    r"|in talks|paves? the way for|proposed|mulls?|weighs?|seeks? to)\b",
    re.IGNORECASE,
)
_ASSERTIVE = re.compile(
    r"\b(will|has|have|had|did|is|are|was|were|confirmed|signed|agreed)\b", re.IGNORECASE
)
_SKIP = STOP_WORDS | {"to", "the", "in", "and", "significant", "new", "more", "further", "also"}


def _governed(text: str, end: int) -> tuple[str, str]:
    """The first content word after a cue: what the cue qualifies."""
    for m in re.finditer(r"[A-Za-z][\w'’\-]*", text[end : end + 60]):
        word = m.group()
        if word.lower() not in _SKIP:
            return stem(word), word
    return "", ""


@lru_cache(maxsize=TEXT_CACHE)
def _cues(text: str) -> tuple[tuple[str, str, str], ...]:
    """Each hedge cue of a text with the stem and word it qualifies."""
    out = []
    for cue in _HEDGES.finditer(text):
        key, word = _governed(text, cue.end())
        if key:
            out.append((cue.group(), key, word))
    return tuple(out)


@lru_cache(maxsize=TEXT_CACHE)
def _word_stems(text: str) -> tuple[tuple[str, int, int, str], ...]:
    """Each word of a text with its offsets and stem."""
    return tuple(
        (m.group(), m.start(), m.end(), stem(m.group()))
        for m in re.finditer(r"[A-Za-z][\w'’\-]*", text)
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
    return details


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


def compare(
    a_id: str, a: str, b_id: str, b: str, a_offset: int = 0, b_offset: int = 0
) -> list[Divergence]:
    """Every disagreement between two aligned spans, each with a readable detail.

    ``a_offset`` and ``b_offset`` place the spans in their articles' text, so each
    divergence carries the values it compares with offsets a reader can highlight.
    """
    pair = (a_id, b_id)
    found: list[tuple[DivergenceKind, str]] = list(_quantity_divergences(a, b))
    found += [(DivergenceKind.ENTITY, d) for d in _entity_divergences(a, b)]
    found += [(DivergenceKind.OTHER, d) for d in _list_divergences(a, b)]
    found += [(DivergenceKind.NEGATION, d) for d in _negation_divergences(a, b)]
    found += [(DivergenceKind.HEDGE, d) for d in _hedge_divergences(a, b)]
    out = []
    for kind, detail in found:
        left, _, right = detail.partition(" vs ")
        values = _locate(a_id, left, a, a_offset) + _locate(b_id, right, b, b_offset)
        out.append(Divergence(kind, pair, detail, tuple(values)))
    return out
