"""A linear text classifier kept as one `.npz` of plain arrays (vocabularies, idf weights,
coefficients; no pickle): it loads with numpy alone under any scikit-learn version, and a few MB
ship inside the package. Training fits scikit-learn's TfidfVectorizer and a linear model, then
copies out their numbers (`from_sklearn`); run time rebuilds the same TF-IDF rows (`features`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize


@dataclass
class Block:
    """One TF-IDF feature block: analyzer ("word" or "char_wb"), n-gram range, vocabulary, idf,
    and the scale the block is given beside the others."""

    analyzer: str
    ngram: tuple[int, int]
    vocabulary: list[str]
    idf: np.ndarray
    weight: float = 1.0
    source: str = "text"  # which of the model's inputs it reads (a span, its sentence…)
    _counter: CountVectorizer | None = field(default=None, repr=False)

    def transform(self, texts: list[str]) -> csr_matrix:
        """Sublinear-tf × idf rows, L2-normalised, scaled: TfidfVectorizer(sublinear_tf=True)."""
        if self._counter is None:
            self._counter = CountVectorizer(
                analyzer=self.analyzer, ngram_range=self.ngram, lowercase=True, dtype=np.float32,
                vocabulary={term: i for i, term in enumerate(self.vocabulary)})
        counts = self._counter.transform(texts).tocsr()
        counts.data = (1.0 + np.log(counts.data)).astype(np.float32)
        rows = normalize(counts.multiply(self.idf.astype(np.float32)).tocsr())
        return rows * self.weight if self.weight != 1.0 else rows


def fit_block(texts: list[str], analyzer: str, ngram: tuple[int, int], max_features: int,
              min_df: int = 2, weight: float = 1.0, source: str = "text") -> Block:
    """Learn a block's vocabulary and idf from training texts."""
    vec = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram, sublinear_tf=True, min_df=min_df,
                          max_features=max_features, dtype=np.float32)
    vec.fit(texts)
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    return Block(analyzer, ngram, vocab, vec.idf_.astype(np.float32), weight, source)


Inputs = list[str] | dict[str, list[str]]


def features(blocks: list[Block], inputs: Inputs, dense: np.ndarray | None = None) -> csr_matrix:
    """The model's input rows: every block side by side (each on its `source` texts; a plain list
    is the "text" source), then any dense extra columns."""
    sources = inputs if isinstance(inputs, dict) else {"text": inputs}
    parts = [b.transform(sources[b.source]) for b in blocks]
    if dense is not None:
        parts.append(csr_matrix(np.asarray(dense, dtype=np.float32)))
    return hstack(parts).tocsr()


@dataclass
class LinearTextModel:
    """Blocks + weights. `kind` "ovr": one sigmoid per label (multi-label); "softmax": one label."""

    labels: list[str]
    blocks: list[Block]
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray  # (n_labels,)
    kind: str = "ovr"
    meta: dict[str, Any] = field(default_factory=dict)
    _coef_t: np.ndarray | None = field(default=None, repr=False)

    def scores(self, inputs: Inputs, dense: np.ndarray | None = None) -> np.ndarray:
        """(n_texts, n_labels) probabilities."""
        x = features(self.blocks, inputs, dense)
        if self._coef_t is None:  # once: a contiguous float32 copy, not one per call
            self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float32)
        z = np.asarray(x @ self._coef_t) + self.intercept
        if self.kind == "softmax":
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            return e / e.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "meta": np.array(json.dumps({"labels": self.labels, "kind": self.kind, "meta": self.meta,
                                         "blocks": [{"analyzer": b.analyzer, "ngram": list(b.ngram),
                                                     "weight": b.weight, "source": b.source}
                                                    for b in self.blocks]})),
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept.astype(np.float32),
        }
        for i, b in enumerate(self.blocks):
            arrays[f"vocab{i}"] = np.array(b.vocabulary)
            arrays[f"idf{i}"] = b.idf.astype(np.float32)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path | Any) -> LinearTextModel:
        with np.load(path, allow_pickle=False) as z:
            head = json.loads(str(z["meta"]))
            blocks = [Block(spec["analyzer"], tuple(spec["ngram"]), [str(t) for t in z[f"vocab{i}"]],
                            z[f"idf{i}"], spec["weight"], spec["source"])
                      for i, spec in enumerate(head["blocks"])]
            return cls(head["labels"], blocks, z["coef"].astype(np.float32), z["intercept"],
                       head["kind"], head["meta"])


def from_sklearn(labels: list[str], blocks: list[Block], estimators: list[Any], kind: str = "ovr",
                 meta: dict[str, Any] | None = None) -> LinearTextModel:
    """Copy the weights out of fitted scikit-learn linear models: one binary estimator per label
    ("ovr"; None for a label never seen in training, which then scores ~0) or one multinomial
    estimator ("softmax")."""
    if kind == "softmax":
        (est,) = estimators
        coef, intercept = est.coef_, est.intercept_
    else:
        width = next(e.coef_.size for e in estimators if e is not None)
        coef = np.vstack([e.coef_.ravel() if e is not None else np.zeros(width) for e in estimators])
        intercept = np.array([float(np.ravel(e.intercept_)[0]) if e is not None else -20.0
                              for e in estimators])
    return LinearTextModel(list(labels), blocks, np.asarray(coef, np.float32),
                           np.asarray(intercept, np.float32), kind, meta or {})
