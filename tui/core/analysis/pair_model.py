"""The learned pair model: signals of a candidate pair → probability that both state one fact.

A logistic regression over a handful of signals (see ``align.FEATURES``). Its weights are
fitted by ``benchmarks/train_pairs.py`` on public labelled news (the ECB+ development split:
sentence pairs annotators linked to one event across sources), never on the bundled seeds,
and shipped as ``pair_model.json`` beside this module with the figures that chose it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by predict: the settings hold a model, the cache reads settings
    import numpy as np

MODEL_FILE = Path(__file__).with_name("pair_model.json")


@dataclass(frozen=True, slots=True)
class PairModel:
    """Weights per signal, an intercept, and the probability at which a pair is one fact."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """Probability for each row of signals (columns in ``features`` order)."""
        import numpy as np

        if len(rows) == 0:
            return np.zeros(0)
        z = rows @ np.asarray(self.weights) + self.intercept
        result: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return result

    def to_json(self) -> dict[str, Any]:
        """The model as stored in ``pair_model.json``."""
        return {
            "features": list(self.features),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }


def from_json(data: dict[str, Any]) -> PairModel:
    """Read a model written by ``PairModel.to_json``."""
    return PairModel(
        features=tuple(data["features"]),
        weights=tuple(float(w) for w in data["weights"]),
        intercept=float(data["intercept"]),
        threshold=float(data["threshold"]),
    )


@cache
def default_model() -> PairModel:
    """The shipped model (read once per process)."""
    return from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
