"""Order-independent clustering of scored pairs: average-link agglomeration with a threshold.

Edges are merged best first, ties broken by the sorted ids, so the clusters depend only on the set
of items and their pair scores, never on the order they arrived in: the property that makes
incremental linking give the same events as linking everything at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def average_link(ids: list[str], scores: np.ndarray, threshold: float,
                 cannot: Callable[[int, int], bool] | None = None) -> list[list[str]]:
    """Clusters of `ids` (scores: symmetric matrix, 0 for pairs that never link). Two clusters merge
    when their mean pair score reaches `threshold` and `cannot` forbids no cross pair."""
    order = sorted(range(len(ids)), key=lambda i: ids[i])
    ids = [ids[i] for i in order]
    scores = scores[np.ix_(order, order)]
    n = len(ids)
    owner = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    rows, cols = np.nonzero(np.triu(scores >= threshold, k=1))
    edges = sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda e: (-scores[e], e))
    for i, j in edges:
        a, b = owner[i], owner[j]
        if a == b:
            continue
        ma, mb = members[a], members[b]
        if cannot is not None and any(cannot(order[x], order[y]) for x in ma for y in mb):
            continue
        if scores[np.ix_(ma, mb)].mean() < threshold:
            continue
        keep, gone = (a, b) if a < b else (b, a)
        members[keep] = sorted(members[keep] + members.pop(gone))
        for x in members[keep]:
            owner[x] = keep
    return sorted(([ids[x] for x in m] for m in members.values()), key=lambda c: c[0])
