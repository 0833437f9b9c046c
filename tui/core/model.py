"""The data model shared by every stage: articles, statements, claims, divergences."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """What a statement is: only ``claim`` statements take part in claims.

    A heading that states a fact its story's other sources report (a headline joined to
    their claim by the analysis) is a claim statement from then on."""

    CLAIM = "claim"
    HEADING = "heading"
    BOILERPLATE = "boilerplate"


class Status(StrEnum):
    """How the sources relate on one claim."""

    OVERLAP = "overlap"
    DIVERGENT = "divergent"
    UNIQUE = "unique"


class DivergenceKind(StrEnum):
    """What two aligned statements disagree on."""

    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"
    ENTITY = "entity"
    NEGATION = "negation"
    HEDGE = "hedge"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Article:
    """One source file, decoded."""

    id: str
    path: Path
    title: str
    sha256: str
    text: str
    # What identifies the article across runs (annotations, exports): the file's base
    # name, or its path from the corpus root when two files share a base name.
    file: str = ""
    # Where the article was published, when the page or its front matter says.
    url: str | None = None
    source: str | None = None
    published: str | None = None

    @property
    def display_name(self) -> str:
        """How a reviewer names the article: its publisher where known, else its file."""
        return self.source or self.file

    def __post_init__(self) -> None:
        if not self.file:
            object.__setattr__(self, "file", self.path.name)


@dataclass(frozen=True, slots=True)
class Statement:
    """A span of an article: ``article.text[start:end] == text``."""

    id: str
    article: str
    index: int
    start: int
    end: int
    text: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Value:
    """A compared detail as one statement writes it; offsets index the article's text."""

    statement: str
    text: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Divergence:
    """One disagreement between two aligned statements."""

    kind: DivergenceKind
    statements: tuple[str, str]
    detail: str
    values: tuple[Value, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    """The part of a statement that states a claim's fact; offsets index the article's text."""

    statement: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Story:
    """Articles of a corpus that report the same event; claims never cross stories."""

    id: str
    title: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    """Statements from one or more articles that state the same fact."""

    id: str
    status: Status
    statements: tuple[str, ...]
    divergences: tuple[Divergence, ...] = ()
    story: str = ""
    # One per member statement, in the same order: the clause that states this fact.
    spans: tuple[Span, ...] = ()

    def span_of(self, statement_id: str) -> Span | None:
        """The part of ``statement_id`` that states this claim, if the claim records it."""
        for span in self.spans:
            if span.statement == statement_id:
                return span
        return None

    @property
    def size(self) -> int:
        """How many statements carry the claim."""
        return len(self.statements)


@dataclass(slots=True)
class Analysis:
    """The result of analysing a corpus; the app and the exports read only this."""

    articles: list[Article]
    statements: list[Statement]
    claims: list[Claim]
    warnings: list[str] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    _by_id: dict[str, Statement] = field(default_factory=dict, repr=False)
    _claims_of: dict[str, list[Claim]] = field(default_factory=dict, repr=False)
    _articles: dict[str, Article] = field(default_factory=dict, repr=False)
    _claims: dict[str, Claim] = field(default_factory=dict, repr=False)
    _position: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {s.id: s for s in self.statements}
        self._articles = {a.id: a for a in self.articles}
        self._position = {a.id: n for n, a in enumerate(self.articles)}
        self._claims = {c.id: c for c in self.claims}
        for claim in self.claims:
            for sid in claim.statements:
                self._claims_of.setdefault(sid, []).append(claim)

    def statement(self, statement_id: str) -> Statement:
        """Look a statement up by id."""
        return self._by_id[statement_id]

    def article(self, article_id: str) -> Article:
        """Look an article up by id."""
        return self._articles[article_id]

    def claim(self, claim_id: str) -> Claim | None:
        """Look a claim up by id; None when this analysis has no such claim."""
        return self._claims.get(claim_id)

    def claims_of(self, statement_id: str) -> list[Claim]:
        """The claims a statement belongs to (none for headings and boilerplate)."""
        return self._claims_of.get(statement_id, [])

    def story(self, story_id: str) -> Story | None:
        """Look a story up by id; None when this analysis has no such story."""
        return next((s for s in self.stories if s.id == story_id), None)

    def for_story(self, story_id: str) -> Analysis:
        """The articles, statements and claims of one story, as an analysis of their own."""
        story = self.story(story_id)
        if story is None:
            raise KeyError(story_id)
        members = set(story.articles)
        return Analysis(
            articles=[a for a in self.articles if a.id in members],
            statements=[s for s in self.statements if s.article in members],
            claims=[c for c in self.claims if c.story == story_id],
            warnings=list(self.warnings),
            stories=[story],
        )

    def limited_to(self, story_id: str | None) -> Analysis:
        """This analysis with one story's claims only (``--story``): every article,
        statement and story is still listed. None keeps every claim."""
        if story_id is None:
            return self
        return Analysis(
            articles=self.articles,
            statements=self.statements,
            claims=[c for c in self.claims if c.story == story_id],
            warnings=self.warnings,
            stories=self.stories,
        )

    def sources_of(self, claim: Claim) -> list[str]:
        """The distinct article ids that carry a claim, in corpus order."""
        seen = {self._by_id[s].article for s in claim.statements}
        # Sorted by corpus position, not found by a walk over every article: the claim list
        # of a thousand articles asks this for each of its 13,000 claims.
        position = self._position
        return sorted((a for a in seen if a in position), key=position.__getitem__)
