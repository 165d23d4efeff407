"""Incremental linking: 1,000 new documents' events into a store of 100,000 events (generated data).

Not a test. A store is filled with N generated events (one mention each: dates over three years,
PLOVER types, places around Syria, unit sentence vectors), then M new documents of ~5 events each
arrive in ingest batches of 64 documents; a third of their events retell a stored occurrence (a
vector near the stored one, same day and type, a place a few km away). Timed: inserting the new
mentions and linking them (`furat.link.linker.link`), batch by batch, as `furat ingest` does. The
sentence encoder is timed apart (its cost is per sentence, whatever the store holds).
The store is in date order (as filled by the news) and the new documents tell of its last two months;
`--spread` draws their dates over the whole three years instead (the worst case: every batch reaches
every part of the store). Run: `nice -n 10 python bench/bench_linking.py [stored] [new_docs] [--spread]
[--store=FILE]` (FILE: a store made once by `bench/bench_linking.py --build FILE 100000`).
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from furat.link.consensus import event_id
from furat.link.features import type_group
from furat.link.linker import link
from furat.store.db import Store
from furat.store.events import EVENT_COLUMNS, LINKED_COLUMNS, insert_mentions

TYPES = ["ASSAULT"] * 5 + ["MOBILIZE", "COERCE", "THREATEN", "ACCUSE", "AGREE", "PROTEST", "REQUEST"]
ACTORS = [("Syrian Arab Army", "SYR"), ("Islamic State", None), ("Syrian Democratic Forces", "SYR"),
          ("Russian Armed Forces", "RUS"), ("United States Armed Forces", "USA"), ("Turkey", "TUR")]
START = date(2021, 1, 1)


def _mention(rng: np.random.Generator, doc: str, n: int, day: date, kind: str, lat: float, lon: float,
             actor: int, lang: str) -> dict:
    row = dict.fromkeys(EVENT_COLUMNS)
    row.update(event_id=f"{doc}-{n}", doc_id=doc, n=n, type=kind, actor1=ACTORS[actor][0],
               actor1_country=ACTORS[actor][1], place=f"p{int(lat * 100)}_{int(lon * 100)}", latitude=lat,
               longitude=lon, place_country="SYR", date=day.isoformat(), date_precision="day",
               date_start=day, date_end=day, certainty="asserted", evidence=f"generated {doc} {n}",
               source=f"{doc}.txt", outlet=f"outlet{rng.integers(40)}", published=day.isoformat(),
               language=lang)
    return row


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, 512)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def build_store(path: Path, stored: int, rng: np.random.Generator) -> tuple[list[dict], np.ndarray]:
    """`stored` singleton events, bulk-loaded (what linking them would give: no two are related)."""
    Store(path).close()  # the schema, at the current version
    days = np.sort(rng.integers(3 * 365, size=stored))  # stored as the news came: in date order
    rows = [_mention(rng, f"old{i:06d}", 0, START + timedelta(days=int(days[i])),
                     TYPES[rng.integers(len(TYPES))], 33 + 4 * rng.random(), 36 + 6 * rng.random(),
                     int(rng.integers(len(ACTORS))), ("fr", "ar", "en")[i % 3]) for i in range(stored)]
    vecs = _unit(rng, stored)
    frame = pd.DataFrame([{("mention_id" if k == "event_id" else k): v for k, v in r.items()} for r in rows])
    frame["grp"] = [type_group(t) for t in frame["type"]]
    frame["day_from"] = frame["date_start"]
    frame["day_to"] = frame["date_end"]
    frame["embedding"] = list(np.round(vecs, 6))
    frame["component"] = frame["mention_id"]
    frame["event_id"] = [event_id([m]) for m in frame["mention_id"]]
    events = pd.DataFrame({c: frame.get(c) for c in LINKED_COLUMNS})
    events["event_id"] = frame["event_id"]
    events["mention_id"] = frame["mention_id"]
    events["n_sources"] = 1
    events["n_languages"] = 1
    events["languages"] = [json.dumps([x]) for x in frame["language"]]
    events["outlets"] = [json.dumps([x]) for x in frame["outlet"]]
    events["mentions"] = [json.dumps([m]) for m in frame["mention_id"]]
    events["first_report"] = events["last_report"] = frame["published"]
    events["disputed"] = False
    events["versions"] = "{}"
    with duckdb.connect(str(path)) as conn:
        conn.register("frame", frame)
        cols = ", ".join(frame.columns)
        conn.execute(f"INSERT INTO mentions ({cols}) SELECT {cols} FROM frame")
        conn.register("ev", events)
        names = ", ".join(LINKED_COLUMNS)
        conn.execute(f"INSERT INTO events ({names}) SELECT {names} FROM ev")
    return rows, vecs


def sample_stored(path: Path, n: int, since: date) -> tuple[list[dict], np.ndarray]:
    """Stored events the new documents will retell (read back: the store is built in another process,
    so that the peak memory measured here is linking's)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        cur = conn.execute("SELECT date_start, type, latitude, longitude, actor1, actor1_country, embedding "
                           f"FROM (SELECT * FROM mentions WHERE day_from >= ?) "
                           f"USING SAMPLE reservoir({int(n)} ROWS) REPEATABLE (18)", [since])
        rows = cur.fetchall()
    keys = ["date_start", "type", "latitude", "longitude", "actor1", "actor1_country"]
    vecs = np.array([r[-1] for r in rows], dtype=np.float32)
    return [dict(zip(keys, r[:-1], strict=True)) for r in rows], vecs


def new_documents(rng: np.random.Generator, docs: int, stored: list[dict], vecs: np.ndarray,
                  first_day: int = 0) -> list[tuple[list[list], np.ndarray]]:
    """Per document: its event rows and vectors (events from `first_day` on); a third retell a
    stored event."""
    out = []
    for d in range(docs):
        rows, vs = [], []
        for n in range(int(rng.integers(3, 8))):
            if rng.random() < 1 / 3:
                k = int(rng.integers(len(stored)))
                old = stored[k]
                r = _mention(rng, f"new{d:05d}", n, old["date_start"], old["type"], old["latitude"] + 0.02,
                             old["longitude"] - 0.02, ACTORS.index((old["actor1"], old["actor1_country"])),
                             "en")
                v = vecs[k] + 0.05 * _unit(rng, 1)[0]
                vs.append(v / np.linalg.norm(v))
            else:
                day = START + timedelta(days=int(rng.integers(first_day, 3 * 365)))
                r = _mention(rng, f"new{d:05d}", n, day,
                             TYPES[rng.integers(len(TYPES))], 33 + 4 * rng.random(), 36 + 6 * rng.random(),
                             int(rng.integers(len(ACTORS))), "fr")
                vs.append(_unit(rng, 1)[0])
            rows.append([r[c] for c in EVENT_COLUMNS])
        out.append((rows, np.array(vs)))
    return out


def _io() -> tuple[int, int]:
    """Bytes this process has read from and written to storage (Linux; zeros elsewhere)."""
    try:
        fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    except OSError:
        return 0, 0
    return int(fields["read_bytes"]), int(fields["write_bytes"])


def _cpu() -> float:
    """User + system seconds of this process, DuckDB's threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    if sys.argv[1:2] == ["--build"]:
        build_store(Path(sys.argv[2]), int(sys.argv[3]), np.random.default_rng(18))
        return
    spread = "--spread" in sys.argv
    copy = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--store=")), None)
    args = [a for a in sys.argv[1:] if a != "--spread" and not a.startswith("--store=")]
    stored_n = int(args[0]) if args else 100_000
    new_n = int(args[1]) if len(args) > 1 else 1_000
    rng = np.random.default_rng(19)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        if copy:  # a store built before by `--build FILE N` (the same seed gives the same store)
            shutil.copy(copy, path)
        else:
            subprocess.run([sys.executable, __file__, "--build", str(path), str(stored_n)], check=True)
        print(f"store of {stored_n:,} events built in {time.perf_counter() - t0:.1f} s")
        # new documents tell of the last two months (retold events too), unless --spread: any day
        first = 0 if spread else 3 * 365 - 60
        stored, vecs = sample_stored(path, 2000, START + timedelta(days=first))
        docs = new_documents(rng, new_n, stored, vecs, first)
        del stored, vecs
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0, cpu0, io0 = time.perf_counter(), _cpu(), _io()
        mentions = written = 0
        for start in range(0, len(docs), 64):  # furat ingest's batch: one connection, one transaction
            batch = docs[start:start + 64]
            rows = [r for d in batch for r in d[0]]
            embeddings = np.vstack([d[1] for d in batch])
            with duckdb.connect(str(path)) as conn:
                conn.execute("BEGIN TRANSACTION")
                new = insert_mentions(conn, rows, embeddings)
                written += link(conn, new)
                conn.execute("COMMIT")
            mentions += len(new)
        took, cpu = time.perf_counter() - t0, _cpu() - cpu0
        read, wrote = (b - a for a, b in zip(io0, _io(), strict=True))
        with duckdb.connect(str(path), read_only=True) as conn:
            events, linked = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE n_sources > 1) FROM events").fetchone()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{new_n:,} new documents ({mentions:,} mentions) linked into {stored_n:,} stored events in "
          f"{took:.1f} s ({1000 * took / new_n:.1f} ms/document); {written:,} events written; store now "
          f"{events:,} events, {linked:,} with more than one source")
    print(f"CPU time of this process (all its threads) while linking: {cpu:.1f} s (on a loaded machine "
          f"the wall time above grows with the load, this much less); storage read {read / 2**20:.0f} MB, "
          f"written {wrote / 2**20:.0f} MB")
    print(f"peak RSS {peak:.0f} MB (before linking {rss0:.0f} MB)")
    from furat.link.features import embed

    sentences = [f"Syrian army units shelled positions near Deir ez-Zor on day {i}." for i in range(300)]
    t0 = time.perf_counter()
    embed(sentences)
    t1 = time.perf_counter()
    embed(sentences)
    print(f"sentence encoder (USE, 1 thread): {len(sentences) / (time.perf_counter() - t1):.0f} sentences/s "
          f"(first call with loading {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
