"""Load on `furat serve` over loopback: a store of N generated events, bursts of concurrent requests.

Generates a database whose events table holds N synthetic linked events (types, actors, places in
Syria and Iraq, dates over five years), starts `furat serve` on a free port, then for each query
fires BURST requests at once (httpx, one connection each) ROUNDS times and reports errors, p50,
p95 and max latency and the throughput.

Usage: python bench/bench_api.py [--events 10000] [--burst 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import httpx

from furat.store.db import Store
from furat.store.events import LINKED_COLUMNS

TYPES = ["ASSAULT"] * 5 + ["MOBILIZE"] * 2 + ["THREATEN", "PROTEST", "ACCUSE", "AID", "COERCE", "RETREAT"]
ACTORS = [("Syrian Democratic Forces", "SYR"), ("Islamic State", "IRQ"), ("Syrian Arab Army", "SYR"),
          ("Russian Armed Forces", "RUS"), ("Turkish Armed Forces", "TUR"), ("Iraqi Army", "IRQ")]
PLACES = [("Deir ez-Zor", 35.336, 40.14, "SYR"), ("Raqqa", 35.95, 39.01, "SYR"),
          ("Aleppo", 36.2, 37.16, "SYR"), ("Idlib", 35.93, 36.63, "SYR"), ("Mosul", 36.34, 43.13, "IRQ"),
          ("Hasakah", 36.5, 40.75, "SYR"), ("Palmyra", 34.56, 38.28, "SYR"), ("Kirkuk", 35.47, 44.39, "IRQ")]
QUERIES = {  # name: (path, burst size; None: --burst)
    "/events filtered": ("/events?type=ASSAULT&country=Syria&since=2020-01&until=2020-12&limit=100", None),
    "/events near + page 3": ("/events?near=35.336,40.14&km=50&limit=100&offset=200", None),
    "/events.geojson filtered": ("/events.geojson?type=ASSAULT&country=SYR&since=2020-01&until=2020-12",
                                 None),
    "/events.geojson all, 10k (burst 10)": ("/events.geojson?limit=50000", 10),
}


def generate(path: Path, n: int, seed: int = 7) -> None:
    """A furat database (current schema) whose events table holds n synthetic events."""
    rng = random.Random(seed)
    Store(path).close()  # creates the tables at the current version
    rows = []
    for i in range(n):
        a1, a2 = rng.sample(ACTORS, 2)
        place, lat, lon, country = rng.choice(PLACES)
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        row = dict.fromkeys(LINKED_COLUMNS)
        row.update(
            event_id=f"ev-{i:08d}", doc_id=f"doc{i // 5}", n=i % 5, type=rng.choice(TYPES), actor1=a1[0],
            actor1_country=a1[1], actor2=a2[0], actor2_country=a2[1], place=place,
            latitude=lat + rng.uniform(-0.2, 0.2), longitude=lon + rng.uniform(-0.2, 0.2),
            place_country=country,
            date=day.isoformat(), date_precision="day", date_start=day, date_end=day,
            fatalities=rng.choice([None, 0, 1, 2, 5, 12]), certainty=rng.choice(["asserted", "reported"]),
            confidence=0.9, evidence=f"Synthetic report {i} of clashes in {place}.", outlet="bench",
            source="bench", published=day.isoformat(), language=rng.choice(["fr", "ar", "en"]),
            mention_id=f"doc{i // 5}-{i % 5}", n_sources=1, n_languages=1, languages=json.dumps(["fr"]),
            outlets=json.dumps(["bench"]), mentions=json.dumps([f"doc{i // 5}-{i % 5}"]), disputed=False,
            versions="{}")
        rows.append([row[c] for c in LINKED_COLUMNS])
    import duckdb

    with duckdb.connect(str(path)) as conn:
        conn.executemany(f"INSERT INTO events ({', '.join(LINKED_COLUMNS)}) VALUES "
                         f"({', '.join('?' * len(LINKED_COLUMNS))})", rows)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "furat.cli", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/stats", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("furat serve did not start")


async def burst(url: str, size: int, distinct: bool) -> tuple[list[float], int]:
    """`size` requests at once; their latencies (s) and the number that failed. `distinct`: each
    request differs (an unused parameter), so none is answered from the server's cache."""
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        async def one(i: int) -> tuple[float, bool]:
            start = time.perf_counter()
            try:
                response = await client.get(f"{url}&bust={time.time_ns()}-{i}" if distinct else url)
                ok = response.status_code == 200 and len(response.content) > 0
            except httpx.HTTPError:
                ok = False
            return time.perf_counter() - start, ok

        results = await asyncio.gather(*(one(i) for i in range(size)))
    return [t for t, _ in results], sum(not ok for _, ok in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, help="Reuse (or keep) the generated database here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if not db.exists():
            generate(db, args.events)
        proc, base = serve(db)
        try:
            print(f"{args.events} events; {args.rounds} bursts of {args.burst} concurrent requests per query")
            print("| query | requests | burst | errors | p50 ms | p95 ms | max ms | req/s | matches |")
            print("|---|---|---|---|---|---|---|---|---|")
            for name, (path, size) in QUERIES.items():
                body = httpx.get(base + path, timeout=60).json()
                matches = len(body.get("events", body.get("features", [])))
                for distinct in (False, True):
                    times, errors = [], 0
                    start = time.perf_counter()
                    for _ in range(args.rounds):
                        t, e = asyncio.run(burst(base + path, size or args.burst, distinct))
                        times += t
                        errors += e
                    wall = time.perf_counter() - start
                    q = statistics.quantiles(times, n=100)
                    label = f"`{name}`, " + ("each request different" if distinct else "same request")
                    ms = [f"{v * 1000:.0f}" for v in (q[49], q[94], max(times))]
                    print(f"| {label} | {len(times)} | {size or args.burst} | {errors} | {' | '.join(ms)} | "
                          f"{len(times) / wall:.0f} | {matches} |", flush=True)
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
