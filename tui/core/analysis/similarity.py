"""How alike two pieces of text are: one interface, a lexical backend behind it.

A backend is fitted on the corpus (to learn which words are common in this story) and then
encodes texts into opaque vectors that it alone can compare. Alignment only calls
``fit``/``encode``/``score``, so a semantic backend (sentence embeddings) can be dropped in
without touching blocking, clustering or divergence checks.

The lexical backend scores IDF-weighted overlap of content-word stems, folded synonyms and
normalised quantities. On a single-story corpus the story's own words (UK, government, AI)
have a low IDF, so statements that merely share them score low.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from tui.core.analysis import quantities
from tui.core.analysis.text import TEXT_CACHE, fold_phrases, folded_stems

if TYPE_CHECKING:
    # Imported where vectors are built: the analysis settings name this module's scorer,
    # and reading an analysis back from the cache must not wait for numpy and scipy.
    import numpy as np
    from scipy import sparse


@runtime_checkable
class Scorer(Protocol):
    """A similarity backend: fit on the corpus, encode texts, score pairs of them in [0, 1]."""

    name: str

    def fit(self, documents: Sequence[str]) -> None:
        """Learn corpus statistics (for example word rarity) from every statement."""

    def encode(self, texts: Sequence[str]) -> Any:
        """Encode texts into whatever this backend compares (rows in order)."""

    def score_pairs(self, encoded: Any, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Similarity of rows ``left[i]`` and ``right[i]`` of ``encoded``, for every i."""


@lru_cache(maxsize=TEXT_CACHE)
def features(text: str) -> tuple[str, ...]:
    """Content stems, each number, amount or date replaced by a typed slot without its value.

    "£2bn" and "£5bn" both read ``<money:GBP>``: deciding whether two statements state one
    fact never looks at the values the divergence check compares, so an edited value
    leaves the alignment as it was. Cached: ``fit`` and ``encode`` both read every statement.
    """
    folded = fold_phrases(text)
    qs = quantities.extract(folded)
    out = [quantities.slot_token(q) for q in qs]
    for word in folded_stems(folded):
        if word[0].isdigit() or word[0] in "£$€¥" or word in _SCALE_WORDS:
            continue
        out.append(word)
    return tuple(out)


_SCALE_WORDS = frozenset({"billion", "million", "bn", "thousand", "trillion", "%", "per", "cent"})


class LexicalScorer:
    """IDF-weighted cosine over content stems, synonyms folded and quantities normalised.

    Adjacent content words also count as a pair feature (at half weight), so shared phrases
    ("growth zones", "action plan") weigh more than the same words scattered.
    """

    name = "lexical"

    def __init__(self, bigram_weight: float = 0.5, idf_power: float = 0.5) -> None:
        self.bigram_weight = bigram_weight
        self.idf_power = idf_power
        self._idf: dict[str, float] = {}
        self._default_idf = 1.0

    def fit(self, documents: Sequence[str]) -> None:
        """Compute each feature's IDF over the statements of the corpus."""
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(features(doc)))
        n = max(len(documents), 1)
        p = self.idf_power
        self._idf = {f: math.log((n + 1) / (c + 0.5)) ** p for f, c in df.items()}
        self._default_idf = math.log((n + 1) / 0.5) ** p

    def idf(self, feature: str) -> float:
        """How rare a feature is in this corpus."""
        return self._idf.get(feature, self._default_idf)

    def weights(self, text: str) -> dict[str, float]:
        """Each distinct feature of ``text`` with its weight."""
        feats = features(text)
        weights = {f: self.idf(f) for f in feats}
        if self.bigram_weight:
            for a, b in itertools.pairwise(feats):
                if a != b:
                    key = f"{a}_{b}" if a < b else f"{b}_{a}"
                    weights[key] = self.bigram_weight * min(self.idf(a), self.idf(b))
        return weights

    def encode(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """L2-normalised sparse rows of feature weights."""
        import numpy as np
        from scipy import sparse

        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for i, text in enumerate(texts):
            w = self.weights(text)
            norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
            for f, v in w.items():
                rows.append(i)
                cols.append(vocab.setdefault(f, len(vocab)))
                vals.append(v / norm)
        return sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(texts), max(len(vocab), 1)), dtype=np.float64
        )

    def score_pairs(self, encoded: Any, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Cosine of the rows, computed for many pairs at a time."""
        return row_cosines(encoded, left, right)


def row_cosines(matrix: Any, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The dot product of rows ``left[i]`` and ``right[i]`` of a sparse matrix of unit rows.

    In slices: the rows of 280,000 pairs at once took 5x as long as in slices of 20,000
    (the temporaries outgrow the processor's caches); the sums are the same.
    """
    import numpy as np

    if len(left) == 0:
        return np.zeros(0)
    step = 20_000
    return np.concatenate(
        [
            np.asarray(
                matrix[left[k : k + step]].multiply(matrix[right[k : k + step]]).sum(axis=1)
            ).ravel()
            for k in range(0, len(left), step)
        ]
    )
