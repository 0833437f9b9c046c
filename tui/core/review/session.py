"""A review session: what the reviewer is looking at and where the keys take them.

The app draws this state; it holds no Textual object, so every rule (claim order, filters,
search, tagging and moving on, undo, the next untagged claim, which words to mark, the
text of a navigator entry) is tested without a screen.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from tui.core.analysis.text import is_content, stem, tokens
from tui.core.model import Analysis, Article, Claim, Kind, Statement, Status
from tui.core.review.annotations import AnnotationStore, Change, load_reviews

CLOSE_ENOUGH = 60.0  # rapidfuzz ratio from which a word diff of two clauses says something
FILTERS = ("all", "overlap", "divergent", "unique", "untagged")
TAGS = ("confirmed", "disputed", "unique")
STATUS_GLYPH = {Status.OVERLAP: "=", Status.DIVERGENT: "≠", Status.UNIQUE: "◇"}
TAG_GLYPH: dict[str | None, str] = {"confirmed": "✓", "disputed": "✗", "unique": "◆", None: " "}

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class LineState:
    """What decides how a statement line looks; ranges index the statement's text."""

    status: Status | None
    tag: str | None
    selected: bool
    passes_filter: bool
    match: bool
    others: str = ""
    values: tuple[Range, ...] = ()
    words: tuple[Range, ...] = ()
    span: Range | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """One source's part of a claim in the aligned view: its clauses and marked values."""

    article: str
    text: str  # empty: the source does not report the claim
    values: tuple[Range, ...] = ()


@dataclass(frozen=True, slots=True)
class Tagged:
    """What a tag key did: the claim it tagged, whether its tag changed, where it moved on to."""

    claim: Claim
    changed: bool
    next: Claim | None = None  # the claim now selected, when the tag moved on


@dataclass(slots=True)
class ReviewSession:
    """Selection, filter, search, claim order, tags and notes over one analysis.

    ``tag_of`` reads the reviewer's current tag of a claim id (the annotation store).
    ``store`` takes the reviewer's tags and notes (None: a session that only reads), and
    ``others`` holds the other reviewers' tags.
    """

    analysis: Analysis
    tag_of: Callable[[str], str | None]
    selected: Claim | None = None
    filter_mode: str = "all"
    search_term: str = ""
    matches: list[str] = field(default_factory=list)
    match_index: int = -1
    order: list[Claim] = field(default_factory=list)
    # The claim a tag just moved away from: the note key writes on it until the reviewer moves.
    just_tagged: Claim | None = None
    store: AnnotationStore | None = None
    others: OtherReviewers | None = None
    # Each article's claims, found in one pass over the claims when first asked for.
    _by_article: dict[str, list[Claim]] | None = field(default=None, init=False, repr=False)
    _statements_of: dict[str, list[str]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.refresh_order()

    @classmethod
    def over(
        cls, analysis: Analysis, store: AnnotationStore, others: OtherReviewers | None = None
    ) -> ReviewSession:
        """A session whose tags and notes are the reviewer's store."""
        return cls(analysis, store.tag_of, store=store, others=others)

    # ------------------------------------------------------------------ claims and filters

    def passes(self, claim: Claim) -> bool:
        """Whether the claim passes the active filter."""
        mode = self.filter_mode
        if mode == "all":
            return True
        if mode == "untagged":
            return self.tag_of(claim.id) is None
        return claim.status.value == mode

    def refresh_order(self) -> None:
        """Recompute the claims the navigator and ``]`` walk (after a filter or tag change)."""
        self.order = [c for c in self.analysis.claims if self.passes(c)]

    def cycle_filter(self) -> str:
        """Move to the next filter: all, overlap, divergent, unique, untagged."""
        self.filter_mode = FILTERS[(FILTERS.index(self.filter_mode) + 1) % len(FILTERS)]
        self.refresh_order()
        return self.filter_mode

    def claim_of(self, statement: Statement) -> Claim | None:
        """The claim a statement line shows: the selected one if it is among its claims."""
        claims = self.analysis.claims_of(statement.id)
        if self.selected is not None and self.selected in claims:
            return self.selected
        return claims[0] if claims else None

    def claim_for_cursor(self, statement_id: str) -> Claim | None:
        """The claim to select when the reviewer's cursor lands on a statement: its first
        claim; None to keep the current one (among the statement's claims, or there is none)."""
        claims = self.analysis.claims_of(statement_id)
        return claims[0] if claims and self.selected not in claims else None

    def select(self, claim: Claim | None) -> Claim | None:
        """Make ``claim`` the current one; returns the previous current claim."""
        old, self.selected = self.selected, claim
        if claim is not self.just_tagged:
            self.just_tagged = None
        return old

    def step_claim(self, step: int) -> Claim | None:
        """The claim ``step`` places from the current one in the filtered order (wrapping)."""
        order = self.order
        if not order:
            return None
        if self.selected in order:
            return order[(order.index(self.selected) + step) % len(order)]
        return order[0] if step > 0 else order[-1]

    def next_untagged(self, after: Claim) -> Claim | None:
        """The next claim after ``after`` (story order, wrapping) with no tag that passes."""
        claims = self.analysis.claims
        start = claims.index(after)
        for c in claims[start + 1 :] + claims[:start]:
            if self.tag_of(c.id) is None and self.passes(c):
                return c
        return None

    def next_difference(self, step: int) -> Claim | None:
        """The next (or previous) divergent claim in the filtered order, like vimdiff's ]c."""
        order = self.order
        if not order:
            return None
        here = order.index(self.selected) if self.selected in order else (-1 if step > 0 else 0)
        for k in range(1, len(order) + 1):
            c = order[(here + k * step) % len(order)]
            if c.status is Status.DIVERGENT:
                return c
        return None

    def note_target(self) -> Claim | None:
        """The claim a note is for: the one just tagged, if the reviewer has not moved since."""
        return self.just_tagged or self.selected

    def progress(self) -> tuple[int, int]:
        """How many claims carry a tag, out of all claims."""
        claims = self.analysis.claims
        return sum(1 for c in claims if self.tag_of(c.id) is not None), len(claims)

    def claims_in(self, article_id: str) -> list[Claim]:
        """The claims an article carries a statement of, in story order."""
        if self._by_article is None:
            # One pass for every article: asking the whole analysis per article cost a
            # twentieth of a second each at 1,000 articles.
            analysis = self.analysis
            table: dict[str, list[Claim]] = {a.id: [] for a in analysis.articles}
            for claim in analysis.claims:
                articles = dict.fromkeys(analysis.statement(s).article for s in claim.statements)
                for article in articles:
                    table.setdefault(article, []).append(claim)
            self._by_article = table
        return self._by_article.get(article_id, [])

    def counts(self, article_id: str) -> dict[Status, int]:
        """Claims by status among those an article carries (a claim's status is the
        analysis's: tags do not change it)."""
        if self._statements_of is None:
            # From the article's own statements, not claims_in's table over every claim:
            # the first screen shows the counts of a few panes, and that table took 0.07 s
            # at 13,000 claims of 1,000 articles.
            table: dict[str, list[str]] = {}
            for st in self.analysis.statements:
                table.setdefault(st.article, []).append(st.id)
            self._statements_of = table
        claims_of = self.analysis.claims_of
        mine = {id(c): c for sid in self._statements_of.get(article_id, ()) for c in claims_of(sid)}
        counts = dict.fromkeys(Status, 0)
        for c in mine.values():
            counts[c.status] += 1
        return counts

    # ------------------------------------------------------------------ tags and notes

    def tag(self, tag: str | None, *, move_on: bool = True) -> Tagged | None:
        """Tag the selected claim (None clears) and, unless told to stay, move on.

        Moving on selects the next untagged claim that passes the filter; the note key then
        writes on the claim just tagged until the reviewer moves. Returns None when no claim
        is selected. A store that cannot save raises (StoreError, OSError) and keeps the tag.
        """
        claim = self.selected
        if claim is None or self.store is None:
            return None
        self.just_tagged = None
        if not self.store.set_tag(claim.id, tag):
            return Tagged(claim, changed=False)
        self.refresh_order()
        target = self.next_untagged(claim) if tag is not None and move_on else None
        if target is not None:
            self.select(target)
            self.just_tagged = claim
        return Tagged(claim, changed=True, next=target)

    def undo(self, *, redo: bool = False) -> Change | None:
        """Undo (or redo) the reviewer's last change; None when there is none to undo.

        The change may be on a claim of another story: ``analysis.claim`` is then None.
        """
        if self.store is None:
            return None
        change = self.store.redo() if redo else self.store.undo()
        if change is not None:
            self.refresh_order()
        return change

    def note_of(self, claim: Claim) -> str:
        """The reviewer's note on a claim."""
        return self.store.note_of(claim.id) if self.store else ""

    def set_note(self, claim: Claim, text: str) -> bool:
        """Write the reviewer's note on a claim; False when it did not change."""
        return self.store is not None and self.store.set_note(claim.id, text)

    def note_closed(self) -> None:
        """The note dialog closed: the next note is for the claim in view."""
        self.just_tagged = None

    def refresh_others(self) -> set[str] | None:
        """Re-read the other reviewers' files if they changed on disk; returns the statements
        whose lines show a changed tag, or None when no file changed."""
        if self.others is None:
            return None
        changed = self.others.refresh(self.analysis)
        if not changed:
            return None
        claims = (self.analysis.claim(cid) for cid in changed)
        return {sid for c in claims if c is not None for sid in c.statements}

    def others_summary(self, claim: Claim) -> str:
        """Other reviewers' tags on a claim, e.g. ``✓2 ✗1``; empty with no other reviewer."""
        return self.others.summary(claim) if self.others and self.others.reviews else ""

    # ------------------------------------------------------------------ how claims read

    def nav_prompt(self, claim: Claim) -> str:
        """A navigator entry: status, own tag, sources, other reviewers' tags, first words."""
        analysis = self.analysis
        n = len(analysis.sources_of(claim))
        words = " ".join(analysis.statement(claim.statements[0]).text.split()[:8])
        others = self.others_summary(claim)
        others = f" [{others}]" if others else ""
        glyphs = f"{STATUS_GLYPH[claim.status]}{TAG_GLYPH[self.tag_of(claim.id)]}"
        return f"{glyphs} {n}/{len(analysis.articles)}{others} {words}"

    def label(self, claim: Claim) -> str:
        """How a dialog names a claim: status, sources and its first twelve words."""
        analysis = self.analysis
        first = analysis.statement(claim.statements[0]).text.split()
        words = " ".join(first[:12]) + ("…" if len(first) > 12 else "")
        names = ", ".join(analysis.article(a).display_name for a in analysis.sources_of(claim))
        return f"{STATUS_GLYPH[claim.status]} {claim.status.value} · {names}\n“{words}”"

    def clipboard_text(self, claim: Claim) -> str:
        """The claim's statements, one a line after their source's name, for the clipboard."""
        lines = []
        for sid in claim.statements:
            s = self.analysis.statement(sid)
            lines.append(f"[{self.analysis.article(s.article).display_name}] {s.text}")
        return "\n".join(lines)

    def status_line(self) -> str:
        """The status bar's review part: progress, filter and search."""
        done, total = self.progress()
        parts = [
            f"{done} / {total} claims tagged",
            f"filter: {self.filter_mode} ({len(self.order)})",
        ]
        if self.search_term:
            parts.append(f"search: “{self.search_term}” {len(self.matches)}")
        return " · ".join(parts)

    # ------------------------------------------------------------------ search

    def search(self, term: str) -> list[str]:
        """Find the statements containing ``term`` (any case); returns their ids."""
        self.search_term = term.strip().lower()
        term = self.search_term
        self.matches = (
            [s.id for s in self.analysis.statements if term in s.text.lower()] if term else []
        )
        self.match_index = -1
        return self.matches

    def step_match(self, step: int) -> Statement | None:
        """The next or previous matching statement (wrapping)."""
        if not self.matches:
            return None
        self.match_index = (self.match_index + step) % len(self.matches)
        return self.analysis.statement(self.matches[self.match_index])

    def match_ranges(self, text: str) -> tuple[Range, ...]:
        """Where the search term occurs in ``text``."""
        return find_all(text, self.search_term) if self.search_term else ()

    # ------------------------------------------------------------------ marks

    def value_ranges(self, claim: Claim, statement: Statement) -> tuple[Range, ...]:
        """The diverging values of ``claim`` inside ``statement``'s text.

        Taken from the divergences' values when the analysis records them; else read from
        the detail text ("£2bn vs £5bn": the left side is the first statement's).
        """
        ranges: list[Range] = []
        for d in claim.divergences:
            recorded = [v for v in d.values if v.statement == statement.id]
            if d.values:
                for v in recorded:
                    if v.start is not None and v.end is not None:
                        ranges.append((v.start - statement.start, v.end - statement.start))
                    else:  # a value without offsets: its first whole-word occurrence
                        ranges += find_all(statement.text, v.text, words=True)[:1]
                continue
            if statement.id not in d.statements:
                continue
            side = d.statements.index(statement.id)
            parts = d.detail.split(" vs ")
            if len(parts) != 2:
                continue
            for piece in re.split(r",\s*|\s*…\s*", parts[side]):
                if piece.strip():
                    ranges += find_all(statement.text, piece.strip(), words=True)[:1]
        n = len(statement.text)
        return tuple(sorted({(max(0, a), min(n, b)) for a, b in ranges if b > a}))

    def span_range(self, claim: Claim, statement: Statement) -> Range | None:
        """The clause of ``statement`` that states ``claim``, when the analysis records it."""
        span = claim.span_of(statement.id)
        if span is None:
            return None
        start, end = span.start - statement.start, span.end - statement.start
        if (start, end) == (0, len(statement.text)) or not 0 <= start < end <= len(statement.text):
            return None
        return start, end

    def line_state(self, statement: Statement, others: str | None = None) -> LineState:
        """How a statement line looks now; ``others`` defaults to the other reviewers' tags."""
        claim = self.claim_of(statement)
        words = self.match_ranges(statement.text) if statement.id in self.matches else ()
        if claim is None:
            return LineState(None, None, False, True, bool(words), "", (), words)
        if others is None:
            others = self.others_summary(claim)
        return LineState(
            status=claim.status,
            tag=self.tag_of(claim.id),
            selected=self.selected is not None and statement.id in self.selected.statements,
            passes_filter=self.passes(claim),
            match=bool(words),
            others=others,
            values=self.value_ranges(claim, statement),
            words=words,
            span=self.span_range(claim, statement),
        )

    # ------------------------------------------------------------------ aligned view

    def cells(self, claim: Claim) -> list[Cell]:
        """One cell per article, in corpus order: its clauses of the claim, or empty."""
        by_article: dict[str, list[Statement]] = {}
        for sid in claim.statements:
            s = self.analysis.statement(sid)
            by_article.setdefault(s.article, []).append(s)
        cells = []
        for article in self.analysis.articles:
            parts: list[str] = []
            values: list[Range] = []
            for s in by_article.get(article.id, []):
                span = self.span_range(claim, s)
                lo, hi = span if span else (0, len(s.text))
                offset = sum(len(p) + 1 for p in parts)
                for a, b in self.value_ranges(claim, s):
                    if lo <= a and b <= hi:
                        values.append((a - lo + offset, b - lo + offset))
                parts.append(s.text[lo:hi])
            cells.append(Cell(article.id, " ".join(parts), tuple(values)))
        return cells

    def kinds(self, claim: Claim) -> str:
        """The kinds of divergence on a claim, e.g. ``money, date``."""
        return ", ".join(sorted({d.kind.value for d in claim.divergences}))

    def compared(self, claim: Claim) -> list[tuple[str, dict[str, str]]]:
        """Each divergence as its kind and the value each source writes (article id -> text)."""
        rows = []
        for d in claim.divergences:
            values: dict[str, list[str]] = {}
            if d.values:
                for v in d.values:
                    article = self.analysis.statement(v.statement).article
                    values.setdefault(article, []).append(v.text)
            else:
                parts = d.detail.split(" vs ")
                sides = parts if len(parts) == 2 else [d.detail, ""]
                for sid, side in zip(d.statements, sides, strict=True):
                    article = self.analysis.statement(sid).article
                    values.setdefault(article, []).append(side.strip())
            rows.append(
                (d.kind.value, {a: ", ".join(v for v in vs if v) for a, vs in values.items()})
            )
        return rows

    def summary(self, claim: Claim) -> str:
        """One line on a claim: status, sources, and what the sources disagree on."""
        analysis = self.analysis
        names = [analysis.article(a).display_name for a in analysis.sources_of(claim)]
        head = (
            f"{STATUS_GLYPH[claim.status]} {claim.status.value} · "
            f"{len(names)}/{len(analysis.articles)} sources"
        )
        if claim.status is Status.UNIQUE:
            return f"{head} · only {names[0]}" if names else head
        parts = []
        for kind, values in self.compared(claim):
            sides = " vs ".join(
                f"{v} ({analysis.article(a).display_name})" for a, v in values.items() if v
            )
            parts.append(f"{kind}: {sides}")
        return " · ".join([head, *parts]) if parts else f"{head}: {', '.join(names)}"

    def shared_words(self, claim: Claim, statement: Statement) -> tuple[Range, ...]:
        """Content words of ``statement`` that another statement of the claim also uses.

        The evidence for grouping: what the sources have in common, word by word.
        """
        own: dict[str, list[Range]] = {}
        for t in tokens(statement.text):
            if is_content(t.text):
                own.setdefault(stem(t.text), []).append((t.start, t.end))
        elsewhere: set[str] = set()
        for sid in claim.statements:
            if sid != statement.id:
                text = self.analysis.statement(sid).text
                elsewhere |= {stem(t.text) for t in tokens(text) if is_content(t.text)}
        return tuple(sorted(r for key, ranges in own.items() if key in elsewhere for r in ranges))

    def close(self, a: str, b: str) -> bool:
        """Whether two clauses are close enough for a word diff to mean something."""
        return fuzz.ratio(a.lower(), b.lower()) >= CLOSE_ENOUGH

    def first_claim_statement(self, article: Article) -> Statement | None:
        """An article's first statement that belongs to a claim."""
        for s in self.analysis.statements:
            if s.article == article.id and s.kind is Kind.CLAIM and self.analysis.claims_of(s.id):
                return s
        return None


@dataclass(slots=True)
class OtherReviewers:
    """The other reviewers' files in the annotation directory, re-read when they change."""

    directory: Path
    own: Path
    reviews: list[AnnotationStore] = field(default_factory=list)
    _stamp: tuple[tuple[str, int], ...] = ()

    def _changed_on_disk(self) -> bool:
        stamp: list[tuple[str, int]] = []
        with contextlib.suppress(OSError):
            for p in sorted(self.directory.glob("*.json")):
                if p != self.own:
                    stamp.append((p.name, p.stat().st_mtime_ns))
        if tuple(stamp) == self._stamp:
            return False
        self._stamp = tuple(stamp)
        return True

    def refresh(self, analysis: Analysis) -> set[str]:
        """Re-read the files if any changed on disk; returns the claim ids whose tags moved."""
        if not self._changed_on_disk():
            return set()
        before = self._tags()
        own = self.own.resolve()
        self.reviews = [
            r for r in load_reviews(self.directory, analysis) if r.path.resolve() != own
        ]
        after = self._tags()
        return {cid for cid in before.keys() | after.keys() if before.get(cid) != after.get(cid)}

    def _tags(self) -> dict[str, tuple[tuple[str, str | None], ...]]:
        tags: dict[str, list[tuple[str, str | None]]] = {}
        for r in self.reviews:
            for a in r.annotations.values():
                if a.attached_to is not None:
                    tags.setdefault(a.attached_to, []).append((r.reviewer, r.tag_of(a.attached_to)))
        return {cid: tuple(sorted(v, key=str)) for cid, v in tags.items()}

    def summary(self, claim: Claim) -> str:
        """Other reviewers' tags on a claim, e.g. ``✓2 ✗1``."""
        counts: dict[str, int] = {}
        for r in self.reviews:
            tag = r.tag_of(claim.id)
            if tag:
                counts[tag] = counts.get(tag, 0) + 1
        return " ".join(f"{TAG_GLYPH[t]}{counts[t]}" for t in TAGS if t in counts)

    def tags_of(self, claim: Claim) -> dict[str, str | None]:
        """Reviewer name -> tag, for the reviewers who annotated the claim."""
        return {r.reviewer: r.tag_of(claim.id) for r in self.reviews if r.for_claim(claim.id)}


def tagged_by_story(analysis: Analysis, tag_of: Callable[[str], str | None]) -> dict[str, int]:
    """How many claims of each story carry a tag (story id -> count), in one pass."""
    tagged = {story.id: 0 for story in analysis.stories}
    for c in analysis.claims:
        if tag_of(c.id) is not None:
            tagged[c.story] = tagged.get(c.story, 0) + 1
    return tagged


def describe(change: Change, *, redo: bool = False) -> str:
    """What an undo or redo did, e.g. ``Undone: tag confirmed → none``."""
    verb = "Redone" if redo else "Undone"
    return f"{verb}: {change.field} {change.before or 'none'} → {change.after or 'none'}"


def find_all(text: str, term: str, *, words: bool = False) -> tuple[Range, ...]:
    """Every occurrence of ``term`` in ``text``, any case; ``words``: not inside a word."""
    if not term:
        return ()
    flags = re.IGNORECASE
    pattern = re.escape(term)
    if words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    return tuple((m.start(), m.end()) for m in re.finditer(pattern, text, flags))
