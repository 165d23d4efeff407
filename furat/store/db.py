"""The embedded DuckDB store: documents, the raw inputs they came from, exports and counts.

One connection, SQL with parameters, no server. Writes go one transaction per batch, so a crash
leaves the database as it was after the last whole batch and a re-run completes it; inserting a
document or raw input that is already there does nothing (keyed on content hashes).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from furat.model import SCHEMA_VERSION, Document
from furat.pipeline import batched
from furat.store.claims import CLAIM_COLUMNS, CREATE_CLAIMS, claim_rows, insert_claims
from furat.store.events import (
    CREATE_EVENTS,
    MIGRATE_TO_MENTIONS,
    bulk_insert,
    event_rows,
    insert_events,
    insert_mentions,
)

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


def _backfill_claims(conn: duckdb.DuckDBPyConnection) -> None:
    """Version 4 adds the claims table: fill it from the documents already stored."""
    offset = 0
    page = "SELECT doc FROM documents ORDER BY id LIMIT 500 OFFSET ?"
    while batch := conn.execute(page, [offset]).fetchall():
        offset += len(batch)
        insert_claims(conn, [r for (doc,) in batch for r in claim_rows(_document(doc))])


def _link_stored(conn: duckdb.DuckDBPyConnection) -> None:
    """Version 5 turns the events rows into mentions and links them into events (one event per
    real occurrence, with all its sources): give each its sentence vector, then link in pages."""
    from furat.link.features import embed
    from furat.link.linker import link
    from furat.store.events import EVENT_COLUMNS, link_keys

    ids = [r[0] for r in conn.execute("SELECT mention_id FROM mentions ORDER BY mention_id").fetchall()]
    for start in range(0, len(ids), 500):
        page = ids[start:start + 500]
        rows = conn.execute(f"SELECT {', '.join(['mention_id', *EVENT_COLUMNS[1:]])} FROM mentions "
                            "WHERE list_contains(?, mention_id) ORDER BY mention_id", [page]).fetchall()
        vecs = embed([r[EVENT_COLUMNS.index("evidence")] or "" for r in rows])
        conn.executemany("UPDATE mentions SET grp = ?, day_from = ?, day_to = ?, embedding = ? "
                         "WHERE mention_id = ?",
                         [[*link_keys(dict(zip(EVENT_COLUMNS, r, strict=True))),
                           [round(float(x), 6) for x in v], r[0]] for r, v in zip(rows, vecs, strict=True)])
    for start in range(0, len(ids), 2000):
        link(conn, ids[start:start + 2000])


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
    (4, [CREATE_CLAIMS, _backfill_claims]),
    (5, [*MIGRATE_TO_MENTIONS, _link_stored]),
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


class StoreBusy(StoreError):
    """Another furat ingest is writing the database."""


# How long a command waits for a lock another process holds for a moment (an ingest writing one
# batch, a reader counting): readers and writers retry instead of failing on the first conflict.
LOCK_WAIT_S = 30.0


def _connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """A connection, retried while another process holds the file's lock (DuckDB allows one writing
    process, or any number of reading ones, at a time)."""
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                busy = "another process holds it" if "lock" in str(exc).lower() else str(exc)
                raise StoreError(f"{path}: cannot open database ({busy})") from exc
        except duckdb.Error as exc:
            raise StoreError(f"{path}: cannot open database ({exc})") from exc
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


# An ingest keeps its write connection from one batch to the next while they come quicker than
# this (documents already made: `ingest --parquet`, a burst of worker chunks) and closes it once it
# has waited this long for the next: closing checkpoints the file (~0.25 s a batch, 2.4 of the 3.2 s
# that 600 documents' rows took) and is what lets readers in between batches.
IDLE_CLOSE_S = 0.3


class _IdleConnection:
    """The write connection of an ingest: opened for a batch, closed by a timer thread when no
    other batch has come for `idle` seconds (or by `close`)."""

    def __init__(self, path: str, wait: float, idle: float = IDLE_CLOSE_S) -> None:
        self.path, self.wait, self.idle = path, wait, idle
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._generation = 0

    @contextmanager
    def use(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            self._generation += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._conn is None:
                self._conn = _connect(self.path, False, self.wait)
            try:
                yield self._conn
            except BaseException:
                self._close()
                raise
            self._timer = threading.Timer(self.idle, self._close_if_idle, (self._generation,))
            self._timer.daemon = True
            self._timer.start()

    def _close_if_idle(self, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._close()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        """Close now (the end of the ingest, or a read from this process)."""
        with self._lock:
            self._generation += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._close()


class IngestLock:
    """One ingest at a time per database: an advisory lock on `<db>.ingest-lock`, held for the whole
    run (the database's own lock is held only while a batch is written, so readers get in between).
    A second ingest fails at once with a clear message instead of interleaving its batches."""

    def __init__(self, db_path: str) -> None:
        self.db = db_path
        self.path = db_path + ".ingest-lock"
        self.handle: Any = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; DuckDB's own lock still guards each batch
            return
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            holder = f" (pid {holder})" if holder else ""
            raise StoreBusy(f"{self.db}: another furat ingest is writing it{holder}; "
                            "run this one when it has ended") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            # remove the file first, then drop the lock by closing it (an ingest that starts in
            # between makes its own file; the database's lock still keeps each batch whole)
            Path(self.path).unlink(missing_ok=True)
            self.handle.close()
            self.handle = None


class Store:
    """A furat database file.

    Readers (`read_only=True`) open it for the length of one command. An ingest (`Store(path,
    ingest=True)`) holds the ingest lock for the whole run but the database only while it writes
    batches (and IDLE_CLOSE_S after the last), so `furat events`, `stats` and `export` answer
    during a long ingest."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, *, ingest: bool = False,
                 wait: float = LOCK_WAIT_S) -> None:
        self.path = str(path)
        self.wait = wait
        self._lock: IngestLock | None = None
        self._writer: _IdleConnection | None = None
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database (create it with `furat ingest`)")
        if ingest:
            self._lock = IngestLock(self.path)
            try:
                self._lock.acquire()
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot lock the database ({exc.strerror or exc})") from exc
        try:
            self.conn: duckdb.DuckDBPyConnection | None = _connect(self.path, read_only, wait)
            if not read_only:
                self.migrate()
            elif self.version() > DB_VERSION:
                raise StoreError(f"{self.path}: database version {self.version()} is newer than "
                                 f"this furat ({DB_VERSION}); upgrade furat")
        except BaseException:
            self.close()
            raise
        if ingest:
            self._writer = _IdleConnection(self.path, wait)
            self.conn.close()
            self.conn = None

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The write connection: the open one, or (ingest mode) one kept while batches come quickly
        (_IdleConnection)."""
        if self.conn is not None:
            yield self.conn
            return
        assert self._writer is not None
        with self._writer.use() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """This store open for reading (in ingest mode, for as long as the block lasts)."""
        if self.conn is not None:
            yield self
            return
        if self._writer is not None:
            self._writer.close()
        self.conn = _connect(self.path, False, self.wait)
        try:
            yield self
        finally:
            self.conn.close()
            self.conn = None

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
            with self._writing() as conn:
                rows = self._write_batch(conn, batch, raw_lookup, counts)
            counts.seen += len(batch)
            counts.added += rows
            yield counts

    @staticmethod
    def _write_batch(
        conn: duckdb.DuckDBPyConnection, batch: list[Document],
        raw_lookup: Callable[[str], tuple[str, bytes] | None], counts: IngestCounts,
    ) -> int:
        """One batch in one transaction; returns the number of new documents."""
        now = datetime.now(UTC).replace(tzinfo=None)
        conn.execute("BEGIN TRANSACTION")
        try:
            # every table in one statement per batch (bulk_insert): row by row, executemany cost
            # ~11 ms a row, 45 s for 600 documents' events
            shas = list(dict.fromkeys(d.raw_sha256 for d in batch))
            stored = {r[0] for r in conn.execute(
                "SELECT sha256 FROM raw_inputs WHERE list_contains(?, sha256)", [shas]).fetchall()}
            raws = [[sha, raw[0], len(raw[1]), raw[1], now] for sha in shas
                    if sha not in stored and (raw := raw_lookup(sha)) is not None]
            bulk_insert(conn, "raw_inputs", RAW_COLUMNS, raws, ignore=True)
            counts.raw_added += len(raws)
            ids = [d.id for d in batch]
            existing = {r[0] for r in conn.execute(
                "SELECT id FROM documents WHERE list_contains(?, id)", [ids]).fetchall()}
            rows = [_row(d, now) for d in batch if d.id not in existing]
            rows = list({r[0]: r for r in rows}.values())  # one per id within the batch
            if rows:
                bulk_insert(conn, "documents", DOCUMENT_COLUMNS, rows)
                added = {r[0] for r in rows}
                _insert_and_link(conn, [e for d in batch if d.id in added for e in event_rows(d)])
                bulk_insert(conn, "claims", CLAIM_COLUMNS,
                            [c for d in batch if d.id in added for c in claim_rows(d)], ignore=True)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(rows)

    def stats(self) -> dict[str, Any]:
        q = self.conn.execute
        return {
            "database": self.path,
            "db_version": self.version(),
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "events": q("SELECT count(*) FROM events").fetchone()[0],
            "mentions": q("SELECT count(*) FROM mentions").fetchone()[0],
            "events_linked": q("SELECT count(*) FROM events WHERE n_sources > 1").fetchone()[0],
            "events_disputed": q("SELECT count(*) FROM events WHERE disputed").fetchone()[0],
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
        min_sources: int | None = None,
        source: str | None = None,
        language: str | None = None,
        disputed: bool | None = None,
    ) -> list[dict[str, Any]]:
        """Stored events (one per linked occurrence) matching every filter given (dates: the event's
        period overlaps). `actor` matches part of either actor's canonical name, or whole names among
        `actor_names` (the canonical names the query resolved to, e.g. "SDF" → Syrian Democratic
        Forces). `source` (part of an outlet or input name) and `language` match any of the reports."""
        where, params = [], []
        if min_sources:
            where.append("n_sources >= ?")
            params.append(min_sources)
        if source:
            where.append("EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.event_id "
                         "AND (m.outlet ILIKE ? OR m.source ILIKE ?))")
            params += [f"%{source}%"] * 2
        if language:
            where.append("EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.event_id "
                         "AND m.language = ?)")
            params.append(language)
        if disputed is not None:
            where.append("disputed = ?")
            params.append(disputed)
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

    def export_events_parquet(self, out: Path) -> None:
        """The linked events, one row each with its sources (outlets, languages, mention ids)."""
        self.conn.execute(f"COPY (SELECT * FROM events ORDER BY date_start NULLS LAST, event_id) "
                          f"TO '{_quote(str(out))}' (FORMAT parquet)")

    def event(self, event_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """One linked event and its mentions (each source's record and evidence sentence); a
        mention id finds the event it belongs to."""
        cursor = self.conn.execute(
            "SELECT * FROM events WHERE event_id = ? OR event_id = "
            "(SELECT event_id FROM mentions WHERE mention_id = ?)", [event_id, event_id])
        row = cursor.fetchone()
        if row is None:
            return None
        event = dict(zip([d[0] for d in cursor.description], row, strict=True))
        cursor = self.conn.execute(
            "SELECT * EXCLUDE (embedding, grp, day_from, day_to, component) FROM mentions "
            "WHERE event_id = ? ORDER BY published NULLS LAST, mention_id", [event["event_id"]])
        names = [d[0] for d in cursor.description]
        return event, [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def event_types(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT DISTINCT type FROM events").fetchall() if r[0]}

    def ingested_at(self) -> dict[str, datetime]:
        """When each document was stored (ACLED's `timestamp`)."""
        return dict(self.conn.execute("SELECT id, ingested_at FROM documents").fetchall())

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute("SELECT doc FROM documents WHERE id=?", [doc_id]).fetchone()
        return _document(row[0]) if row else None


def _insert_and_link(conn: duckdb.DuckDBPyConnection, rows: list[list[Any]]) -> None:
    """Store a batch's mentions with their sentence vectors and link them to the stored events."""
    from furat.link.features import embed
    from furat.link.linker import link
    from furat.store.events import EVENT_COLUMNS

    evidence = EVENT_COLUMNS.index("evidence")
    link(conn, insert_mentions(conn, rows, embed([r[evidence] or "" for r in rows])))


def _document(value: Any) -> Document:
    """A Document from the `doc` JSON column (DuckDB hands JSON back as text or as objects)."""
    if isinstance(value, str | bytes):
        return Document.model_validate_json(value)
    return Document.model_validate(value)


def _quote(text: str) -> str:
    return text.replace("'", "''")


RAW_COLUMNS = ["sha256", "source", "size", "data", "ingested_at"]
DOCUMENT_COLUMNS = [
    "id", "raw_sha256", "part", "source", "outlet", "url", "title", "author", "published",
    "published_precision", "published_source", "language", "languages", "n_chars", "text", "doc",
    "model_version", "ingested_at",
]


def _row(doc: Document, now: datetime) -> list[Any]:
    """A document's row, in DOCUMENT_COLUMNS order."""
    return [
        doc.id, doc.raw_sha256, doc.part, doc.source, doc.outlet, doc.url, doc.title, doc.author,
        doc.published, doc.published_precision, doc.published_source, doc.language,
        json.dumps(doc.languages), len(doc.text), doc.text, doc.model_dump_json(),
        doc.schema_version, now,
    ]
