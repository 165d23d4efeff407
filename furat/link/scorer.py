"""The pair scorer: a logistic regression over pair features, shipped as a small JSON file (trained
by scripts/train_linking.py) so that linking needs no pickle and no training data at run time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class PairScorer:
    """P(same occurrence) = sigmoid(coef · x + intercept); pairs at or above `threshold` link."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def score(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for a (n, len(features)) matrix, rounded so that the last bits of floating
        point never decide a link (the same pair scores the same in any batch)."""
        x = np.asarray(x, dtype=np.float64).reshape(-1, len(self.coef))
        z = x @ np.asarray(self.coef) + self.intercept
        return np.round(1.0 / (1.0 + np.exp(-z)), 4)

    @classmethod
    def from_json(cls, path: str | Path) -> PairScorer:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(tuple(data["features"]), tuple(data["coef"]), float(data["intercept"]),
                   float(data["threshold"]))


@cache
def shipped(name: str = "store") -> PairScorer:
    """A scorer shipped in furat/data/link/ (`store`: furat mentions; `ecbplus`: English ECB+)."""
    path = resources.files("furat") / "data" / "link" / f"{name}.json"
    return PairScorer.from_json(str(path))
