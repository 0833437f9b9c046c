"""How far reviewers agree on their tags: per-claim table and agreement statistics.

The coefficients come from NLTK's ``AnnotationTask`` (Apache-2.0; the ``krippendorff``
package is GPL-3.0): Cohen's kappa for two reviewers and Krippendorff's
alpha (nominal) for any number, with missing tags allowed. A claim counts once two or more
reviewers have tagged it; a cleared tag counts as no tag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from nltk.metrics.agreement import AnnotationTask

from tui.core.model import Analysis, Claim
from tui.core.review.annotations import AnnotationStore


@dataclass(frozen=True, slots=True)
class ClaimTags:
    """The tags each reviewer gave one claim."""

    claim: Claim
    tags: dict[str, str]

    @property
    def disagreement(self) -> bool:
        """Two or more reviewers tagged it, differently."""
        return len(set(self.tags.values())) > 1


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement statistics over the claims tagged by two or more reviewers."""

    reviewers: list[str]
    items: int
    percent: float | None
    kappa: float | None
    alpha: float | None


def tag_table(analysis: Analysis, reviews: list[AnnotationStore]) -> list[ClaimTags]:
    """Every claim tagged by at least one reviewer, in corpus order."""
    rows = []
    for claim in analysis.claims:
        tags = {r.reviewer: t for r in reviews if (t := r.tag_of(claim.id)) is not None}
        if tags:
            rows.append(ClaimTags(claim, tags))
    return rows


def statistics(rows: list[ClaimTags]) -> Agreement:
    """Percent agreement, Cohen's kappa (exactly two reviewers) and Krippendorff's alpha."""
    reviewers = sorted({r for row in rows for r in row.tags})
    shared = [row for row in rows if len(row.tags) >= 2]
    if not shared:
        return Agreement(reviewers, 0, None, None, None)
    data = [(r, row.claim.id, tag) for row in shared for r, tag in row.tags.items()]
    task = AnnotationTask(data)
    percent = sum(_pair_agreement(list(row.tags.values())) for row in shared) / len(shared)
    kappa = None
    if len(reviewers) == 2:
        both = [row for row in shared if len(row.tags) == 2]
        if both:
            data2 = [(r, row.claim.id, t) for row in both for r, t in row.tags.items()]
            kappa = _safe(AnnotationTask(data2).kappa)
    alpha = _safe(task.alpha)
    return Agreement(reviewers, len(shared), percent, kappa, alpha)


def _pair_agreement(tags: list[str]) -> float:
    """Share of agreeing reviewer pairs on one claim (NLTK's needs every reviewer on it)."""
    pairs = list(combinations(tags, 2))
    return sum(a == b for a, b in pairs) / len(pairs)


def _safe(compute: Callable[[], float]) -> float | None:
    """A coefficient is undefined on degenerate data (NLTK then divides by zero)."""
    try:
        return float(compute())
    except ZeroDivisionError:
        return None
