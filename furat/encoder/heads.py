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


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise log-probabilities of a [rows, classes] matrix of logits (stable: max subtracted)."""
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def bio_viterbi(logits: np.ndarray, labels: Sequence[str]) -> list[int]:
    """Best label index per word under BIO (an I-X only after B-X or I-X, never first): the
    sequence with the highest sum of per-word log-probabilities, not each word's own argmax.

    Why: the head tags each word alone, so its argmax can open a name with I-X or switch type
    mid-name (B-PER I-LOC), which `bio_decode` then turns into a wrong span; the constrained path
    repairs these with the word's next-best tag where that costs least."""
    n, m = logits.shape
    if n == 0:
        return []
    logp = log_softmax(logits)
    inside = np.array([lab.startswith("I-") for lab in labels])
    # allowed[i, j]: tag j may follow tag i
    allowed = np.ones((m, m), dtype=bool)
    for j, lab in enumerate(labels):
        if inside[j]:
            allowed[:, j] = [prev[2:] == lab[2:] and prev[:2] in ("B-", "I-") for prev in labels]
    trans = np.where(allowed, 0.0, -np.inf)
    score = np.where(inside, -np.inf, logp[0])
    back = np.zeros((n, m), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans  # [prev, cur]
        back[t] = cand.argmax(axis=0)
        score = cand[back[t], np.arange(m)] + logp[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def best_tags(piece_logits: np.ndarray, first: np.ndarray, labels: Sequence[str]) -> list[str]:
    """BIO tag of each word from its first piece's logits (`first` indexes `piece_logits`; a word no
    piece holds is O), the best valid sequence by `bio_viterbi`. Shared by the run-time tagger and
    the training script's dev scoring."""
    first = np.asarray(first, dtype=np.int64)
    scores = np.full((len(first), len(labels)), -1e4, dtype=np.float32)
    scores[:, list(labels).index("O")] = 0.0
    has = first >= 0
    scores[has] = piece_logits[first[has]]
    return [labels[i] for i in bio_viterbi(scores, labels)]


def linear(states: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Logits of a linear head ([n, hidden] · [labels, hidden]ᵀ + [labels])."""
    return states @ weight.T + bias
