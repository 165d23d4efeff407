"""Load on `furat serve` over loopback: a store of N generated events, bursts of 200 concurrent requests.

Generates a database whose events table holds N synthetic linked events (types, actors, places in
Syria and Iraq, dates over five years), starts `furat serve` as its own process on a free port, and
fires bursts of BURST requests at once, each on its own connection, from this process (the client:
raw HTTP/1.1 on an asyncio Protocol, uvloop's when installed, so that the client's own CPU, taken
from the same cores, stays small next to the server's). Each burst is
a mix of filtered queries with varied parameters (types, countries, date windows, points and radii,
pages, certainty, languages) drawn from a pool of DISTINCT queries never asked before, for:

- `/events`: a page of a filtered list, as tools ask it;
- `/events.geojson`: filtered GeoJSON as the web page asks it (`properties=map`, every match) and,
  for a quarter of the pool, with every property.

Per endpoint three bursts, in this order: **cold, all distinct** (BURST different queries, none
asked before: every one computed), **cold, mixed** (BURST requests over DISTINCT new queries:
each computed once, the identical ones wait for it) and **warm** (the mixed burst again: answered
from the server's cache). The server says per answer whether it came from its cache (`X-Cache`),
so the table gives the hits (a request that waited for an identical one counts as a hit), and the
server's CPU time per request (its processes' user + system time over the burst, from /proc: what
the host's load does not change much). The whole is repeated RUNS times on a new server each time and the
best run (lowest p95 per row) is reported, next to the host's load average (`uptime`).

With `--wrk SECONDS`, a second view follows with a C load generator (wrk, when installed): 200
connections kept open for that long, cycling through DISTINCT new queries per endpoint (after the
first pass, mostly cache hits), with its p50/p95/p99 and errors.

Usage: python bench/bench_api.py [--events 10000] [--burst 200] [--distinct 50] [--runs 3]
       [--workers 2] [--gzip] [--wrk SECONDS] [--db FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from furat.store.db import Store
from furat.store.events import LINKED_COLUMNS, bulk_insert

TYPES = ["ASSAULT"] * 5 + ["MOBILIZE"] * 2 + ["THREATEN", "PROTEST", "ACCUSE", "AID", "COERCE", "RETREAT"]
ACTORS = [("Syrian Democratic Forces", "SYR"), ("Islamic State", "IRQ"), ("Syrian Arab Army", "SYR"),
          ("Russian Armed Forces", "RUS"), ("Turkish Armed Forces", "TUR"), ("Iraqi Army", "IRQ")]
PLACES = [("Deir ez-Zor", 35.336, 40.14, "SYR"), ("Raqqa", 35.95, 39.01, "SYR"),
          ("Aleppo", 36.2, 37.16, "SYR"), ("Idlib", 35.93, 36.63, "SYR"), ("Mosul", 36.34, 43.13, "IRQ"),
          ("Hasakah", 36.5, 40.75, "SYR"), ("Palmyra", 34.56, 38.28, "SYR"), ("Kirkuk", 35.47, 44.39, "IRQ")]
COUNTRIES = ["Syria", "SYR", "Syrie", "Iraq", "IRQ", "العراق"]


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
        bulk_insert(conn, "events", LINKED_COLUMNS, rows)


def window(rng: random.Random) -> dict[str, str]:
    """A date window: a year, a few months, or a span of years."""
    year = rng.randrange(2019, 2024)
    kind = rng.random()
    if kind < 0.4:
        return {"since": str(year), "until": str(year)}
    if kind < 0.8:
        month = rng.randrange(1, 11)
        return {"since": f"{year}-{month:02d}", "until": f"{year}-{month + rng.randrange(0, 3):02d}"}
    return {"since": str(year), "until": str(min(year + rng.randrange(1, 3), 2023))}


def events_query(rng: random.Random) -> str:
    """A filtered page of `/events` (at least two filters)."""
    params: dict[str, str] = {}
    if rng.random() < 0.7:
        params["type"] = rng.choice(TYPES)
    if rng.random() < 0.5:
        params["country"] = rng.choice(COUNTRIES)
    if rng.random() < 0.7:
        params.update(window(rng))
    if rng.random() < 0.3:
        _, lat, lon, _ = rng.choice(PLACES)
        params.update(near=f"{lat},{lon}", km=str(rng.choice([10, 25, 50, 100])))
    if rng.random() < 0.2:
        params["certainty"] = rng.choice(["asserted", "reported", "asserted,reported"])
    if len(params) < 2:
        params.update(window(rng))
    params["limit"] = str(rng.choice([20, 50, 100, 100]))
    params["offset"] = str(rng.choice([0, 0, 0, 100, 200]))
    return "/events?" + urlencode(params)


def geojson_query(rng: random.Random) -> str:
    """Filtered GeoJSON as the page asks it (every match, map properties), a quarter with every
    property."""
    params: dict[str, str] = {}
    if rng.random() < 0.8:
        params["type"] = rng.choice(TYPES)
    if rng.random() < 0.5:
        params["country"] = rng.choice(COUNTRIES)
    params.update(window(rng))
    params["certainty"] = rng.choice(["asserted,reported"] * 3 + ["asserted"])
    params["limit"] = "50000"
    params["properties"] = "all" if rng.random() < 0.25 else "map"
    return "/events.geojson?" + urlencode(params)


def pool(make, rng: random.Random, n: int, seen: set[str]) -> list[str]:
    """n distinct queries never asked before."""
    out: list[str] = []
    while len(out) < n:
        q = make(rng)
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "furat.cli", "serve", "--db", str(db), "--port", str(port),
               "--workers", str(workers)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=1).close()
            # each worker answers (and has opened the database) before the bursts
            for _ in range(4 * workers):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("furat serve did not start")


class Get(asyncio.Protocol):
    """One GET on its own connection, read as it comes (a Protocol, not a stream: the client keeps
    to a list append per chunk, so its CPU, taken from the same two cores, stays small)."""

    def __init__(self, target: str, done: asyncio.Future, gzip: bool) -> None:
        accept = "Accept-Encoding: gzip\r\n" if gzip else ""
        self.request = (f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{accept}Connection: close\r\n\r\n"
                        ).encode()
        self.done = done
        self.chunks: list[bytes] = []
        self.size = 0
        self.expected = -1  # bytes of head and body, once the head is read
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.size += len(data)
        if self.expected < 0 and (self.size > 4096 or b"\r\n\r\n" in data):
            head, sep, _ = b"".join(self.chunks).partition(b"\r\n\r\n")
            if sep:
                length = [line.split(b":", 1)[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")]
                self.expected = len(head) + 4 + int(length[0]) if length else 1 << 62
        if self.size >= self.expected > 0:
            self.finish()

    def connection_lost(self, exc: Exception | None) -> None:
        self.finish()

    def finish(self) -> None:
        if not self.done.done():
            self.done.set_result(b"".join(self.chunks))
            if self.transport is not None:
                self.transport.close()


async def get(port: int, target: str, gzip: bool = False) -> tuple[float, bool, bool, int]:
    """One GET on a new connection: (seconds to the whole body, ok, answered from the cache, bytes)."""
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    done: asyncio.Future = loop.create_future()
    try:
        await loop.create_connection(lambda: Get(target, done, gzip), "127.0.0.1", port)
        data = await asyncio.wait_for(done, 60)
    except (OSError, TimeoutError):
        return time.perf_counter() - start, False, False, 0
    elapsed = time.perf_counter() - start
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    ok = (len(lines[0].split(" ")) > 1 and lines[0].split(" ")[1] == "200"
          and len(body) == int(headers.get("content-length", -1)) > 0)
    return elapsed, ok, headers.get("x-cache") == "hit", len(body)


async def burst(port: int, targets: list[str], gzip: bool = False) -> list[tuple[float, bool, bool, int]]:
    """Every target at once, each on its own connection."""
    return await asyncio.gather(*(get(port, t, gzip) for t in targets))


@dataclass
class Row:
    label: str
    requests: int
    distinct: int
    hits: int
    errors: int
    p50: float
    p95: float
    top: float
    cpu: float  # the server's CPU time (all its processes) per request, ms
    kb: float  # mean answer size
    load: str


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (the workers), from /proc."""
    total = 0.0
    pids = [pid]
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            pids.append(int(child))
        for p in pids:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")
    return total


def measure(proc: subprocess.Popen, port: int, label: str, targets: list[str], gzip: bool) -> Row:
    before = cpu_seconds(proc.pid)
    try:  # the client's own CPU is taken from the same cores: the lighter loop when there is one
        import uvloop

        results = uvloop.run(burst(port, targets, gzip))
    except ImportError:
        results = asyncio.run(burst(port, targets, gzip))
    cpu = cpu_seconds(proc.pid) - before
    times = [t for t, _, _, _ in results]
    q = statistics.quantiles(times, n=100)
    return Row(label, len(results), len(set(targets)), sum(h for _, _, h, _ in results),
               sum(not ok for _, ok, _, _ in results), q[49] * 1000, q[94] * 1000, max(times) * 1000,
               cpu * 1000 / len(results), statistics.mean(n for *_, n in results) / 1000,
               f"{os.getloadavg()[0]:.2f}")


def run(db: Path, workers: int, burst_size: int, distinct: int, rng: random.Random,
        seen: set[str], gzip: bool) -> list[Row]:
    proc, port = serve(db, workers)
    rows = []
    try:
        for name, make in (("/events", events_query), ("/events.geojson", geojson_query)):
            rows.append(measure(proc, port, f"`{name}` cold, all distinct",
                                pool(make, rng, burst_size, seen), gzip))
            fresh = pool(make, rng, distinct, seen)
            mixed = [fresh[i % distinct] for i in range(burst_size)]
            rng.shuffle(mixed)
            rows.append(measure(proc, port, f"`{name}` cold, mixed", mixed, gzip))
            rng.shuffle(mixed)
            rows.append(measure(proc, port, f"`{name}` warm", mixed, gzip))
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return rows


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%.1f %%.1f %%.1f\\n", summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def steady(db: Path, workers: int, seconds: int, distinct: int, rng: random.Random, seen: set[str]) -> None:
    """A second view with a C client (wrk, when installed): 200 connections kept open for `seconds`,
    cycling through `distinct` new queries per endpoint (so after the first pass, mostly cache hits)."""
    import shutil

    if shutil.which("wrk") is None:
        print("(wrk not installed: no steady-load figures)")
        return
    proc, port = serve(db, workers)
    try:
        print(f"\nwrk -t2 -c200 -d{seconds}s, {distinct} distinct queries cycling, keep-alive; host: "
              + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
        print("| endpoint | requests | req/s | socket errors | non-200 | p50 ms | p95 ms | p99 ms |")
        print("|---|---|---|---|---|---|---|---|")
        for name, make in (("/events", events_query), ("/events.geojson", geojson_query)):
            paths = ", ".join(f"[[{q}]]" for q in pool(make, rng, distinct, seen))
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(WRK_SCRIPT % paths)
            command = ["wrk", "-t2", "-c200", f"-d{seconds}s", "--timeout", "10s", "-s", script.name,
                       f"http://127.0.0.1:{port}"]
            out = subprocess.run(command, capture_output=True, text=True).stdout
            Path(script.name).unlink()
            fields = next((line.split()[1:] for line in out.splitlines() if line.startswith("RESULT")), None)
            if fields is None:
                print(f"| `{name}` | wrk failed: {out.strip()[-200:]} |")
                continue
            n, errors, status, p50, p95, p99 = fields
            print(f"| `{name}` | {n} | {int(n) / seconds:.0f} | {errors} | {status} | {float(p50):.0f} | "
                  f"{float(p95):.0f} | {float(p99):.0f} |", flush=True)
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--distinct", type=int, default=50, help="distinct queries in a mixed burst")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="furat serve --workers")
    parser.add_argument("--db", type=Path, help="Reuse (or keep) the generated database here.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gzip", action="store_true",
                        help="requests say Accept-Encoding: gzip, as browsers, httpx and requests do")
    parser.add_argument("--wrk", type=int, default=0, metavar="SECONDS",
                        help="then this long under wrk (200 connections kept open), when installed")
    args = parser.parse_args()
    rng, seen = random.Random(args.seed), set()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if not db.exists():
            generate(db, args.events)
        runs = []
        for i in range(args.runs):
            runs.append(run(db, args.workers, args.burst, args.distinct, rng, seen, args.gzip))
            print(f"run {i + 1}: " + ", ".join(f"{r.label} p95 {r.p95:.0f} ms ({r.errors} err)"
                                               for r in runs[-1]), file=sys.stderr, flush=True)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"{args.events} events, furat serve --workers {args.workers}; bursts of {args.burst} concurrent "
          f"requests{', Accept-Encoding: gzip' if args.gzip else ''}; best of {args.runs} runs per row; "
          f"host: {uptime}")
    print("| burst | requests | distinct | cache hits | errors | p50 ms | p95 ms | max ms "
          "| server CPU ms/req | KB/answer | load 1 min |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for i in range(len(runs[0])):
        best = min((r[i] for r in runs), key=lambda r: r.p95)
        errors = sum(r[i].errors for r in runs)
        print(f"| {best.label} | {best.requests} | {best.distinct} | {best.hits} | {errors} (all runs) | "
              f"{best.p50:.0f} | {best.p95:.0f} | {best.top:.0f} | {best.cpu:.2f} | {best.kb:.0f} | "
              f"{best.load} |", flush=True)
        if args.wrk:
            steady(db, args.workers, args.wrk, args.distinct, rng, seen)


if __name__ == "__main__":
    main()
