"""Grouping the articles of a corpus into stories before any claim is made.

A folder may hold a day of news: many stories, some of the same kind (two earthquakes, two
celebrities entering rehab) that share most of their vocabulary. Articles are compared as
documents: TF-IDF over the content stems of their statements, with names (people, places,
bodies) weighted up, since two stories of one kind differ mostly in who and where, and so
are the years, months and weekdays of each article's opening statements: news dates its event
up front, and two stories of one kind (two elections in one country) differ in when. Stories
are the groups that ``align.agglomerate`` forms on the top neighbours of each article: it
merges two groups only when the pairs between them are alike on average and cover the
smaller group, so a single pair of similar articles cannot chain two stories together.
Two stories of one kind can still be alike on average; each group is then cut in two by
its normalised-cut bisection when that leaves nearly every article's nearest neighbours on
its own side and the articles across the cut are clearly less alike than those within.
Last, an article that another story's members fit better than its own moves there, and one
they fit nearly as well becomes a story of its own.
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from tui.core.analysis.align import agglomerate, names
from tui.core.analysis.settings import StoryConfig
from tui.core.analysis.similarity import features, row_cosines
from tui.core.model import Article, Kind, Statement, Story

_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_TIME = re.compile(
    r"\b(?:(?P<year>(?:19|20)\d\d)|(?P<word>"
    + "|".join(w.capitalize() for w in _MONTHS + _WEEKDAYS)
    # An abbreviated month only before a day ("Jan. 5"): "Jan" alone is as often a name.
    + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?=\s\d)))(?![\w-])"
)


def _when(text: str) -> list[str]:
    """The years, months and weekdays a text names, months and weekdays spelled in full."""
    out = []
    for m in _TIME.finditer(text):
        if m.group("year"):
            out.append(m.group("year"))
        else:
            w = m.group("word").lower().rstrip(".")
            out.append(next((x for x in _MONTHS + _WEEKDAYS if x.startswith(w)), w))
    return out


def _article_terms(statements: Sequence[Statement], config: StoryConfig) -> Counter[str]:
    terms: Counter[str] = Counter()
    lede = 0
    for s in statements:
        if s.kind is Kind.BOILERPLATE:
            continue
        terms.update(f for f in features(s.text) if not f.startswith("<"))
        terms.update(f"@{n}" for n in names(s.text))
        if lede < config.when_lede:
            terms.update(f"~{w}" for w in _when(s.text))
        lede += 1
    return terms


def _vectors(
    articles_statements: Sequence[Sequence[Statement]], config: StoryConfig
) -> sparse.csr_matrix:
    """The articles' L2-normalised TF-IDF rows.

    Each article's terms are kept as arrays of vocabulary ids until every document frequency
    is known (a counter of strings per article held ~1 GB at 10,000 articles); the weights
    are then computed one article at a time, in the same order and with the same float
    operations as from the counters, so the matrix is the same to the last bit.
    """
    vocab: dict[str, int] = {}
    # 0: a word, 1: a name, 2: a time of the lede; indexes the weights below.
    term_kind = bytearray()
    # Per article: ids and term frequencies in the order the terms were first met (which
    # the norm is summed in), and the ids in term order (the order of the row's entries).
    seen: list[tuple[array[int], array[int], array[int]]] = []
    for statements in articles_statements:
        terms = _article_terms(statements, config)
        for term in sorted(terms):
            if term not in vocab:
                vocab[term] = len(vocab)
                term_kind.append({"@": 1, "~": 2}.get(term[0], 0))
        seen.append(
            (
                array("i", (vocab[t] for t in terms)),
                array("i", terms.values()),
                array("i", (vocab[t] for t in sorted(terms))),
            )
        )
    n = len(seen)
    ids_all = np.concatenate(
        [np.frombuffer(ids, dtype=np.int32) for ids, _tf, _s in seen]
        or [np.zeros(0, dtype=np.int32)]
    )
    df: list[int] = np.bincount(ids_all, minlength=len(vocab)).tolist()
    del ids_all
    boosts = (1.0, config.name_weight, config.when_weight)
    rows: array[int] = array("i")
    cols: array[int] = array("i")
    vals: array[float] = array("d")
    for i, (ids, tfs, by_term) in enumerate(seen):
        weights: dict[int, float] = {}
        for k, tf in zip(ids, tfs, strict=True):
            idf = math.log((n + config.background) / (df[k] + 1))
            weights[k] = (1 + math.log(tf)) * idf * boosts[term_kind[k]]
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for k in by_term:
            rows.append(i)
            cols.append(k)
            vals.append(weights[k] / norm)
    return sparse.csr_matrix(
        (
            np.frombuffer(vals, dtype=np.float64),
            (np.frombuffer(rows, dtype=np.int32), np.frombuffer(cols, dtype=np.int32)),
        ),
        shape=(n, max(len(vocab), 1)),
    )


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
    # In slices of pairs: the rows of every pair at once held 2.6 GB at 10,000 articles.
    full = row_cosines(matrix, pairs[:, 0], pairs[:, 1])
    return {
        (int(i), int(j)): float(v) for (i, j), v in zip(pairs.tolist(), full.tolist(), strict=True)
    }


_DENSE_EIGEN = 300  # groups up to this size are solved densely, larger ones by ARPACK


def _bisection(weights: sparse.csr_matrix) -> np.ndarray:
    """The normalised-cut bisection of a weighted graph (Shi & Malik): True on one side.

    Members are ordered by the Fiedler vector of the normalised Laplacian (the second
    eigenvector of the normalised adjacency) and cut where the normalised cut is smallest.
    """
    n = weights.shape[0]
    degree = np.asarray(weights.sum(axis=1)).ravel()
    inv_sqrt = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    scale = sparse.diags(inv_sqrt)
    normalised = (scale @ weights @ scale).tocsr()
    if n <= _DENSE_EIGEN:
        _values, vectors = np.linalg.eigh(normalised.toarray())
        second = vectors[:, -2]
    else:
        # Imported here: scipy.sparse.linalg costs every run 35 ms, and only groups of over
        # 300 articles need it.
        from scipy.sparse.linalg import eigsh

        _values, vectors = eigsh(normalised, k=2, which="LA", v0=np.ones(n), tol=1e-6)
        second = vectors[:, int(np.argmin(_values))]
    fiedler = second * inv_sqrt
    order = np.argsort(fiedler, kind="stable")
    total = float(degree.sum())
    # Sweep: the cut and the volume of the first side grow one member at a time.
    inside = np.zeros(n, dtype=bool)
    indptr, indices, data = weights.indptr, weights.indices, weights.data
    cut = volume = 0.0
    best, best_at = math.inf, 1
    for k, v in enumerate(order[:-1].tolist()):
        lo, hi = indptr[v], indptr[v + 1]
        cut += degree[v] - 2.0 * float(data[lo:hi][inside[indices[lo:hi]]].sum())
        volume += degree[v]
        inside[v] = True
        other = total - volume
        if volume > 0 and other > 0:
            ncut = cut / volume + cut / other
            if ncut < best:
                best, best_at = ncut, k + 1
    side = np.zeros(n, dtype=bool)
    side[order[:best_at]] = True
    return side


def _cut_ratio(weights: sparse.csr_matrix, side: np.ndarray) -> float:
    """Mean scored pair across a cut over the geometric mean of the two sides' own."""
    coo = weights.tocoo()
    left, right = side[coo.row], side[coo.col]
    means = []
    for mask in (left & right, ~left & ~right, left != right):
        means.append(float(coo.data[mask].mean()) if mask.any() else 0.0)
    inside = math.sqrt(means[0] * means[1])
    return means[2] / inside if inside > 0 else math.inf


def _split(
    group: list[int], scores: dict[int, dict[int, float]], config: StoryConfig
) -> list[list[int]]:
    """A group cut into the stories it holds: bisected while the cut leaves each article's
    nearest neighbours on its own side (see ``StoryConfig.split_purity``)."""
    if len(group) < 2 * config.split_min:
        return [group]
    index = {m: n for n, m in enumerate(group)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    nearest: list[list[int]] = []
    k = config.split_neighbours
    for n, m in enumerate(group):
        inside = sorted(
            ((score, index[other]) for other, score in scores[m].items() if other in index),
            key=lambda e: (-e[0], e[1]),
        )
        for score, other in inside:
            rows.append(n)
            cols.append(other)
            vals.append(score)
        nearest.append([other for _score, other in inside[:k]])
    size = len(group)
    weights = sparse.csr_matrix((vals, (rows, cols)), shape=(size, size))
    side = _bisection(weights)
    if min(int(side.sum()), int((~side).sum())) < config.split_min:
        return [group]
    same = [side[o] == side[n] for n, others in enumerate(nearest) for o in others]
    if not same or sum(same) / len(same) < config.split_purity:
        return [group]
    if _cut_ratio(weights, side) > config.split_ratio:
        return [group]
    parts = [
        [m for m, s in zip(group, side.tolist(), strict=True) if s == flag]
        for flag in (True, False)
    ]
    return [g for part in parts for g in _split(part, scores, config)]


def _fit(scores: list[float], k: int) -> float:
    """The mean of the ``k`` best scores, a missing one counting as 0."""
    return sum(sorted(scores, reverse=True)[:k]) / k


def _refit(
    groups: list[list[int]], scores: dict[int, dict[int, float]], config: StoryConfig
) -> list[list[int]]:
    """The groups with each article that another story fits as well as its own moved out.

    An article's fit to a group is the mean of its ``fit_neighbours`` best scores to the
    group's members, for groups of ``fit_min`` members or more (itself left out of its own).
    An article another group fits better joins that group; one that another group fits
    nearly as well (``fit_ratio`` of its own fit or more) is a story of its own, since its
    claims would otherwise join two stories. One pass, decided on the groups as they were
    (ties to the first group), over each article's scored neighbours only.
    """
    group_of = {i: n for n, g in enumerate(groups) for i in g}
    k = config.fit_neighbours
    moved: dict[int, int | None] = {}  # article -> the group it joins, None: alone
    for home, g in enumerate(groups):
        if len(g) - 1 < config.fit_min:
            continue
        for i in g:
            by_group: dict[int, list[float]] = defaultdict(list)
            for j, score in scores.get(i, {}).items():
                by_group[group_of[j]].append(score)
            own_fit = _fit(by_group.get(home, []), k)
            best, best_fit = -1, -math.inf
            for other in sorted(by_group):
                if other == home or len(groups[other]) < config.fit_min:
                    continue
                fit = _fit(by_group[other], k)
                if fit > best_fit:
                    best, best_fit = other, fit
            if best < 0:
                continue
            if best_fit > own_fit:
                moved[i] = best
            elif best_fit >= config.fit_ratio * own_fit:
                moved[i] = None
    if not moved:
        return groups
    refit: list[list[int]] = [[i for i in g if i not in moved] for g in groups]
    for i, target in sorted(moved.items()):
        if target is None:
            refit.append([i])
        else:
            refit[target].append(i)
    out = [sorted(g) for g in refit if g]
    out.sort(key=lambda g: g[0])
    return out


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
        matrix = _vectors([statements_of.get(a.id, []) for a in articles], config)
        scores = _neighbour_scores(matrix, config.top_k, config.max_df)
        groups = agglomerate(
            len(articles), scores, config.threshold, config.threshold, config.coverage
        )
        adjacency: dict[int, dict[int, float]] = defaultdict(dict)
        for (i, j), score in scores.items():
            adjacency[i][j] = score
            adjacency[j][i] = score
        groups = [part for g in groups for part in _split(g, adjacency, config)]
        grouped = {i for g in groups for i in g}
        groups += [[i] for i in range(len(articles)) if i not in grouped]
        groups.sort(key=lambda g: g[0])
        groups = _refit(groups, adjacency, config)
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
