"""Span vectors from the encoder's token states: a word or phrase in its sentence, as one vector.

Why mean-pooling over every piece a span touches: a trigger ("struck", "quake") is often one or two
pieces, a participant several; the mean keeps all of them and does not depend on how the tokenizer
cut the word (the NER heads take a word's first piece, which suits tagging, not comparing).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def pieces_in(offsets: np.ndarray, start: int, end: int) -> np.ndarray:
    """Indices of the pieces that overlap the characters [start, end) (empty pieces left out)."""
    if len(offsets) == 0:
        return np.zeros(0, dtype=np.int64)
    s, e = offsets[:, 0], offsets[:, 1]
    return np.flatnonzero((e > s) & (s < end) & (e > start))


def span_vector(offsets: np.ndarray, states: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Mean state of the pieces under any of `spans` (character offsets, as `offsets`); a zero
    vector when no piece is under them."""
    idx = np.unique(np.concatenate([pieces_in(offsets, a, b) for a, b in spans])) if spans else []
    if len(idx) == 0:
        return np.zeros(states.shape[1], dtype=np.float32)
    return states[idx].mean(axis=0).astype(np.float32)


def unit(x: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero)."""
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.where(n > 0, n, 1.0)).astype(np.float32)
