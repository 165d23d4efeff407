"""The embedded DuckDB store: documents, the raw inputs they came from, exports and counts.

One connection, SQL with parameters, no server. Writes go one transaction per batch, so a crash
leaves the database as it was after the last whole batch and a re-run completes it; inserting a
document or raw input that is already there does nothing (keyed on content hashes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from furat.model import SCHEMA_VERSION, Document
from furat.pipeline import batched
from furat.store.events import CREATE_EVENTS, event_rows, insert_events

DEFAULT_DB = "furat.duckdb"



def _backfill_events(conn: duckdb.DuckDBPyConnection) -> None:
    """Version 2 adds the events table: fill it from the documents already stored."""
    offset = 0
    # page by page: an insert on the connection would reset a cursor still being read
    page = "SELECT doc FROM documents ORDER BY id LIMIT 500 OFFSET ?"
    while batch := conn.execute(page, [offset]).fetchall():
        offset += len(batch)
        insert_events(conn, [r for (doc,) in batch for r in event_rows(_document(doc))])


def _refill_events(conn: duckdb.DuckDBPyConnection) -> None:
    """Version 3 stores the place's feature class and ISO-3 country codes: rebuild the rows."""
    conn.execute("DELETE FROM events")
    _backfill_events(conn)


Step = str | Callable[[duckdb.DuckDBPyConnection], None]
# Each migration takes the database from the version before it to its own. Add new ones at the
# end; never edit one that has shipped.
MIGRATIONS: list[tuple[int, list[Step]]] = [
    (
        1,
        [
            "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
            """CREATE TABLE IF NOT EXISTS raw_inputs (
                sha256 VARCHAR PRIMARY KEY, source VARCHAR, size BIGINT, data BLOB,
                ingested_at TIMESTAMP)""",
            """CREATE TABLE IF NOT EXISTS documents (
                id VARCHAR PRIMARY KEY, raw_sha256 VARCHAR, part INTEGER, source VARCHAR,
                outlet VARCHAR, url VARCHAR, title VARCHAR, author VARCHAR, published VARCHAR,
                published_precision VARCHAR, published_source VARCHAR, language VARCHAR,
                languages JSON, n_chars INTEGER, text VARCHAR, doc JSON,
                model_version VARCHAR, ingested_at TIMESTAMP)""",
        ],
    ),
    (2, [CREATE_EVENTS, _backfill_events]),
    (3, ["ALTER TABLE events ADD COLUMN IF NOT EXISTS place_feature VARCHAR", _refill_events]),
]
DB_VERSION = MIGRATIONS[-1][0]

DOCUMENT_COLUMNS = [
    "id", "raw_sha256", "part", "source", "outlet", "url", "title", "author", "published",
    "published_precision", "published_source", "language", "languages", "n_chars", "text",
]


class StoreError(RuntimeError):
    """The database cannot be opened or is of a newer version than this furat."""


@dataclass
class IngestCounts:
    seen: int = 0
    added: int = 0
    raw_added: int = 0


class Store:
    """A furat database file."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database (create it with `furat ingest`)")
        try:
            self.conn = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open database ({exc})") from exc
        if not read_only:
            self.migrate()
        elif self.version() > DB_VERSION:
            raise StoreError(f"{self.path}: database version {self.version()} is newer than "
                             f"this furat ({DB_VERSION}); upgrade furat")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def version(self) -> int:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key='db_version'").fetchone()
        except duckdb.CatalogException:
            return 0
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        current = self.version()
        if current > DB_VERSION:
            raise StoreError(f"{self.path}: database version {current} is newer than this "
                             f"furat ({DB_VERSION}); upgrade furat")
        for version, statements in MIGRATIONS:
            if version <= current:
                continue
            self.conn.execute("BEGIN TRANSACTION")
            for step in statements:
                if callable(step):
                    step(self.conn)
                else:
                    self.conn.execute(step)
            self.conn.execute(
                "INSERT OR REPLACE INTO meta VALUES ('db_version', ?), ('schema_version', ?)",
                [str(version), SCHEMA_VERSION],
            )
            self.conn.execute("COMMIT")

    def ingest(
        self,
        docs: Iterable[Document],
        raw_lookup: Callable[[str], tuple[str, bytes] | None],
        batch_size: int = 64,
    ) -> Iterator[IngestCounts]:
        """Write documents batch by batch (one transaction each), yielding running counts.

        `raw_lookup(sha)` gives the (source, bytes) of a raw input, so it is stored with the
        first batch that holds one of its documents.
        """
        counts = IngestCounts()
        for batch in batched(docs, batch_size):
            now = datetime.now(UTC).replace(tzinfo=None)
            self.conn.execute("BEGIN TRANSACTION")
            try:
                for sha in dict.fromkeys(d.raw_sha256 for d in batch):
                    if self.conn.execute("SELECT 1 FROM raw_inputs WHERE sha256=?", [sha]).fetchone():
                        continue
                    raw = raw_lookup(sha)
                    if raw is not None:
                        self.conn.execute(
                            "INSERT OR IGNORE INTO raw_inputs VALUES (?, ?, ?, ?, ?)",
                            [sha, raw[0], len(raw[1]), raw[1], now],
                        )
                        counts.raw_added += 1
                ids = [d.id for d in batch]
                existing = {
                    r[0]
                    for r in self.conn.execute(
                        "SELECT id FROM documents WHERE list_contains(?, id)", [ids]
                    ).fetchall()
                }
                rows = [_row(d, now) for d in batch if d.id not in existing]
                rows = list({r[0]: r for r in rows}.values())  # one per id within the batch
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    self.conn.executemany(f"INSERT INTO documents VALUES ({marks})", rows)
                    added = {r[0] for r in rows}
                    insert_events(self.conn, [e for d in batch if d.id in added for e in event_rows(d)])
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            counts.seen += len(batch)
            counts.added += len(rows)
            yield counts

    def stats(self) -> dict[str, Any]:
        q = self.conn.execute
        return {
            "database": self.path,
            "db_version": self.version(),
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "events": q("SELECT count(*) FROM events").fetchone()[0],
            "events_by_type": dict(q(
                "SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()),
            "events_by_certainty": dict(q(
                "SELECT certainty, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()),
            "raw_inputs": q("SELECT count(*) FROM raw_inputs").fetchone()[0],
            "raw_bytes": q("SELECT coalesce(sum(size), 0) FROM raw_inputs").fetchone()[0],
            "by_language": dict(q(
                "SELECT coalesce(language, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()),
            "by_month": dict(q(
                "SELECT coalesce(substr(published, 1, 7), 'unknown'), count(*) FROM documents "
                "GROUP BY 1 ORDER BY 1"
            ).fetchall()),
            "by_outlet": dict(q(
                "SELECT coalesce(outlet, 'unknown'), count(*) FROM documents GROUP BY 1 "
                "ORDER BY 2 DESC, 1 LIMIT 20"
            ).fetchall()),
            "published_precision": dict(q(
                "SELECT coalesce(published_precision, 'unknown'), count(*) FROM documents "
                "GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()),
        }

    def export(self, fmt: str, out: Path | None) -> Iterator[str]:
        """Export the documents. Parquet and CSV go through DuckDB's COPY to `out`; JSONL (and
        CSV without `out`) is yielded line by line for the caller to print."""
        columns = ", ".join(DOCUMENT_COLUMNS)
        select = f"SELECT {columns} FROM documents ORDER BY source, part, id"
        if fmt in ("csv", "parquet") and out is not None:
            options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
            self.conn.execute(f"COPY ({select}) TO '{_quote(str(out))}' ({options})")
            return
        if fmt == "csv":
            import csv
            import io

            cursor = self.conn.execute(select)
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(DOCUMENT_COLUMNS)
            while rows := cursor.fetchmany(1000):
                writer.writerows(rows)
                yield buffer.getvalue().rstrip("\r\n")
                buffer.seek(0)
                buffer.truncate()
            if buffer.getvalue():
                yield buffer.getvalue().rstrip("\r\n")
            return
        cursor = self.conn.execute("SELECT doc FROM documents ORDER BY source, part, id")
        while rows := cursor.fetchmany(1000):
            for (doc,) in rows:
                yield doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)

    def events(
        self,
        *,
        type: str | None = None,
        actor: str | None = None,
        actor_names: list[str] | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        near: tuple[float, float] | None = None,
        km: float = 50.0,
        certainty: list[str] | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Stored events matching every filter given (dates: the event's period overlaps). `actor`
        matches part of either actor's canonical name, or whole names among `actor_names` (the
        canonical names the query resolved to, e.g. "SDF" → Syrian Democratic Forces)."""
        where, params = [], []
        if type:
            where.append("upper(type) = upper(?)")
            params.append(type)
        if actor:
            names = list(actor_names or [])
            clause = ["actor1 ILIKE ?", "actor2 ILIKE ?"]
            if names:
                marks = ", ".join("?" * len(names))
                clause += [f"actor1 IN ({marks})", f"actor2 IN ({marks})"]
            where.append("(" + " OR ".join(clause) + ")")
            params += [f"%{actor}%"] * 2 + names * 2
        if country:
            where.append("(upper(actor1_country) = upper(?) OR upper(actor2_country) = upper(?) "
                         "OR upper(place_country) = upper(?))")
            params += [country] * 3
        if since:
            where.append("date_end >= CAST(? AS DATE)")
            params.append(since)
        if until:
            where.append("date_start <= CAST(? AS DATE)")
            params.append(until)
        if certainty:
            where.append(f"certainty IN ({', '.join('?' * len(certainty))})")
            params += certainty
        if near is not None:
            # great-circle distance in km (haversine), in SQL so the filter runs in DuckDB
            where.append(
                "latitude IS NOT NULL AND 2 * 6371 * asin(sqrt(pow(sin(radians(latitude - ?) / 2), 2) + "
                "cos(radians(?)) * cos(radians(latitude)) * pow(sin(radians(longitude - ?) / 2), 2))) <= ?"
            )
            params += [near[0], near[0], near[1], km]
        sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY date_start NULLS LAST, event_id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute("SELECT doc FROM documents WHERE id=?", [doc_id]).fetchone()
        return _document(row[0]) if row else None


def _document(value: Any) -> Document:
    """A Document from the `doc` JSON column (DuckDB hands JSON back as text or as objects)."""
    if isinstance(value, str | bytes):
        return Document.model_validate_json(value)
    return Document.model_validate(value)


def _quote(text: str) -> str:
    return text.replace("'", "''")


def _row(doc: Document, now: datetime) -> list[Any]:
    return [
        doc.id, doc.raw_sha256, doc.part, doc.source, doc.outlet, doc.url, doc.title, doc.author,
        doc.published, doc.published_precision, doc.published_source, doc.language,
        json.dumps(doc.languages), len(doc.text), doc.text, doc.model_dump_json(),
        doc.schema_version, now,
    ]
