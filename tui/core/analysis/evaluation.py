"""Scoring an analysis against hand labels: pairwise precision, recall and F1."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from tui.core.model import Analysis, Statement, Status

Pair = frozenset[str]


@dataclass(frozen=True, slots=True)
class Scores:
    """Pairwise quality of the predicted claims."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    gold: int


def find(analysis: Analysis, ref: list[str]) -> Statement:
    """The statement of article prefix ``ref[0]`` containing the snippet ``ref[1]``.

    A line an article repeats word for word (a headline printed again above the body) is
    one statement said twice: its first occurrence is the one named."""
    prefix, snippet = ref
    hits = [
        s
        for s in analysis.statements
        if s.article.startswith(prefix) and snippet.lower() in s.text.lower()
    ]
    if len({(s.article, s.text) for s in hits}) == 1:
        hits = hits[:1]
    if len(hits) != 1:
        raise LookupError(f"{prefix} {snippet!r}: {len(hits)} statements match")
    return hits[0]


def predicted_pairs(analysis: Analysis) -> set[Pair]:
    """Cross-article statement pairs that share a multi-source claim."""
    pairs: set[Pair] = set()
    for claim in analysis.claims:
        if claim.status is Status.UNIQUE:
            continue
        for a, b in combinations(claim.statements, 2):
            if analysis.statement(a).article != analysis.statement(b).article:
                pairs.add(frozenset((a, b)))
    return pairs


def gold_pairs(analysis: Analysis, labels: dict[str, Any]) -> set[Pair]:
    """Cross-article pairs inside each labelled claim."""
    pairs: set[Pair] = set()
    for claim in labels["claims"]:
        members = [find(analysis, ref) for ref in claim["members"]]
        for a, b in combinations(members, 2):
            if a.article != b.article:
                pairs.add(frozenset((a.id, b.id)))
    return pairs


def score(predicted: set[Pair], gold: set[Pair]) -> Scores:
    """Precision, recall and F1 of predicted pairs against gold pairs."""
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(p, r, f1, tp, len(predicted), len(gold))


def load_labels(path: Path) -> dict[str, Any]:
    """Read a labels file (see ``tests/data/seed_labels.json``)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
