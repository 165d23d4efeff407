"""The shared tasks' own metrics, so that training (choosing settings by cross-validation) and
`furat eval` count alike: SemEval-2023 subtask 3 micro-F1 over (paragraph, technique) pairs, and
SemEval-2020 task 11 span identification F1 with partial credit for overlaps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def multilabel_counts(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]],
                      labels: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """tp, fp, fn per label over paragraphs."""
    counts = {label: [0, 0, 0] for label in labels}
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        for label in gs | ps:
            if label not in counts:
                counts[label] = [0, 0, 0]
            counts[label][0 if label in gs and label in ps else 1 if label in ps else 2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def micro_f1_matrix(y: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    """Micro-F1 of `scores >= threshold` against a 0/1 label matrix (subtask 3's metric)."""
    pred = scores >= threshold
    tp = float(np.logical_and(pred, y == 1).sum())
    fp, fn = float(pred.sum() - tp), float((y == 1).sum() - tp)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _overlap(span: tuple[int, int], others: list[tuple[int, int]]) -> int:
    return sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in others)


def span_prf(pred: dict[str, list[tuple[int, int]]],
             gold: dict[str, list[tuple[int, int]]]) -> tuple[float, float, float]:
    """SemEval-2020 SI precision, recall, F1: each predicted span earns the share of its characters
    that gold spans cover, each gold span the share that predictions cover (overlapping spans of
    one article merged first, as the task's scorer does)."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for doc in set(pred) | set(gold):
        ps, gs = _merge(pred.get(doc, [])), _merge(gold.get(doc, []))
        n_pred += len(ps)
        n_gold += len(gs)
        p_sum += sum(_overlap(s, gs) / (s[1] - s[0]) for s in ps if s[1] > s[0])
        r_sum += sum(_overlap(t, ps) / (t[1] - t[0]) for t in gs if t[1] > t[0])
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
