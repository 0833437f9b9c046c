"""Grouping statements from different articles that state the same fact into claims.

Four steps, each replaceable:

1. Units. Each statement is compared whole and clause by clause, because compound news
   sentences ("…expanding its London operations, which currently employ over 100 staff")
   carry several facts whose halves match different statements elsewhere.
2. Candidates. A sparse matrix of features, without those too common to tell statements
   apart (an absolute document-frequency cap, so the product stays sparse however large the
   corpus), gives each unit its top-k neighbours from other articles.
3. Pairs. A small logistic model (``pair_model``), fitted on public labelled news, turns
   several signals of a candidate pair into the probability that both state one fact: the
   slot-masked lexical score of the whole statements and of their best clauses, how the pair
   ranks among each side's matches in the other article, shared names and value slots.
4. Claims. Agglomerative clustering over the pair graph with running sums of the
   probabilities between clusters: two groups merge only when the pairs observed between
   them are, on average, the same fact and cover the smaller group, so one strong pair cannot
   chain two facts together. A statement that carries several facts then joins the further
   claims its other clauses state.
5. Openings. News reports its main event first, so the first few statements of each article
   are clustered again among themselves on weaker evidence (the whole statements' score, a
   lower threshold): the claim that every source opens with.

Nothing here reads a value (an amount, a date, a number): those enter similarity as typed
slots only, so a source that got one detail wrong still aligns with the others and the
divergence check can show it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from scipy import sparse

from tui.core.analysis import quantities
from tui.core.analysis.settings import AlignConfig
from tui.core.analysis.similarity import LexicalScorer, Scorer, features, row_cosines
from tui.core.analysis.text import STOP_WORDS, TEXT_CACHE, is_content, stem
from tui.core.model import Kind, Statement

# Clause boundaries: relative clauses, dashes, semicolons, colons, parentheses, and
# coordinations introduced by a comma.
_CLAUSE_BREAK = re.compile(
    r"\s*(?:;|(?<!\d):|:(?!\d)|\(|\)|—|–|\s-\s|\s(?=and (?:has|have|had|will|is|are|was|were)\b)"
    r"|,\s(?=(?:which|who|where|while|whereas|and|but|with|as|"
    r"including|although|though|after|before|since|because|a move|a process|"
    r"aimed|aiming|making|leaving|arguing|stating|saying|reinforcing|contributing|"
    r"supporting|revitali[sz]ing|integrating|promising|leveraging|backed)\b))\s*"
)
_MIN_CLAUSE_WORDS = 3
_MIN_UNIT_FEATURES = 3


class Unit(NamedTuple):
    """A statement or one clause of it, the thing that is compared.

    Named tuples, not frozen dataclasses: a dense story makes hundreds of thousands of
    units and links, and a frozen dataclass's constructor costs three times as much."""

    statement: int
    start: int
    end: int
    text: str


class Link(NamedTuple):
    """A candidate pair of statements: the probability they state one fact, and how.

    ``left`` and ``right`` are the best-matching units (the statements' clauses or wholes).
    """

    score: float
    left: Unit
    right: Unit
    # Proposed only because both statements open their articles (see ``AlignConfig.lede``):
    # the general clustering leaves it out.
    lede: bool = False
    # When both statements open their articles: the score of the whole statements, which
    # the claims of opening statements are made from.
    opening: float | None = None


@lru_cache(maxsize=200_000)
def _is_content(word: str) -> bool:
    # Per word, cached: a story's vocabulary is small next to its running text.
    return is_content(word)


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text`` worth comparing on their own (none if just one)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        words = sum(1 for w in text[start:end].split() if _is_content(w))
        if merged and words < _MIN_CLAUSE_WORDS:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    # A short first clause joins the next one ("However, X" → one clause).
    if len(merged) > 1:
        first = merged[0]
        if sum(1 for w in text[first[0] : first[1]].split() if _is_content(w)) < _MIN_CLAUSE_WORDS:
            merged[0:2] = [(first[0], merged[1][1])]
    return merged if len(merged) > 1 else []


def make_units(statements: Sequence[Statement]) -> list[Unit]:
    """The whole of each statement, then each of its clauses."""
    units: list[Unit] = []
    for i, s in enumerate(statements):
        units.append(Unit(i, 0, len(s.text), s.text))
        for start, end in clauses(s.text):
            units.append(Unit(i, start, end, s.text[start:end]))
    return units


def _blocking_matrix(encoded: sparse.csr_matrix, config: AlignConfig) -> sparse.csr_matrix:
    """Drop features too common to tell candidates apart, so the product stays sparse.

    The cap is a share of the units in a small story (its own common words propose poor
    candidates) and never more than an absolute count, so the product grows linearly with
    the corpus.
    """
    df = np.bincount(encoded.indices, minlength=encoded.shape[1])
    limit = min(config.max_df, max(8, int(config.max_df_ratio * encoded.shape[0])))
    keep = np.flatnonzero(df <= limit)
    return encoded[:, keep].tocsr()


def _near_top(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries of each row within a hair of its k best, found without an exact sort.

    On dense coverage a unit meets hundreds of others and the exact three-key sort of every
    entry was most of the blocking's time. One sort by a single float key (row, then value,
    exact to ~1e-11) finds each row's k-th value; whatever is within 1e-9 of it goes on to
    the exact sort, so the chosen pairs are the same as from sorting everything.
    """
    if len(rows) <= k:
        return rows, cols, vals
    # Values are cosines of non-negative unit vectors: 2 - v lies in [1, 2], below the gap
    # of 4 between rows, so the key orders by row first.
    order = np.argsort(rows.astype(np.float64) * 4.0 + (2.0 - vals), kind="stable")
    srows = rows[order]
    at = (np.arange(len(srows)) - np.searchsorted(srows, srows, side="left")) == k - 1
    base = int(rows.min())
    kth = np.full(int(rows.max()) - base + 1, -np.inf)
    kth[srows[at] - base] = vals[order][at]
    keep = vals >= kth[rows - base] - 1e-9
    return rows[keep], cols[keep], vals[keep]


def candidate_pairs(
    encoded: sparse.csr_matrix, groups: np.ndarray, config: AlignConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k neighbours of every row from another group (article), as index pairs i < j."""
    block = _blocking_matrix(encoded, config)
    blockt = block.T.tocsc()
    lefts: list[np.ndarray] = []
    rights: list[np.ndarray] = []
    chunk = 2000
    k = config.top_k
    for start in range(0, block.shape[0], chunk):
        product = (block[start : start + chunk] @ blockt).tocsr()
        rows = np.repeat(np.arange(product.shape[0]) + start, np.diff(product.indptr))
        cols = product.indices
        vals = product.data
        mask = groups[cols] != groups[rows]
        rows, cols, vals = rows[mask], cols[mask], vals[mask]
        if len(rows) == 0:
            continue
        rows, cols, vals = _near_top(rows, cols, vals, k)
        # Per row, the k best columns: sort by (row, -value, col) and keep each row's head.
        order = np.lexsort((cols, -vals, rows))
        rows, cols = rows[order], cols[order]
        first = np.searchsorted(rows, rows, side="left")
        keep = (np.arange(len(rows)) - first) < k
        lefts.append(rows[keep])
        rights.append(cols[keep])
    if not lefts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    left = np.concatenate(lefts)
    right = np.concatenate(rights)
    pairs = np.unique(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


# ---------------------------------------------------------------------------- pair signals

_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’\-]*")


@lru_cache(maxsize=TEXT_CACHE)
def names(text: str) -> frozenset[str]:
    """Stems of capitalised words that are not a sentence opener: people, places, bodies."""
    out = set()
    for m in _CAPITAL.finditer(text.strip()):
        word = m.group()
        if word.lower() in STOP_WORDS:
            continue
        out.add(stem(word))
    return frozenset(out)


@lru_cache(maxsize=TEXT_CACHE)
def slot_types(text: str) -> frozenset[str]:
    """The kinds of value a statement gives (money in GBP, a year, a count of staff...)."""
    return frozenset(f"{q.kind}:{q.slot}" for q in quantities.extract(text))


FEATURES = (
    "best",  # best unit-pair score (slot-masked lexical cosine)
    "whole",  # score of the whole statements
    "rank",  # mean of 1/rank of the pair among each side's matches in the other article
    "mutual",  # 1 when each is the other's best match in its article
    "names",  # Jaccard overlap of capitalised names
    "names_only",  # names shared but few content words (a name alone does not make a fact)
    "slots",  # Jaccard overlap of value slot types
    "short",  # 1 / content words of the shorter statement
    "best_x_rank",
)


def _names_only(a: str, b: str) -> bool:
    """Whether all that ``a`` and ``b`` share are capitalised names (see ``names``)."""
    name_a, name_b = names(a), names(b)
    if not name_a and not name_b:
        return False
    shared = _stems(a) & _stems(b)
    return bool(shared) and shared <= name_a | name_b


def best_units(
    units: Sequence[Unit], unit_left: np.ndarray, unit_right: np.ndarray, unit_scores: np.ndarray
) -> dict[tuple[int, int], tuple[float, Unit, Unit]]:
    """For each statement pair (i < j), the best-scoring pair of their units."""
    best: dict[tuple[int, int], tuple[float, Unit, Unit]] = {}
    for i, j, score in zip(
        unit_left.tolist(), unit_right.tolist(), unit_scores.tolist(), strict=True
    ):
        ui, uj = units[i], units[j]
        if ui.statement > uj.statement:
            ui, uj = uj, ui
        key = (ui.statement, uj.statement)
        got = best.get(key)
        if got is None or score > got[0]:
            best[key] = (score, ui, uj)
    return best


def pair_signals(
    statements: Sequence[Statement],
    units: Sequence[Unit],
    encoded: sparse.csr_matrix,
    unit_left: np.ndarray,
    unit_right: np.ndarray,
    unit_scores: np.ndarray,
) -> tuple[list[tuple[int, int]], np.ndarray, list[tuple[Unit, Unit]]]:
    """Statement pairs from unit candidates, each with its signal vector and best units."""
    best = best_units(units, unit_left, unit_right, unit_scores)
    pairs = sorted(best)
    if not pairs:
        return [], np.zeros((0, len(FEATURES))), []
    # Whole-statement rows are the first unit of each statement.
    first_unit: dict[int, int] = {}
    for n, u in enumerate(units):
        first_unit.setdefault(u.statement, n)
    wl = np.array([first_unit[i] for i, _ in pairs])
    wr = np.array([first_unit[j] for _, j in pairs])
    whole = row_cosines(encoded, wl, wr)
    best_scores = np.array([best[p][0] for p in pairs])
    # Rank of each pair among a statement's candidates in the other article.
    by_side: dict[tuple[int, str], list[tuple[float, int]]] = defaultdict(list)
    for n, (i, j) in enumerate(pairs):
        by_side[(i, statements[j].article)].append((best_scores[n], n))
        by_side[(j, statements[i].article)].append((best_scores[n], n))
    inv_rank = np.zeros((len(pairs), 2))
    for (s, _article), entries in by_side.items():
        entries.sort(key=lambda e: (-e[0], e[1]))
        for r, (_score, n) in enumerate(entries):
            side = 0 if pairs[n][0] == s else 1
            inv_rank[n, side] = 1.0 / (r + 1)
    rows = np.zeros((len(pairs), len(FEATURES)))
    for n, (i, j) in enumerate(pairs):
        a, b = statements[i].text, statements[j].text
        na, nb = names(a), names(b)
        sa, sb = slot_types(a), slot_types(b)
        name_j = len(na & nb) / len(na | nb) if na | nb else 0.0
        words = min(len(features(a)), len(features(b)))
        rank = float(inv_rank[n].mean())
        rows[n] = (
            best_scores[n],
            whole[n],
            rank,
            1.0 if inv_rank[n].min() == 1.0 else 0.0,
            name_j,
            name_j if words <= 4 else 0.0,
            len(sa & sb) / len(sa | sb) if sa | sb else 0.0,
            1.0 / max(words, 1),
            best_scores[n] * rank,
        )
    units_of = [(best[p][1], best[p][2]) for p in pairs]
    return pairs, rows, units_of


def statement_links(
    statements: Sequence[Statement],
    scorer: Scorer | None = None,
    config: AlignConfig | None = None,
) -> dict[tuple[int, int], Link]:
    """Every candidate pair of statements (i < j) with its score and best-matching units.

    The score is the slot-masked lexical cosine of the best unit pair, or with
    ``config.score == "model"`` the pair model's probability (measured, not the default: see
    ``benchmarks/train_pairs.py``).
    """
    config = config or AlignConfig()
    scorer = scorer or LexicalScorer()
    # Word rarity from the statements alone: a headline restates its article's words, and
    # the claims made of statements must not shift because articles have headlines.
    scorer.fit([s.text for s in statements if s.kind is not Kind.HEADING])
    units = make_units(statements)
    if not units:
        return {}
    encoded = scorer.encode([u.text for u in units])
    article_ids = {a: k for k, a in enumerate(dict.fromkeys(s.article for s in statements))}
    groups = np.array([article_ids[statements[u.statement].article] for u in units])
    left, right = candidate_pairs(encoded, groups, config)
    # A unit of one or two content words ("However, concerns remain.") shares a word with
    # half the story: it may join a claim through its statement, never propose one.
    short = np.array([len(features(u.text)) < _MIN_UNIT_FEATURES for u in units], dtype=bool)
    # A headline sums up several facts and would glue them together: it links to other
    # headlines here, and to statements only through the opening statements' scores.
    heading = np.array([statements[u.statement].kind is Kind.HEADING for u in units], dtype=bool)
    if len(left):
        keep = ~(short[left] | short[right]) & (heading[left] == heading[right])
        left, right = left[keep], right[keep]
    scores = scorer.score_pairs(encoded, left, right)
    if config.score != "model":
        best = best_units(units, left, right, scores)
        if config.names_only:
            # Headlines are left as they are: in title case every word reads as a name.
            best = {
                p: v
                for p, v in best.items()
                if statements[p[0]].kind is Kind.HEADING
                or statements[p[1]].kind is Kind.HEADING
                or not _names_only(v[1].text, v[2].text)
            }
        links = {p: Link(score, ul, ur) for p, (score, ul, ur) in sorted(best.items())}
    else:
        pairs, rows, units_of = pair_signals(statements, units, encoded, left, right, scores)
        probs = config.model.predict(rows)
        links = {
            p: Link(float(prob), ul, ur)
            for p, prob, (ul, ur) in zip(pairs, probs.tolist(), units_of, strict=True)
        }
    _add_lede_links(statements, units, encoded, scorer, config, links)
    return dict(sorted(links.items()))


def lede_positions(
    article_of: Sequence[str], lede: int, heading: Sequence[bool] | None = None
) -> list[int]:
    """Indices of the statements among the first ``lede`` of their article (in order).

    With ``heading`` (a flag per statement), every heading is listed too but not counted:
    a headline opens its article without taking a statement's place."""
    seen: dict[str, int] = defaultdict(int)
    out: list[int] = []
    for i, article in enumerate(article_of):
        if heading is not None and heading[i]:
            out.append(i)
            continue
        if seen[article] < lede:
            out.append(i)
        seen[article] += 1
    return out


# Up to this many opening statements, each one's top-k partners are found by the full
# vectors; past it, among the blocking matrix's candidates (the commonest words left out).
_LEDE_EXACT = 2000


def _add_lede_links(
    statements: Sequence[Statement],
    units: Sequence[Unit],
    encoded: sparse.csr_matrix,
    scorer: Scorer,
    config: AlignConfig,
    links: dict[tuple[int, int], Link],
) -> None:
    """Give each opening statement's top-k partners (other articles' openings) their whole
    statements' score, adding a link where no unit proposed the pair."""
    lede = [
        i
        for i in lede_positions(
            [s.article for s in statements],
            config.lede,
            [s.kind is Kind.HEADING for s in statements],
        )
        if len(features(statements[i].text)) >= _MIN_UNIT_FEATURES
    ]
    if len(lede) < 2:
        return
    whole: dict[int, int] = {}
    for n, u in enumerate(units):
        whole.setdefault(u.statement, n)
    rows = np.array([whole[i] for i in lede])
    article_ids = {a: k for k, a in enumerate(dict.fromkeys(s.article for s in statements))}
    groups = np.array([article_ids[statements[i].article] for i in lede])
    if len(lede) <= _LEDE_EXACT:
        # Exact top-k by the full vectors: the story's common words still count here.
        sub = encoded[rows]
        product = (sub @ sub.T).toarray()
        product[groups[:, None] == groups[None, :]] = 0.0
        k = min(config.lede_top_k, len(lede) - 1)  # at least 1: there are two or more
        top = np.argpartition(-product, k - 1, axis=1)[:, :k]
        a = np.repeat(np.arange(len(lede)), top.shape[1])
        b = top.ravel()
        keep = product[a, b] > 0
        pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1)[keep], axis=0)
        a, b = pairs[:, 0], pairs[:, 1]
        values = product[a, b]
    else:
        sub = encoded[rows].tocsr()
        a, b = candidate_pairs(sub, groups, replace(config, top_k=config.lede_top_k))
        values = scorer.score_pairs(sub, a, b)
    for x, y, score in zip(a.tolist(), b.tolist(), values.tolist(), strict=True):
        i, j = lede[x], lede[y]
        link = links.get((i, j))
        if link is None:
            link = Link(float(score), units[whole[i]], units[whole[j]], lede=True)
        # The constructor, not dataclasses.replace: this runs for every opening pair.
        links[(i, j)] = Link(link.score, link.left, link.right, link.lede, float(score))


# ---------------------------------------------------------------------------- clustering


def agglomerate(
    n: int,
    scores: dict[tuple[int, int], float],
    threshold: float,
    merge: float,
    coverage: float | None = None,
) -> list[list[int]]:
    """Groups of items joined along scored pairs, strongest first, while the evidence holds.

    Pairs scoring ``threshold`` or more are taken strongest first. With ``coverage`` None,
    two groups merge when the mean score over all their cross pairs (an unscored pair counts
    as 0) reaches ``merge`` (average linkage); with a ``coverage``, when the mean over the
    pairs observed reaches ``merge`` and they number at least ``coverage`` times the smaller
    group. Either way one strong pair cannot chain two groups together. The sum and count
    of scores between
    every two groups are kept and folded together on a merge (small into large), so a merge
    test costs O(1) and the run grows with the number of pairs, not with the square of a
    group's size. Returns groups of two or more, each sorted.
    """
    owner = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    between: dict[int, dict[int, list[float]]] = defaultdict(dict)
    for (i, j), score in scores.items():
        # One accumulator seen from both sides, as every merged pair's is.
        between[i][j] = between[j][i] = [score, 1.0]
    # Strongest first, ties by index; plain tuples sort without a key function.
    edges = sorted((-score, i, j) for (i, j), score in scores.items() if score >= threshold)
    for _score, i, j in edges:
        a, b = owner[i], owner[j]
        if a == b:
            continue
        total, count = between[a].get(b, (0.0, 0.0))
        if coverage is None:
            # Average linkage: a pair never scored counts as 0.
            if total / (len(members[a]) * len(members[b])) < merge:
                continue
        elif (
            count == 0
            or total / count < merge
            or count < coverage * min(len(members[a]), len(members[b]))
        ):
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        members[a].extend(members[b])
        for x in members[b]:
            owner[x] = a
        del members[b]
        for c, (t, k) in between.pop(b).items():
            del between[c][b]
            if c == a:
                continue
            acc = between[a].setdefault(c, [0.0, 0.0])
            acc[0] += t
            acc[1] += k
            between[c][a] = acc
    return [sorted(m) for m in members.values() if len(m) > 1]


def cluster(
    n: int,
    links: dict[tuple[int, int], Link],
    article_of: Sequence[str],
    config: AlignConfig,
    heading: Sequence[bool] | None = None,
) -> list[list[int]]:
    """Claims as sorted lists of statement indices; a statement may sit in several.

    ``heading`` flags the headlines, which the opening statements' claims leave out."""
    threshold = config.model.threshold if config.score == "model" else config.link
    scores = {pair: link.score for pair, link in links.items() if not link.lede}
    clusters = [
        c
        for c in agglomerate(n, scores, threshold, config.merge)
        if len({article_of[x] for x in c}) > 1
    ]
    # Strong pairs left apart (one side already sits in another claim) are a further fact
    # of a compound statement: cluster them again into claims of their own.
    owner = {x: k for k, c in enumerate(clusters) for x in c}
    leftover = {
        pair: s
        for pair, s in scores.items()
        if s >= config.extra and owner.get(pair[0], -1) != owner.get(pair[1], -2)
    }
    for extra_group in agglomerate(n, leftover, config.extra, config.merge):
        if len({article_of[x] for x in extra_group}) > 1:
            members_of = {owner.get(x) for x in extra_group}
            if len(members_of) == 1 and None not in members_of:
                continue  # already together in one claim
            clusters.append(extra_group)
    home: dict[int, int] = {x: k for k, c in enumerate(clusters) for x in c}
    # A statement that states several facts also joins the other claims its other clauses
    # match: its mean score to that claim's members from other articles (an unscored pair
    # counts as 0) reaches ``config.join``.
    sums: dict[tuple[int, int], float] = defaultdict(float)
    for (i, j), link in links.items():
        if link.lede:
            continue
        for x, y in ((i, j), (j, i)):
            k = home.get(y)
            if k is not None and home.get(x) != k:
                sums[(x, k)] += link.score
    # Each claim's members per article, counted once: a claim of hundreds of statements
    # meets thousands of candidates.
    per_article = [Counter(article_of[y] for y in c) for c in clusters]
    extra: dict[int, list[int]] = defaultdict(list)
    for (x, k), total in sorted(sums.items()):
        others = len(clusters[k]) - per_article[k][article_of[x]]
        if others and total / others >= config.join:
            extra[k].append(x)
    for k, xs in extra.items():
        clusters[k] = sorted(set(clusters[k]) | set(xs))
    return _lede_claims(clusters, links, article_of, config, heading)


def _lede_claims(
    clusters: list[list[int]],
    links: dict[tuple[int, int], Link],
    article_of: Sequence[str],
    config: AlignConfig,
    heading: Sequence[bool] | None = None,
) -> list[list[int]]:
    """Add the claims the articles' opening statements make together.

    A group that holds a claim already made replaces it (the pairs it links are the same);
    one made already is not repeated.
    """
    # Headlines join claims one by one (``attach_headlines``): here they would glue the
    # opening facts they sum up into one.
    lede = [
        i for i in lede_positions(article_of, config.lede, heading) if not (heading and heading[i])
    ]
    index = {i: k for k, i in enumerate(lede)}
    scores = {
        (index[i], index[j]): link.opening
        for (i, j), link in links.items()
        if link.opening is not None and article_of[i] != article_of[j] and i in index and j in index
    }
    # A claim inside an opening group holds its own first member: look only there (testing
    # every claim against every group grew with the square of the story).
    starting: dict[int, list[int]] = defaultdict(list)
    for k, c in enumerate(clusters):
        starting[c[0]].append(k)
    replaced: set[int] = set()
    added: list[list[int]] = []
    for group in agglomerate(len(lede), scores, config.lede_link, config.lede_merge):
        members = sorted(lede[x] for x in group)
        if len({article_of[x] for x in members}) < 2:
            continue
        held = set(members)
        replaced.update(k for x in members for k in starting.get(x, ()) if set(clusters[k]) <= held)
        added.append(members)
    return [c for k, c in enumerate(clusters) if k not in replaced] + added


def _unit_span(unit: Unit) -> tuple[int, int]:
    return unit.start, unit.end


def claim_spans(
    members: Sequence[int], links: dict[tuple[int, int], Link], neighbours: dict[int, list[int]]
) -> dict[int, tuple[int, int]]:
    """For each member, the part of it (clause or whole) that states the claim's fact.

    The unit a member used most strongly in its links to the other members.
    """
    votes: dict[int, dict[tuple[int, int], float]] = {m: defaultdict(float) for m in members}
    member_set = set(members)
    for x in members:
        for y in neighbours.get(x, ()):
            if y in member_set:
                link = links[(x, y)]
                votes[x][_unit_span(link.left)] += link.score
                votes[y][_unit_span(link.right)] += link.score
    out: dict[int, tuple[int, int]] = {}
    for m in member_set:
        if votes[m]:
            out[m] = max(sorted(votes[m].items()), key=lambda kv: kv[1])[0]
    return out


_RESCUE_FLOOR = 0.1  # below this the pair shares too little for names to explain the gap
_RESCUE_TOP = 3


@lru_cache(maxsize=TEXT_CACHE)
def _stems(text: str) -> frozenset[str]:
    return frozenset(features(text))


def _without(text: str, drop: frozenset[str]) -> str:
    """``text`` without its currencies and the names in ``drop`` (as stems)."""

    def keep(m: re.Match[str]) -> str:
        return " " if stem(m.group()) in drop else m.group()

    return quantities.CURRENCY.sub(" ", _CAPITAL.sub(keep, text.strip()))


def _lists_by(keys: np.ndarray, values: np.ndarray) -> dict[int, list[int]]:
    """``values`` grouped by the runs of equal ``keys`` (already sorted by key)."""
    if len(keys) == 0:
        return {}
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    bounds = np.r_[starts, len(keys)].tolist()
    flat = values.tolist()
    return {
        k: flat[a:b] for k, a, b in zip(keys[starts].tolist(), bounds, bounds[1:], strict=False)
    }


def link_graph(
    links: dict[tuple[int, int], Link],
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Each statement's partners: the later ones in index order (``neighbours``), and all of
    them strongest first, ties by index (``adjacent``).

    Two sorts of arrays: at 1,000 dense articles half a million links made two seconds of
    dictionary appends and per-statement sorts.
    """
    if not links:
        return {}, {}
    pairs = np.array(list(links), dtype=np.int64)
    scores = np.fromiter((link.score for link in links.values()), np.float64, len(links))
    x, y = pairs[:, 0], pairs[:, 1]
    order = np.lexsort((y, x))
    neighbours = _lists_by(x[order], y[order])
    both_x, both_y = np.concatenate([x, y]), np.concatenate([y, x])
    order = np.lexsort((both_y, -np.concatenate([scores, scores]), both_x))
    return neighbours, _lists_by(both_x[order], both_y[order])


def rescue(
    groups: list[list[int]],
    statements: Sequence[Statement],
    links: dict[tuple[int, int], Link],
    adjacent: dict[int, list[int]],
    scorer: Scorer,
    config: AlignConfig,
) -> list[list[int]]:
    """Join a statement to the claim of a counterpart that says the same once the names
    only one of them gives, and currencies, are left out (see ``AlignConfig.rescue``).

    ``adjacent`` lists each statement's linked partners, strongest first."""
    claims_of: dict[int, set[int]] = defaultdict(set)
    for k, g in enumerate(groups):
        for i in g:
            claims_of[i].add(k)
    # Each statement's strongest partners only: a counterpart that lost its rare words to
    # an edited name still outscores the story's other statements.
    top = {i: set(ys[:_RESCUE_TOP]) for i, ys in adjacent.items()}
    pairs: list[tuple[int, int]] = []
    texts: dict[str, int] = {}
    rows: list[tuple[int, int]] = []
    for (i, j), link in links.items():
        # At or above ``link`` the clustering has judged the pair on its own evidence.
        if not _RESCUE_FLOOR <= link.score < config.link:
            continue
        if statements[i].kind is Kind.HEADING or statements[j].kind is Kind.HEADING:
            continue  # a headline joins one claim, through ``attach_headlines``
        if j not in top[i] and i not in top[j]:
            continue
        if statements[i].article == statements[j].article or claims_of[i] & claims_of[j]:
            continue
        a, b = link.left.text, link.right.text
        # A name only one side gives, not a word the other uses in lower case ("zones").
        differ = (names(a) - _stems(b)) | (names(b) - _stems(a))
        if not differ and not quantities.CURRENCY.search(a + b):
            continue
        ta, tb = _without(a, differ), _without(b, differ)
        pairs.append((i, j))
        rows.append((texts.setdefault(ta, len(texts)), texts.setdefault(tb, len(texts))))
    scores: list[float] = []
    if pairs:
        encoded = scorer.encode(list(texts))
        scores = scorer.score_pairs(
            encoded, np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
        ).tolist()
    best: dict[int, tuple[float, int]] = {}
    for (i, j), score in zip(pairs, scores, strict=True):
        if score < config.rescue:
            continue
        for x, y in ((i, j), (j, i)):
            if x not in best or (-score, y) < (-best[x][0], best[x][1]):
                best[x] = (score, y)
    out = [list(g) for g in groups]
    home: dict[int, int] = {}
    for k, g in enumerate(out):
        for i in g:
            home.setdefault(i, k)
    for x, (_score, y) in sorted(best.items()):
        if x in home and y in home and home[x] == home[y]:
            continue
        target = home.get(y)
        if target is None:
            out.append(sorted({x, y}))
            home.setdefault(x, len(out) - 1)
            home[y] = len(out) - 1
        elif x not in out[target]:
            out[target] = sorted(set(out[target]) | {x})
            home.setdefault(x, target)
    return out


def attach_headlines(
    groups: list[list[int]],
    statements: Sequence[Statement],
    links: dict[tuple[int, int], Link],
    config: AlignConfig,
) -> list[list[int]]:
    """Each headline joins the one claim of other articles' statements it sums up best.

    A headline states its story's main event in few words, so it is scored against the
    opening statements only (their whole-statement scores) and joins one claim, never
    merging two: the mean of its scores to the claim's members from other articles (an
    unscored member counts as 0) must reach ``config.headline``."""
    heads = [i for i, s in enumerate(statements) if s.kind is Kind.HEADING]
    if not heads:
        return groups
    head_set = set(heads)
    partners: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), link in links.items():
        if link.opening is not None and (i in head_set or j in head_set):
            partners[i][j] = link.opening
            partners[j][i] = link.opening
    out = [list(g) for g in groups]
    claims_of: dict[int, list[int]] = defaultdict(list)
    per_article: list[Counter[str]] = []
    for k, g in enumerate(out):
        per_article.append(Counter(statements[m].article for m in g))
        for m in g:
            claims_of[m].append(k)
    for h in heads:
        article = statements[h].article
        # Summed over the headline's scored partners (always of other articles): the work
        # grows with its partners, not with the story's claims or their size.
        sums: dict[int, float] = defaultdict(float)
        for m, score in partners.get(h, {}).items():
            for k in claims_of.get(m, ()):
                sums[k] += score
        best: tuple[float, int] | None = None
        for k, total in sorted(sums.items()):
            if k in claims_of.get(h, ()):
                continue
            mean = total / (len(out[k]) - per_article[k][article])
            if mean >= config.headline and (best is None or mean > best[0]):
                best = (mean, k)
        if best is not None:
            k = best[1]
            out[k] = sorted(set(out[k]) | {h})
            claims_of[h].append(k)
            per_article[k][article] += 1
    return out
