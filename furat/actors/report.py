"""`furat actors --db FILE`: canonical actors of a stored corpus with their mention counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from furat.store.db import Store

# The whole Document is stored as JSON in documents.doc; unnest its actors in SQL (no Python loop).
_QUERY = """
WITH m AS (
    SELECT id, unnest(from_json(json_extract(doc, '$.actors'),
        '[{"name": "VARCHAR", "country": "VARCHAR", "sector": "VARCHAR", "ucdp_id": "VARCHAR",
           "confidence": "DOUBLE"}]')) AS a
    FROM documents
)
SELECT a.name AS name, a.country AS country, a.sector AS sector, a.ucdp_id AS ucdp_id,
       count(*) AS mentions, count(DISTINCT id) AS documents, round(avg(a.confidence), 2) AS confidence
FROM m WHERE a.confidence >= ?
GROUP BY ALL ORDER BY mentions DESC, name LIMIT ?
"""


def actor_counts(db: str | Path, min_confidence: float = 0.0, limit: int = 100) -> list[dict[str, Any]]:
    """One row per canonical actor: name, country, sector, ucdp_id, mentions, documents, confidence."""
    with Store(db, read_only=True) as store:
        cur = store.conn.execute(_QUERY, [min_confidence, limit])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
