"""The DuckDB store: idempotent, consistent after a crash, raw inputs kept, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from furat.ingest.build import IngestOptions, RawCache, documents
from furat.report import Reporter
from furat.store.db import DB_VERSION, Store
from tests.conftest import PAGES, run_cli


def page_documents(raws: RawCache):
    return documents([str(PAGES)], IngestOptions(), Reporter(), on_raw=raws)


def ingest_all(db, batch_size=2):
    raws = RawCache()
    with Store(db) as store:
        *_, counts = store.ingest(page_documents(raws), raws.get, batch_size=batch_size)
        return counts


def test_ingest_twice_adds_nothing(tmp_path):
    db = tmp_path / "f.duckdb"
    first = ingest_all(db)
    second = ingest_all(db)
    assert first.added == first.seen > 0
    assert second.seen == first.seen and second.added == 0 and second.raw_added == 0


def test_raw_inputs_are_kept_byte_for_byte(tmp_path):
    db = tmp_path / "f.duckdb"
    ingest_all(db)
    with Store(db, read_only=True) as store:
        rows = store.conn.execute("SELECT source, data FROM raw_inputs").fetchall()
        orphans = store.conn.execute(
            "SELECT count(*) FROM documents d LEFT JOIN raw_inputs r ON d.raw_sha256 = r.sha256 "
            "WHERE r.sha256 IS NULL").fetchone()[0]
    assert orphans == 0
    for source, data in rows:
        assert bytes(data) == Path(source).read_bytes()


def test_crash_mid_ingest_leaves_whole_batches_and_a_rerun_completes(tmp_path):
    db = tmp_path / "f.duckdb"
    total = ingest_all(tmp_path / "reference.duckdb").seen

    def crashing(docs, after):
        for n, doc in enumerate(docs):
            if n == after:
                raise RuntimeError("power cut")
            yield doc

    raws = RawCache()
    with Store(db) as store, pytest.raises(RuntimeError):
        for _ in store.ingest(crashing(page_documents(raws), 3), raws.get, batch_size=2):
            pass
    with Store(db, read_only=True) as store:
        stored = store.stats()["documents"]
    assert stored == 2  # the first whole batch; the half batch was rolled back
    counts = ingest_all(db)
    assert counts.added == total - 2
    with Store(db, read_only=True) as store:
        assert store.stats()["documents"] == total


def test_schema_version_and_refusal_of_newer_databases(tmp_path):
    db = tmp_path / "f.duckdb"
    with Store(db) as store:
        assert store.version() == DB_VERSION
        store.conn.execute("UPDATE meta SET value = '999' WHERE key = 'db_version'")
    from furat.store.db import StoreError

    with pytest.raises(StoreError, match="newer than this furat"):
        Store(db)


def test_cli_ingest_stats_export(tmp_path):
    db = tmp_path / "f.duckdb"
    first = run_cli("ingest", str(PAGES), "--db", str(db))
    again = run_cli("ingest", str(PAGES), "--db", str(db))
    assert first.returncode == 0 and again.returncode == 0
    assert b"0 new" in again.stderr
    stats = json.loads(run_cli("stats", "--db", str(db), "--json").stdout)
    assert stats["documents"] == 7 and stats["by_language"]["fr"] == 5
    table = run_cli("stats", "--db", str(db))
    assert b"documents" in table.stdout
    lines = run_cli("export", "--db", str(db), "--format", "jsonl").stdout.decode().splitlines()
    assert len(lines) == 7 and all(json.loads(line)["text"] for line in lines)
    exported = run_cli("export", "--db", str(db), "--format", "csv").stdout.decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 7 and {"id", "published", "language", "text"} <= set(rows[0])
    out = tmp_path / "docs.parquet"
    assert run_cli("export", "--db", str(db), "--format", "parquet", "--out", str(out)).returncode == 0
    assert duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall()[0][0] == 7
    assert run_cli("export", "--db", str(db), "--format", "parquet").returncode == 2
    missing = run_cli("stats", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 1 and b"no such database" in missing.stderr
