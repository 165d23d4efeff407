"""Events in the store: the events table, its filters, ACLED CSV and GeoJSON exports, migration."""

from __future__ import annotations

import csv
import io
import json

import duckdb

from furat.store.db import DB_VERSION, Store
from furat.store.events import period
from tests.conftest import PAGES, run_cli


def test_period_of_timex_values():
    assert [str(d) for d in period("2021-01-24")] == ["2021-01-24", "2021-01-24"]
    assert [str(d) for d in period("2017-W45")] == ["2017-11-06", "2017-11-12"]
    assert [str(d) for d in period("2023-06")] == ["2023-06-01", "2023-06-30"]
    assert period("PRESENT_REF") == (None, None)


def test_events_are_stored_filtered_and_exported(tmp_path):
    db = tmp_path / "f.duckdb"
    assert run_cli("ingest", str(PAGES), "--db", str(db)).returncode == 0
    with Store(db, read_only=True) as store:
        everything = store.events()
        assaults = store.events(type="assault")
        march = store.events(since="2020-03-01", until="2020-03-31")
    assert everything and assaults and all(e["type"] == "ASSAULT" for e in assaults)
    assert all(e["certainty"] in ("asserted", "reported", "hedged", "negated") for e in everything)
    assert march and all(str(e["date_start"]) <= "2020-03-31" and str(e["date_end"]) >= "2020-03-01" for e in march)
    listed = json.loads(run_cli("events", "--db", str(db), "--type", "ASSAULT", "--format", "json").stdout)
    assert listed and all(e["certainty"] in ("asserted", "reported") for e in listed)
    rows = list(csv.DictReader(io.StringIO(run_cli("export", "--db", str(db), "--format", "acled-csv").stdout.decode())))
    assert rows and {"event_date", "event_type", "sub_event_type", "fatalities", "notes"} <= set(rows[0])
    # --actor takes the news's names in any language: SDF, FDS and قسد list the same events
    by_alias = {q: json.loads(run_cli("events", "--db", str(db), "--actor", q, "--all", "--format", "json").stdout)
                for q in ("SDF", "FDS", "قسد")}
    sdf = [e for e in everything if "Syrian Democratic Forces" in (e["actor1"], e["actor2"])]
    assert sdf and all(len(found) == len(sdf) for found in by_alias.values())
    geo = json.loads(run_cli("export", "--db", str(db), "--format", "geojson").stdout)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(
        [e for e in everything if e["certainty"] in ("asserted", "reported")])


def as_version_4(conn: duckdb.DuckDBPyConnection) -> None:
    """Put a database back in version 4's layout: events rows in `events`, no linked events."""
    conn.execute("DROP TABLE events")
    conn.execute("DROP INDEX mentions_component")
    conn.execute("DROP INDEX mentions_event")
    for column in ("grp", "day_from", "day_to", "embedding", "component", "event_id"):
        conn.execute(f"ALTER TABLE mentions DROP COLUMN {column}")
    conn.execute("ALTER TABLE mentions RENAME COLUMN mention_id TO event_id")
    conn.execute("ALTER TABLE mentions RENAME TO events")


def test_a_version_1_database_is_migrated_and_backfilled(tmp_path):
    db = tmp_path / "old.duckdb"
    assert run_cli("ingest", str(PAGES / "fr_chrome.txt"), "--db", str(db)).returncode == 0
    with duckdb.connect(str(db)) as conn:  # make it look like a version-1 database
        as_version_4(conn)
        conn.execute("DROP TABLE events")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'db_version'")
    with Store(db) as store:
        assert store.version() == DB_VERSION
        assert store.stats()["events"] > 0


def test_a_version_2_database_gets_iso3_countries_and_feature_classes(tmp_path):
    db = tmp_path / "v2.duckdb"
    assert run_cli("ingest", str(PAGES / "fr_chrome.txt"), "--db", str(db)).returncode == 0
    with duckdb.connect(str(db)) as conn:  # as version 2 stored them: alpha-2 places, no feature class
        as_version_4(conn)
        conn.execute("ALTER TABLE events DROP COLUMN place_feature")
        conn.execute("UPDATE events SET place_country = 'SY' WHERE place_country = 'SYR'")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'db_version'")
    with Store(db) as store:
        rows = store.events()
    placed = [r for r in rows if r["place_country"]]
    assert placed and all(len(r["place_country"]) == 3 for r in placed)
    assert all(r["place_feature"] for r in placed if r["latitude"] is not None)
