"""Events as rows: the `events` table, its queries and the ACLED CSV / GeoJSON exports.

An event row flattens `Event` with its document's provenance (source, outlet, publication) and
the period its date covers (`date_start`/`date_end`), so that analysts can filter by time,
place, actor and type in SQL.
"""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta
from typing import Any

from furat.geo.countries import iso3
from furat.model import Document

EVENT_COLUMNS = [
    "event_id", "doc_id", "n", "type", "mode", "acled_type", "acled_subtype", "actor1", "actor1_country",
    "actor1_sector", "actor2", "actor2_country", "actor2_sector", "place", "latitude", "longitude",
    "place_country", "admin1", "admin2", "date", "date_precision", "date_start", "date_end", "fatalities",
    "injured", "certainty", "reported_by", "confidence", "trigger", "evidence", "source", "outlet",
    "published", "language", "place_feature",
]

# The table as database version 2 made it; later columns come from migrations (furat/store/db.py).
# the columns of an event row as version 2 stored them
_V2_COLUMNS = """
    event_id VARCHAR PRIMARY KEY, doc_id VARCHAR, n INTEGER, type VARCHAR, mode VARCHAR,
    acled_type VARCHAR, acled_subtype VARCHAR, actor1 VARCHAR, actor1_country VARCHAR, actor1_sector VARCHAR,
    actor2 VARCHAR, actor2_country VARCHAR, actor2_sector VARCHAR, place VARCHAR, latitude DOUBLE,
    longitude DOUBLE, place_country VARCHAR, admin1 VARCHAR, admin2 VARCHAR, date VARCHAR,
    date_precision VARCHAR, date_start DATE, date_end DATE, fatalities INTEGER, injured INTEGER,
    certainty VARCHAR, reported_by VARCHAR, confidence DOUBLE, trigger VARCHAR, evidence VARCHAR,
    source VARCHAR, outlet VARCHAR, published VARCHAR, language VARCHAR"""
CREATE_EVENTS = f"CREATE TABLE IF NOT EXISTS events ({_V2_COLUMNS})"


def period(value: str | None) -> tuple[date | None, date | None]:
    """First and last day covered by a TIMEX3 date value (day, ISO week, month or year)."""
    if not value:
        return None, None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return day, day
        if "-W" in value:
            year, week = value.split("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
            return monday, monday + timedelta(days=6)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if len(value) == 4:
            return date(int(value), 1, 1), date(int(value), 12, 31)
    except ValueError:
        return None, None
    return None, None


def insert_events(conn: Any, rows: list[list[Any]]) -> None:
    """Insert `event_rows` output into the columns the table has (a migration being applied may not
    have added the newest ones yet)."""
    if not rows:
        return
    present = {r[0] for r in conn.execute("SELECT name FROM pragma_table_info('events')").fetchall()}
    keep = [i for i, c in enumerate(EVENT_COLUMNS) if c in present]
    bulk_insert(conn, "events", [EVENT_COLUMNS[i] for i in keep], [[r[i] for i in keep] for r in rows],
                ignore=True)


def event_rows(doc: Document) -> list[list[Any]]:
    rows = []
    for n, e in enumerate(doc.events):
        start, end = period(e.date or e.date_start or e.date_end)
        a1, a2, p = e.actor1, e.actor2, e.place
        rows.append([
            f"{doc.id}-{n}", doc.id, n, e.type, e.mode, e.acled_type, e.acled_subtype,
            a1.name if a1 else None, a1.country if a1 else None, a1.sector if a1 else None,
            a2.name if a2 else None, a2.country if a2 else None, a2.sector if a2 else None,
            (p.name or p.text) if p else None, p.lat if p else None, p.lon if p else None,
            iso3(p.country_code) if p else None, p.admin1 if p else None, p.admin2 if p else None,
            e.date or e.date_start or e.date_end, e.date_precision, start, end, e.fatalities, e.injured,
            e.certainty,
            e.reported_by, e.confidence, e.trigger.text if e.trigger else None,
            e.evidence.text if e.evidence else None, doc.source, doc.outlet, doc.published, doc.language,
            p.feature if p else None,
        ])
    return rows


def geojson_feature(row: dict[str, Any]) -> dict[str, Any]:
    geometry = (
        {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
        if row["latitude"] is not None and row["longitude"] is not None else None
    )
    props = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()
             if k not in ("latitude", "longitude")}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def geojson_collection(rows: list[dict[str, Any]]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [geojson_feature(r) for r in rows]},
                      ensure_ascii=False)



# Database version 5: the rows above are *mentions* (one document's event record with its evidence);
# an *event* is the linked occurrence that one or more mentions report (furat/link).
MENTION_COLUMNS = ["mention_id", *EVENT_COLUMNS[1:]]
LINK_COLUMNS = ["grp", "day_from", "day_to", "embedding", "component", "event_id"]
EVENT_EXTRA = [
    "mention_id", "n_sources", "n_languages", "languages", "outlets", "mentions", "first_report",
    "last_report", "disputed", "versions",
]
LINKED_COLUMNS = EVENT_COLUMNS + EVENT_EXTRA

MIGRATE_TO_MENTIONS = [
    "ALTER TABLE events RENAME TO mentions",
    "ALTER TABLE mentions RENAME COLUMN event_id TO mention_id",
    "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS grp VARCHAR",
    "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS day_from DATE",
    "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS day_to DATE",
    "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS embedding FLOAT[512]",
    "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS component VARCHAR",
    "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS event_id VARCHAR",
    f"""CREATE TABLE IF NOT EXISTS events ({_V2_COLUMNS}, place_feature VARCHAR,
    mention_id VARCHAR, n_sources INTEGER, n_languages INTEGER, languages JSON, outlets JSON,
    mentions JSON, first_report VARCHAR, last_report VARCHAR, disputed BOOLEAN, versions JSON)""",
    "CREATE INDEX IF NOT EXISTS mentions_component ON mentions (component)",
    "CREATE INDEX IF NOT EXISTS mentions_event ON mentions (event_id)",
]


def link_keys(row: dict[str, Any]) -> tuple[str, date | None, date | None]:
    """Blocking keys of a mention: its type group and the days it may have happened (its date's
    period, else its publication day: an undated report tells of something recent)."""
    from furat.link.features import type_group

    start, end = row.get("date_start"), row.get("date_end")
    if start is None:
        start, end = period((row.get("published") or "")[:10] or None)
    return type_group(row.get("type")), start, end


def bulk_insert(conn: Any, table: str, columns: list[str], rows: list[list[Any]], *,
                replace: bool = False, ignore: bool = False) -> None:
    """Insert many rows in one statement: one list parameter per column, unnested in SQL and cast to
    the table's types (DuckDB's executemany runs one statement per row, ~100x slower). `ignore`:
    rows whose key is already stored are left out (INSERT OR IGNORE)."""
    if not rows:
        return
    types = dict(conn.execute(f"SELECT name, type FROM pragma_table_info('{table}')").fetchall())
    select = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE" if ignore else "INSERT"
    conn.execute(f"{verb} INTO {table} ({', '.join(columns)}) SELECT {select}",
                 [[r[i] for r in rows] for i in range(len(columns))])


def insert_mentions(conn: Any, rows: list[list[Any]], embeddings: Any) -> list[str]:
    """Insert `event_rows` output as mentions with their blocking keys and sentence vectors; returns
    the ids of those that were new."""
    from furat.link.linker import unit_rounded, write_rows

    if not rows:
        return []
    ids = [r[0] for r in rows]
    have = {r[0] for r in conn.execute(
        "SELECT mention_id FROM mentions WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids]).fetchall()}
    fresh, seen = [], set(have)
    for r, vec in zip(rows, unit_rounded(embeddings).reshape(len(rows), -1), strict=True):
        if r[0] in seen:
            continue
        seen.add(r[0])
        grp, lo, hi = link_keys(dict(zip(EVENT_COLUMNS, r, strict=True)))
        fresh.append([*r, grp, lo, hi, vec])
    # vectors go in as numpy arrays (write_rows): as 512-float lists they cost ~2 ms a row
    write_rows(conn, "mentions", [*MENTION_COLUMNS, *LINK_COLUMNS[:4]], fresh)
    return [r[0] for r in fresh]
