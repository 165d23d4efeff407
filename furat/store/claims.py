"""Claims as rows: the `claims` table and its query (`furat claims`).

A claim row flattens `Claim` with its document's provenance, and `events` lists the ids of the
events it reports (`<doc id>-<n>`, the events table's `event_id`), so that an analyst can ask who
said what about an event, and how surely.
"""

from __future__ import annotations

import json
from typing import Any

from furat.model import Document

CLAIM_COLUMNS = [
    "claim_id", "doc_id", "n", "speaker", "speaker_actor", "speaker_country", "speaker_kind", "cue",
    "content", "stance", "hedged", "hedge", "via", "events", "disputed", "source", "outlet", "published",
    "language",
]

CREATE_CLAIMS = """CREATE TABLE IF NOT EXISTS claims (
    claim_id VARCHAR PRIMARY KEY, doc_id VARCHAR, n INTEGER, speaker VARCHAR, speaker_actor VARCHAR,
    speaker_country VARCHAR, speaker_kind VARCHAR, cue VARCHAR, content VARCHAR, stance VARCHAR,
    hedged BOOLEAN, hedge VARCHAR, via VARCHAR, events JSON, disputed BOOLEAN, source VARCHAR,
    outlet VARCHAR, published VARCHAR, language VARCHAR)"""


def claim_rows(doc: Document) -> list[list[Any]]:
    """One row per claim of `doc`, in CLAIM_COLUMNS order."""
    disputed = {v.claim for d in doc.disputes for v in d.versions}
    rows = []
    for n, c in enumerate(doc.claims):
        s = c.speaker
        rows.append([
            f"{doc.id}-c{n}", doc.id, n, s.text if s else None, s.name if s else None,
            s.country if s else None,
            c.speaker_kind, c.cue.text if c.cue else None, c.content.text, c.stance, c.hedged,
            c.hedge.text if c.hedge else None, c.via.text if c.via else None,
            json.dumps([f"{doc.id}-{i}" for i in c.about]), n in disputed, doc.source, doc.outlet,
            doc.published, doc.language,
        ])
    return rows


def insert_claims(conn: Any, rows: list[list[Any]]) -> None:
    if rows:
        marks = ", ".join("?" * len(CLAIM_COLUMNS))
        conn.executemany(f"INSERT OR IGNORE INTO claims ({', '.join(CLAIM_COLUMNS)}) VALUES ({marks})", rows)


def query_claims(conn: Any, speaker: str | None = None, stance: str | None = None, event: str | None = None,
                 limit: int = 1000) -> list[dict[str, Any]]:
    """Stored claims, filtered by speaker (substring, any case, of the text or the actor),
    stance, or an event id the claim reports."""
    where, params = [], []
    if speaker:
        where.append("(speaker ILIKE ? OR speaker_actor ILIKE ?)")
        params += [f"%{speaker}%", f"%{speaker}%"]
    if stance:
        where.append("stance = ?")
        params.append(stance)
    if event:
        where.append("list_contains(CAST(events AS VARCHAR[]), ?)")
        params.append(event)
    sql = f"SELECT {', '.join(CLAIM_COLUMNS)} FROM claims"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY doc_id, n LIMIT ?"
    cur = conn.execute(sql, [*params, limit])
    return [dict(zip(CLAIM_COLUMNS, r, strict=True)) for r in cur.fetchall()]
