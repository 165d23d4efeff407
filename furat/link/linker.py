"""Incremental, deterministic linking of the mentions stored in the database into events.

Two mentions are *connected* when they block (furat/link/features.py) and the pair scorer puts them
at or above its threshold. Connected components only ever merge as documents arrive, so a batch
touches just the components its new mentions connect to: those are re-clustered whole
(`average_link`, order-independent) and their events rewritten. The events therefore depend only
on which documents are stored, not on their order or on how many runs brought them in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from furat.link.cluster import average_link
from furat.link.consensus import event_row
from furat.link.features import MAX_KM, MIN_COS, WINDOW_DAYS, blocks, pair_features
from furat.link.scorer import PairScorer, shipped
from furat.store.events import LINKED_COLUMNS, MENTION_COLUMNS, bulk_insert

_FIELDS = [*MENTION_COLUMNS, "grp", "day_from", "day_to", "component", "event_id"]


def _load(conn: Any, where: str, params: list[Any]) -> tuple[list[dict[str, Any]], np.ndarray]:
    cursor = conn.execute(f"SELECT {', '.join(_FIELDS)}, embedding FROM mentions WHERE {where} "
                          "ORDER BY mention_id", params)
    rows, vecs = [], []
    for r in cursor.fetchall():
        rows.append(dict(zip(_FIELDS, r[:-1], strict=True)))
        vecs.append(r[-1] if r[-1] is not None else [0.0] * 512)
    return rows, np.asarray(vecs, dtype=np.float32).reshape(len(rows), 512)


def _scores(rows: list[dict[str, Any]], vecs: np.ndarray, scorer: PairScorer) -> np.ndarray:
    """Symmetric matrix of pair probabilities (0 where the pair does not block)."""
    n = len(rows)
    cos = np.round(vecs @ vecs.T, 3)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)
             if cos[i, j] >= MIN_COS and blocks(rows[i], rows[j])]
    out = np.zeros((n, n))
    if pairs:
        x = np.array([pair_features(rows[i], rows[j], float(cos[i, j])) for i, j in pairs])
        p = scorer.score(x)
        for (i, j), s in zip(pairs, p, strict=True):
            out[i, j] = out[j, i] = s
    return out


def _candidates(conn: Any, new_ids: list[str]) -> list[tuple[str, str, float]]:
    """(new, other, cosine) for every mention that shares a new one's block: same type group, days
    within the window, another document, sentences not unrelated. DuckDB does the range join; the
    batch's own date range, given as constants, lets it skip the stored row groups outside it (a
    store filled as the news comes is roughly in date order)."""
    lo, hi = conn.execute("SELECT min(day_from), max(day_to) FROM mentions "
                          "WHERE list_contains(?, mention_id)", [new_ids]).fetchone()
    if lo is None:
        return []
    return conn.execute(f"""
        WITH n AS (SELECT mention_id, doc_id, grp, day_from, day_to, embedding FROM mentions
                   WHERE list_contains(?, mention_id) AND day_from IS NOT NULL),
             m AS (SELECT mention_id, doc_id, grp, day_from, day_to, embedding FROM mentions
                   WHERE day_from <= ?::DATE + {WINDOW_DAYS} AND day_to >= ?::DATE - {WINDOW_DAYS})
        SELECT n.mention_id, m.mention_id, round(array_cosine_similarity(n.embedding, m.embedding), 3) AS cos
        FROM n JOIN m ON m.grp = n.grp AND m.doc_id <> n.doc_id
          AND m.day_from <= n.day_to + {WINDOW_DAYS} AND m.day_to >= n.day_from - {WINDOW_DAYS}
        WHERE array_cosine_similarity(n.embedding, m.embedding) >= {MIN_COS}""", [new_ids, hi, lo]).fetchall()


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link(conn: Any, new_ids: list[str], scorer: PairScorer | None = None) -> int:
    """Link the new mentions `new_ids` (already inserted) to the stored ones; rewrite the events of
    every component they touch. Returns the number of events written."""
    if not new_ids:
        return 0
    scorer = scorer or shipped()
    cand = _candidates(conn, new_ids)
    involved = sorted({x for a, b, _ in cand for x in (a, b)} | set(new_ids))
    rows, _ = _load(conn, "list_contains(?, mention_id)", [involved])
    at = {r["mention_id"]: i for i, r in enumerate(rows)}
    groups = _Union()

    def node(r: dict[str, Any]) -> str:
        # a linked mention stands for its whole component
        return "c:" + r["component"] if r["component"] else "m:" + r["mention_id"]

    for m in new_ids:
        if m in at:
            groups.find(node(rows[at[m]]))
    blocked = [(rows[at[a]], rows[at[b]], cos) for a, b, cos in cand if blocks(rows[at[a]], rows[at[b]])]
    if blocked:
        probs = scorer.score(np.array([pair_features(ra, rb, cos) for ra, rb, cos in blocked]))
        for (ra, rb, _), p in zip(blocked, probs, strict=True):
            if p >= scorer.threshold:
                groups.union(node(ra), node(rb))
    by_root: dict[str, list[str]] = {}
    for key in list(groups.parent):
        by_root.setdefault(groups.find(key), []).append(key)
    return _recluster(conn, [sorted(keys) for keys in by_root.values()], scorer)


def _recluster(conn: Any, groups: list[list[str]], scorer: PairScorer) -> int:
    """Cluster each connected component (its new mentions "m:…" and stored components "c:…") whole
    and replace its events, all in a few statements."""
    mentions = [k[2:] for keys in groups for k in keys if k.startswith("m:")]
    components = [k[2:] for keys in groups for k in keys if k.startswith("c:")]
    rows, vecs = _load(conn, "list_contains(?, mention_id) OR list_contains(?, component)",
                       [mentions, components])
    index = {r["mention_id"]: i for i, r in enumerate(rows)}
    members: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        members.setdefault("c:" + r["component"] if r["component"] else "m:" + r["mention_id"], []).append(i)
    events, updates = [], []
    for keys in groups:
        idx = sorted({i for k in keys for i in members.get(k, [])})
        if not idx:
            continue
        part = [rows[i] for i in idx]
        ids = [r["mention_id"] for r in part]
        clusters = average_link(ids, _scores(part, vecs[idx], scorer), scorer.threshold,
                                cannot=lambda i, j, part=part: part[i]["doc_id"] == part[j]["doc_id"])
        component = min(ids)
        for cluster in clusters:
            row = event_row([rows[index[m]] for m in cluster])
            events.append(row)
            updates += [(m, component, row["event_id"]) for m in cluster]
    old = sorted({r["event_id"] for r in rows if r["event_id"]})
    if old:
        conn.execute("DELETE FROM events WHERE list_contains(?, event_id)", [old])
    if events:
        unique = list({e["event_id"]: e for e in events}.values())
        bulk_insert(conn, "events", LINKED_COLUMNS, [[e[c] for c in LINKED_COLUMNS] for e in unique],
                    replace=True)
        conn.execute("CREATE OR REPLACE TEMP TABLE link_updates (mention_id VARCHAR, component VARCHAR, "
                     "event_id VARCHAR)")
        bulk_insert(conn, "link_updates", ["mention_id", "component", "event_id"], [list(u) for u in updates])
        conn.execute("UPDATE mentions SET component = u.component, event_id = u.event_id FROM link_updates u "
                     "WHERE mentions.mention_id = u.mention_id")
        conn.execute("DROP TABLE link_updates")
    return len(events)


__all__ = ["MAX_KM", "link"]
