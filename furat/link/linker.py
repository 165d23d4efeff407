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
from furat.link.features import MAX_KM, MIN_COS, REPORT_LAG_DAYS, WINDOW_DAYS, blocks, pair_features
from furat.link.scorer import PairScorer, shipped
from furat.store.events import LINKED_COLUMNS, MENTION_COLUMNS

_FIELDS = [*MENTION_COLUMNS, "grp", "day_from", "day_to", "component", "event_id"]
# the first day a stored mention may tell of (features._span): earlier when only its publication dates it
_FROM = (f"(day_from - CASE WHEN day_from = day_to AND coalesce(date_precision, '') = '' AND (date IS NULL "
         f"OR left(date, 10) = left(published, 10)) THEN {REPORT_LAG_DAYS} ELSE 0 END)")
_EPOCH = "DATE '2000-01-03'"  # a Monday: weeks for the candidate join
# a degree of latitude is 111 km: MAX_KM's bounding box (longitude degrees shrink with the cosine of
# the latitude, taken at the box's edge nearer the pole), widened by 1 %
_LAT_DEG = MAX_KM / 111.0 * 1.01


def write_rows(conn: Any, table: str, columns: list[str], rows: list[list[Any]], *,
               replace: bool = False) -> None:
    """Insert many rows in one statement. The columns go to DuckDB as a registered dict of numpy
    object arrays (a sentence vector stays one numpy array): binding 512-float Python lists as
    parameters costs ~2 ms a row, this ~0.3 ms."""
    if not rows:
        return
    types = dict(conn.execute(f"SELECT name, type FROM pragma_table_info('{table}')").fetchall())
    data = {}
    for i in range(len(columns)):
        col = np.empty(len(rows), dtype=object)
        for k, r in enumerate(rows):  # element by element: a vector must not become a 2-d block
            col[k] = r[i]
        data[f"c{i}"] = col
    view = f"_furat_rows_{table}"
    conn.register(view, data)
    try:
        select = ", ".join(f"c{i}::{types[c]}" for i, c in enumerate(columns))
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        conn.execute(f"{verb} INTO {table} ({', '.join(columns)}) SELECT {select} FROM {view}")
    finally:
        conn.unregister(view)


def unit_rounded(vecs: Any) -> np.ndarray:
    """Sentence vectors as stored: float32, six decimals (the same sentence, the same bits)."""
    return np.round(np.asarray(vecs, dtype=np.float64), 6).astype(np.float32)


def _vectors(column: Any, n: int) -> np.ndarray:
    """An (n, 512) matrix from a fetched FLOAT[512] column (missing vectors are zeros)."""
    out = np.zeros((n, 512), dtype=np.float32)
    for i, v in enumerate(column):
        if v is not None and len(v):
            out[i] = v
    return out


def _load(conn: Any, ids: list[str], components: list[str] = (), *,  # type: ignore[assignment]
          vectors: bool = True) -> tuple[list[dict[str, Any]], np.ndarray]:
    """The mentions `ids` and every member of `components`, by mention id, with their vectors.
    Semi-joins on the id lists (a per-row list_contains scans each list for every stored row)."""
    cols = ", ".join(_FIELDS) + (", embedding" if vectors else "")
    sql = f"SELECT {cols} FROM mentions WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))"
    params: list[Any] = [sorted(ids)]
    if components:
        sql += (f" UNION SELECT {cols} FROM mentions WHERE component IN "
                "(SELECT unnest(?::VARCHAR[]))")
        params.append(sorted(components))
    fetched = conn.execute(f"SELECT * FROM ({sql}) ORDER BY mention_id", params).fetchnumpy()
    n = len(fetched["mention_id"])
    columns = [fetched[f].tolist() for f in _FIELDS]
    rows = [dict(zip(_FIELDS, values, strict=True)) for values in zip(*columns, strict=True)] if n else []
    for r in rows:  # numpy gives dates as datetimes
        for k in ("date_start", "date_end", "day_from", "day_to"):
            if r[k] is not None and hasattr(r[k], "date"):
                r[k] = r[k].date()
    vecs = _vectors(fetched["embedding"], n) if vectors else np.zeros((n, 0), dtype=np.float32)
    return rows, vecs


def _scores(rows: list[dict[str, Any]], vecs: np.ndarray, scorer: PairScorer) -> np.ndarray:
    """Symmetric matrix of pair probabilities (0 where the pair does not block). Only the pairs
    whose sentences are related (cosine ≥ MIN_COS, one matrix product) are featurised."""
    n = len(rows)
    cos = np.round(vecs @ vecs.T, 3)
    ii, jj = np.nonzero(np.triu(cos >= MIN_COS, k=1))
    pairs = [(i, j) for i, j in zip(ii.tolist(), jj.tolist(), strict=True) if blocks(rows[i], rows[j])]
    out = np.zeros((n, n))
    if pairs:
        x = np.array([pair_features(rows[i], rows[j], float(cos[i, j])) for i, j in pairs])
        p = scorer.score(x)
        for (i, j), s in zip(pairs, p, strict=True):
            out[i, j] = out[j, i] = s
    return out


def _candidates(conn: Any, new_ids: list[str]) -> list[tuple[str, str, float]]:
    """(new, other, cosine) for every mention that shares a new one's block: same type group, days
    within the window, another document, places within MAX_KM's bounding box (or unplaced),
    sentences not unrelated. DuckDB joins on the cheap keys alone; only the vectors of the
    mentions that pass are read (by rowid), and their cosines taken in numpy."""
    lo, hi = conn.execute(f"SELECT min({_FROM}), max(day_to) FROM mentions "
                          "WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))", [sorted(new_ids)]).fetchone()
    if lo is None:
        return []
    # the batch's own date range as constants lets DuckDB skip the row groups outside it (a store
    # filled as the news comes is roughly in date order)
    keys = conn.execute(f"""
        WITH n AS (SELECT mention_id, doc_id, grp, {_FROM} AS day_from, day_to, latitude, longitude
                   FROM mentions WHERE mention_id IN (SELECT unnest(?::VARCHAR[])) AND day_from IS NOT NULL),
             m AS (SELECT rowid AS r, doc_id, grp, {_FROM} AS day_from, day_to, latitude, longitude
                   FROM mentions WHERE day_from <= ?::DATE + {WINDOW_DAYS + REPORT_LAG_DAYS}
                   AND day_to >= ?::DATE - {WINDOW_DAYS}),
             -- each side's weeks (any monotone day bucket: two periods that overlap share one),
             -- so that the join is on (type group, week), not on the type group alone (a batch of
             -- 300 mentions against 100,000 stored ones: 20 million pairs to filter otherwise)
             nw AS (SELECT *, unnest(range((day_from - {WINDOW_DAYS} - {_EPOCH}) // 7,
                                           (day_to + {WINDOW_DAYS} - {_EPOCH}) // 7 + 1)) AS week FROM n),
             mw AS (SELECT *, unnest(range((day_from - {_EPOCH}) // 7, (day_to - {_EPOCH}) // 7 + 1)) AS week
                    FROM m)
        SELECT DISTINCT n.mention_id, m.r FROM nw n JOIN mw m ON m.grp = n.grp AND m.week = n.week
          AND m.doc_id <> n.doc_id
          AND m.day_from <= n.day_to + {WINDOW_DAYS} AND m.day_to >= n.day_from - {WINDOW_DAYS}
        WHERE m.latitude IS NULL OR n.latitude IS NULL
           OR (abs(m.latitude - n.latitude) <= {_LAT_DEG}
               AND abs(m.longitude - n.longitude) * cos(radians(least(abs(n.latitude) + {_LAT_DEG}, 89.9)))
                   <= {_LAT_DEG})""",
                        [sorted(new_ids), hi, lo]).fetchall()
    if not keys:
        return []
    fetched = conn.execute("SELECT rowid, mention_id, embedding FROM mentions WHERE mention_id IN "
                           "(SELECT unnest(?::VARCHAR[])) OR rowid IN (SELECT unnest(?::BIGINT[]))",
                           [sorted(new_ids), sorted({r for _, r in keys})]).fetchnumpy()
    n = len(fetched["rowid"])
    vecs = _vectors(fetched["embedding"], n)
    ids = fetched["mention_id"].tolist()
    by_rowid = dict(zip(fetched["rowid"].tolist(), range(n), strict=True))
    by_id = {m: i for i, m in enumerate(ids)}
    a = np.array([by_id[m] for m, _ in keys])
    b = np.array([by_rowid[r] for _, r in keys])
    cos = np.round(np.einsum("ij,ij->i", vecs[a], vecs[b]).astype(np.float64), 3)
    keep = np.nonzero(cos >= MIN_COS)[0]
    return [(ids[a[k]], ids[b[k]], float(cos[k])) for k in keep.tolist()]


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
    rows, _ = _load(conn, involved, vectors=False)
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
    rows, vecs = _load(conn, mentions, components)
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
    # Write only what changed: an UPDATE makes DuckDB's next checkpoint rewrite the updated column of
    # the whole row group (~6-12 MB at 100,000 mentions), and an event with the same members is the
    # same row (its id is the hash of its members).
    old = {r["event_id"] for r in rows if r["event_id"]}
    fresh = {e["event_id"]: e for e in events}
    gone = sorted(old - set(fresh))
    if gone:
        conn.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
    write_rows(conn, "events", LINKED_COLUMNS,
               [[e[c] for c in LINKED_COLUMNS] for i, e in sorted(fresh.items()) if i not in old],
               replace=True)
    for column, at in (("component", 1), ("event_id", 2)):
        changed = [[u[0], u[at]] for u in updates if rows[index[u[0]]][column] != u[at]]
        if not changed:
            continue
        conn.execute(f"CREATE OR REPLACE TEMP TABLE link_updates (mention_id VARCHAR, {column} VARCHAR)")
        write_rows(conn, "link_updates", ["mention_id", column], changed)
        conn.execute(f"UPDATE mentions SET {column} = u.{column} FROM link_updates u "
                     "WHERE mentions.mention_id = u.mention_id")
        conn.execute("DROP TABLE link_updates")
    return len(events)


__all__ = ["MAX_KM", "link"]
