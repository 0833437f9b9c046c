"""Grouping the articles of a corpus into stories before any claim is made.

A folder may hold a day of news: many stories, some of the same kind (two earthquakes, two
celebrities entering rehab) that share most of their vocabulary. Articles are compared as
documents: TF-IDF over the content stems of their statements, with names (people, places,
bodies) weighted up, since two stories of one kind differ mostly in who and where. Stories
are the groups that ``align.agglomerate`` forms on the top neighbours of each article: it
merges two groups only when the pairs between them are alike on average and cover the
smaller group, so a single pair of similar articles cannot chain two stories together.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from tui.core.analysis.align import agglomerate, names
from tui.core.analysis.similarity import features
from tui.core.model import Article, Kind, Statement, Story


@dataclass(frozen=True, slots=True)
class StoryConfig:
    """How alike two articles must be to report one story.

    Fitted on the ECB+ dev split, all 496 articles in one folder and each topic alone (two
    stories of one kind per topic): at 0.3, 87% of the article pairs put together belong
    together and 84% of those that belong together are (0.25: 80% / 89%; 0.35: 92% / 71%).
    """

    threshold: float = 0.3
    coverage: float = 0.5
    top_k: int = 30
    name_weight: float = 4.0
    # A word in more articles than this proposes candidates in a sample of that many only:
    # the product stays sparse on a day of news, and the cost linear in the corpus.
    max_df: int = 400
    # Word rarity is judged as if the corpus were drawn from this many more articles of news,
    # so that one story's own words weigh alike in a folder of one story and in a day of news.
    background: int = 3000


def _article_terms(statements: Sequence[Statement]) -> Counter[str]:
    terms: Counter[str] = Counter()
    for s in statements:
        if s.kind is Kind.BOILERPLATE:
            continue
        terms.update(f for f in features(s.text) if not f.startswith("<"))
        terms.update(f"@{n}" for n in names(s.text))
    return terms


def _vectors(per_article: list[Counter[str]], config: StoryConfig) -> sparse.csr_matrix:
    df: Counter[str] = Counter()
    for terms in per_article:
        df.update(terms.keys())
    n = len(per_article)
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, terms in enumerate(per_article):
        weights = {}
        for term, tf in terms.items():
            idf = math.log((n + config.background) / (df[term] + 1))
            boost = config.name_weight if term.startswith("@") else 1.0
            weights[term] = (1 + math.log(tf)) * idf * boost
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for term in sorted(weights):
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(weights[term] / norm)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(len(vocab), 1)))


def _blocking(matrix: sparse.csr_matrix, max_df: int) -> sparse.csr_matrix:
    """The matrix with each word kept in at most about ``max_df`` articles.

    A word of a big story is in thousands of its articles: kept everywhere it would make
    the product quadratic, dropped it would leave those articles nothing to meet on. Each
    such word keeps a fixed pseudo-random sample of its articles instead (a different one
    per word), so every article still meets others through some of its words.
    """
    coo = matrix.tocoo()
    df = np.bincount(coo.col, minlength=matrix.shape[1])
    common = df[coo.col] > max_df
    if not common.any():
        return matrix
    draw = (
        coo.row.astype(np.uint64) * np.uint64(2654435761)
        + coo.col.astype(np.uint64) * np.uint64(40503)
    ) % np.uint64(1 << 32)
    keep = ~common | (draw % df[coo.col].astype(np.uint64) < np.uint64(max_df))
    return sparse.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=matrix.shape)


def _neighbour_scores(
    matrix: sparse.csr_matrix, top_k: int, max_df: int
) -> dict[tuple[int, int], float]:
    """Each article's top neighbours by cosine of the full vectors, found by blocking."""
    block = _blocking(matrix, max_df)
    bt = block.T.tocsc()
    lefts: list[int] = []
    rights: list[int] = []
    chunk = 1000
    for start in range(0, block.shape[0], chunk):
        product = (block[start : start + chunk] @ bt).tocsr()
        for r in range(product.shape[0]):
            row = start + r
            lo, hi = product.indptr[r], product.indptr[r + 1]
            cols, vals = product.indices[lo:hi], product.data[lo:hi]
            mask = cols != row
            cols, vals = cols[mask], vals[mask]
            if len(cols) > top_k:
                cols = cols[np.argsort(-vals, kind="stable")[:top_k]]
            for c in cols.tolist():
                lefts.append(min(row, c))
                rights.append(max(row, c))
    if not lefts:
        return {}
    pairs = np.unique(np.stack([np.array(lefts), np.array(rights)], axis=1), axis=0)
    full = np.asarray(matrix[pairs[:, 0]].multiply(matrix[pairs[:, 1]]).sum(axis=1)).ravel()
    return {
        (int(i), int(j)): float(v) for (i, j), v in zip(pairs.tolist(), full.tolist(), strict=True)
    }


def story_id(articles: Sequence[Article]) -> str:
    """Stable across runs and across articles added later: from the first file by name."""
    first = min(a.file for a in articles)
    return "s" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:10]


def group_stories(
    articles: Sequence[Article],
    statements_of: dict[str, list[Statement]],
    config: StoryConfig | None = None,
) -> list[Story]:
    """The stories of a corpus, in the order of their first article."""
    config = config or StoryConfig()
    if not articles:
        return []
    centre: dict[int, int] = {}
    if len(articles) <= 2:
        groups: list[list[int]] = [list(range(len(articles)))]
    else:
        per_article = [_article_terms(statements_of.get(a.id, [])) for a in articles]
        matrix = _vectors(per_article, config)
        scores = _neighbour_scores(matrix, config.top_k, config.max_df)
        groups = agglomerate(
            len(articles), scores, config.threshold, config.threshold, config.coverage
        )
        grouped = {i for g in groups for i in g}
        groups += [[i] for i in range(len(articles)) if i not in grouped]
        groups.sort(key=lambda g: g[0])
        # The most central article of a group titles it: the highest sum of its scored
        # pairs inside the group (one pass over the pairs, not over every pair of members).
        group_of = {i: g[0] for g in groups for i in g}
        strength: dict[int, float] = defaultdict(float)
        for (i, j), score in scores.items():
            if group_of[i] == group_of[j]:
                strength[i] += score
                strength[j] += score
        for g in groups:
            if len(g) > 2:
                centre[g[0]] = max(g, key=lambda i: (strength[i], -i))
    stories = []
    for g in groups:
        members = [articles[i] for i in g]
        lead = articles[centre.get(g[0], g[0])]
        stories.append(
            Story(id=story_id(members), title=lead.title, articles=tuple(a.id for a in members))
        )
    return stories
