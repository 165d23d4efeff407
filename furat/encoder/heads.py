"""Task heads over the encoder's token states, shared by the training scripts and the run time.

Why here: a token-classification head is trained on words found one way and must be run on words
found the same way. Words are runs of letters/digits or single other symbols (`WORD`), so raw text
and pre-tokenised corpora (NewsFANE joins its tokens with spaces) are cut alike; each word is
represented by the state of the subword piece that holds its first character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

WORD = re.compile(r"\w+|[^\w\s]")


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every word of `text[start:end]`, in `text` offsets."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in WORD.finditer(text, start, end)]


def first_pieces(word_spans: Sequence[tuple[int, int]], offsets: np.ndarray) -> np.ndarray:
    """Index of the piece holding each word's first character (-1 when no piece does)."""
    out = np.full(len(word_spans), -1, dtype=np.int64)
    if len(offsets) == 0:
        return out
    starts, ends = offsets[:, 0], offsets[:, 1]
    for i, (ws, _) in enumerate(word_spans):
        k = int(np.searchsorted(ends, ws, side="right"))  # first piece ending after ws
        if k < len(offsets) and starts[k] <= ws:
            out[i] = k
    return out


def bio_decode(tags: Sequence[str], word_spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Character spans from word BIO tags; an I- that does not continue its type opens a span."""
    spans: list[tuple[int, int, str]] = []
    cur: list = []
    for tag, (s, e) in zip(tags, word_spans, strict=True):
        if tag == "O":
            if cur:
                spans.append(tuple(cur))
            cur = []
            continue
        kind, label = tag[:1], tag[2:]
        if kind == "I" and cur and cur[2] == label:
            cur[1] = e
        else:
            if cur:
                spans.append(tuple(cur))
            cur = [s, e, label]
    if cur:
        spans.append(tuple(cur))
    return spans


def linear(states: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Logits of a linear head ([n, hidden] · [labels, hidden]ᵀ + [labels])."""
    return states @ weight.T + bias
