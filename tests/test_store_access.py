"""The store as analysts and tools use it: readers during an ingest, one ingest at a time, the
country filter in any form, the ACLED CSV against ACLED's codebook, and every query option checked."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from furat.ingest.build import IngestOptions, RawCache, documents
from furat.pipeline import Pipeline
from furat.report import Reporter
from furat.store.db import IngestLock, Store
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def seeds_db(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "seeds.duckdb"
    result = run_cli("ingest", str(seeds_dir), "--db", str(db))
    assert result.returncode == 0, result.stderr.decode()
    return db


def test_readers_answer_between_the_batches_of_an_ingest(seeds_dir: Path, tmp_path: Path):
    db = tmp_path / "live.duckdb"
    raws = RawCache()
    docs = documents([str(seeds_dir)], IngestOptions(), Reporter(), on_raw=raws)
    docs = Pipeline.from_config({}, ["language"]).run(docs)
    answers = []
    with Store(db, ingest=True) as store:
        for counts in store.ingest(docs, raws.get, batch_size=4):
            if counts.seen == 4:  # the ingest is under way: a reader and an exporter come in
                answers.append(run_cli("stats", "--db", str(db), "--json"))
                answers.append(run_cli("events", "--db", str(db), "--all", "--format", "json"))
                # and a second ingest is refused at once, with a message, not queued behind a lock
                answers.append(run_cli("ingest", str(seeds_dir), "--db", str(db), "--stages", ""))
    stats, listed, second = answers
    assert stats.returncode == 0, stats.stderr.decode()
    assert json.loads(stats.stdout)["documents"] == 4
    assert listed.returncode == 0 and isinstance(json.loads(listed.stdout), list)
    assert second.returncode == 1 and b"another furat ingest is writing it" in second.stderr
    assert b"Traceback" not in second.stderr
    with Store(db, read_only=True) as store:
        assert store.stats()["documents"] == 11
    assert not Path(str(db) + ".ingest-lock").exists()


def test_an_ingest_lock_is_released_when_its_holder_closes(tmp_path: Path):
    db = str(tmp_path / "x.duckdb")
    first = IngestLock(db)
    first.acquire()
    second = IngestLock(db)
    with pytest.raises(RuntimeError, match="another furat ingest"):
        second.acquire()
    first.release()
    second.acquire()
    second.release()


@pytest.mark.parametrize("options", [
    ["--since", "notadate"], ["--until", "2021-13-45"], ["--limit", "0"], ["--limit", "-1"], ["--km", "-5"],
    ["--near", "91,200"], ["--type", "EXPLODE"], ["--country", "Narnia"], ["--near", "Xqzzyvillé"],
])
def test_a_wrong_query_option_is_one_line_and_exit_2(seeds_db: Path, options: list[str]):
    result = run_cli("events", "--db", str(seeds_db), *options)
    message = result.stderr.decode()
    assert result.returncode == 2, message
    assert "Traceback" not in message and "Exception" not in message and "SELECT" not in message
    assert options[0] in message or "Invalid value" in message
    if options[0] == "--type":
        assert "ASSAULT" in message and "PROTEST" in message  # the valid types are listed


def test_the_country_filter_takes_codes_and_names_in_three_languages(seeds_db: Path):
    found = {}
    for country in ("SYR", "SY", "Syria", "Syrie", "سوريا", "syr"):
        result = run_cli("events", "--db", str(seeds_db), "--country", country, "--format", "json")
        assert result.returncode == 0, result.stderr.decode()
        found[country] = sorted(e["event_id"] for e in json.loads(result.stdout))
    assert found["SYR"] and all(ids == found["SYR"] for ids in found.values())
    everything = json.loads(run_cli("events", "--db", str(seeds_db), "--format", "json").stdout)
    assert all(len(e["place_country"]) == 3 for e in everything if e["place_country"])


# ACLED's data export (codebook): its 31 columns in order and the value sets checked below.
CODEBOOK_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]
DISORDER = {"Political violence", "Demonstrations", "Strategic developments", "Political violence; Demonstrations"}
REGIONS = {"Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa", "South Asia",
           "Southeast Asia", "East Asia", "Middle East", "Europe", "Caucasus and Central Asia", "Central America",
           "South America", "Caribbean", "North America", "Oceania", "Antarctica"}
SUBTYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb", "Grenade",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}


def test_the_acled_csv_loads_with_pandas_and_follows_the_codebook(seeds_db: Path):
    result = run_cli("export", "--db", str(seeds_db), "--format", "acled-csv")
    assert result.returncode == 0, result.stderr.decode()
    frame = pd.read_csv(io.StringIO(result.stdout.decode()), keep_default_na=False)
    assert list(frame.columns) == CODEBOOK_COLUMNS and len(frame) >= 10
    for _, row in frame.iterrows():
        assert re.fullmatch(r"[A-Z]{3}\d+", row.event_id_cnty)
        assert str(row.year) == row.event_date[:4] and row.time_precision in (1, 2, 3)
        assert row.disorder_type in DISORDER and row.sub_event_type in SUBTYPES[row.event_type]
        assert row.actor1 and row.inter1 in range(1, 9) and row.inter2 in range(0, 9)
        pair = sorted((row.inter1, row.inter2))
        assert row.interaction == (row.inter1 * 10 if row.inter2 == 0 else pair[0] * 10 + pair[1])
        assert row.civilian_targeting in ("", "Civilian targeting")
        assert row.region in REGIONS and not re.fullmatch(r"[A-Z]{2,3}", row.country)
        assert str(row.geo_precision) in ("", "1", "2", "3") and row.fatalities >= 0 and row.timestamp > 1_600_000_000
        assert "certainty=" in row.tags
    syria = frame[frame.country == "Syria"]
    assert len(syria) and set(syria.iso) == {760} and set(syria.region) == {"Middle East"}
    assert set(syria.event_id_cnty.str[:3]) == {"SYR"}
    # a country or a province is not a point: ACLED's precision 3, a town 1
    by_place = dict(zip(frame.location, frame.geo_precision.astype(str), strict=False))
    assert by_place.get("Syria") == "3" and by_place.get("Ālbū Kamāl") == "1"


def test_stats_show_the_events(seeds_db: Path):
    table = run_cli("stats", "--db", str(seeds_db)).stdout.decode()
    data = json.loads(run_cli("stats", "--db", str(seeds_db), "--json").stdout)
    assert data["events"] > 0 and f"events_by_type: {next(iter(data['events_by_type']))}" in table


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "acled-csv", "geojson"])
def test_a_bad_out_is_a_usage_error_in_every_format(seeds_db: Path, tmp_path: Path, fmt: str):
    for out in (tmp_path / "no" / "such" / "dir" / "x", tmp_path):
        result = run_cli("export", "--db", str(seeds_db), "--format", fmt, "--out", str(out))
        assert result.returncode == 2 and b"--out" in result.stderr and b"Traceback" not in result.stderr


def test_a_missing_input_stops_before_the_database_is_made(tmp_path: Path):
    db = tmp_path / "never.duckdb"
    result = run_cli("ingest", str(tmp_path / "typo.txt"), "--db", str(db))
    assert result.returncode == 1 and b"no such file" in result.stderr and not db.exists()


def test_the_events_table_reads_at_80_columns(seeds_db: Path):
    lines = run_cli("events", "--db", str(seeds_db), "--limit", "5").stdout.decode().splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    words = {w for line in lines for w in line.split()}
    assert "certainty" in words and "ASSAULT" in words


def test_a_reader_that_stops_early_is_not_an_error(seeds_db: Path):
    """The shell's `furat export | head -1`: the seeds' documents are more than a pipe holds."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "furat.cli", "export", "--db", str(seeds_db), "--format", "jsonl"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().startswith(b"{")
        proc.stdout.close()
        errors = proc.stderr.read()
        assert proc.wait() == 0, errors
    assert b"Traceback" not in errors and b"Error" not in errors
