"""Commands that read the store: events, actors, stats, export."""


import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from furat.cli.common import (
    DbOpt,
    EventsFormat,
    ExportFormat,
    _output,
    app,
    err,
)


@app.command(epilog="Exit status: 0 on success, 1 when the database cannot be read.")
def export(
    db: DbOpt = Path("furat.duckdb"),
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Documents: csv, jsonl (whole "
                   "documents) or parquet (needs --out). Events that happened (asserted or reported): "
                   "acled-csv (ACLED's columns) or geojson (a FeatureCollection).")] = ExportFormat.jsonl,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (stdout if "
                   "omitted, except for parquet).")] = None,
) -> None:
    """Export the stored documents, or the events as ACLED CSV or GeoJSON."""
    from furat.store.db import Store, StoreError

    if fmt is ExportFormat.parquet and out is None:
        err.print("furat: error: --format parquet needs --out FILE")
        raise typer.Exit(2)
    try:
        with Store(db, read_only=True) as store:
            if fmt in (ExportFormat.acled_csv, ExportFormat.geojson):
                _export_events(store, fmt, out)
            elif out is not None and fmt is not ExportFormat.jsonl:
                list(store.export(fmt.value, out))
            else:
                with _output(out) as stream:
                    for line in store.export(fmt.value, None):
                        stream.write(line + "\n")
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc


def _export_events(store: Any, fmt: ExportFormat, out: Path | None) -> None:
    import csv

    from furat.store.events import ACLED_COLUMNS, acled_row, geojson_collection

    rows = store.events(certainty=["asserted", "reported"])
    with _output(out) as stream:
        if fmt is ExportFormat.geojson:
            stream.write(geojson_collection(rows) + "\n")
            return
        writer = csv.writer(stream)
        writer.writerow(ACLED_COLUMNS)
        writer.writerows(acled_row(r) for r in rows if r["acled_type"])


def _near(value: str | None) -> tuple[float, float] | None:
    """A point from "lat,lon" or a place name (resolved by the gazetteer when installed)."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) == 2:
        try:
            return float(parts[0]), float(parts[1])
        except ValueError:
            pass
    from furat.geo.gazetteer import load_gazetteer

    candidates = load_gazetteer().lookup(value) or load_gazetteer().fuzzy(value)
    point = (candidates[0].lat, candidates[0].lon) if candidates else None  # the most populous
    if point is None:
        err.print(f"furat: error: --near {value!r}: give 'lat,lon' or a place name furat knows")
        raise typer.Exit(2)
    return point


def _actor_names(query: str | None) -> list[str]:
    """Canonical names an --actor query denotes, through the actor KB's aliases in en/fr/ar."""
    if not query:
        return []
    from furat.actors.resolve import shared_resolver

    resolver = shared_resolver()
    names = {resolver.kb.records[m.record].name for lang in ("en", "fr", "ar")
             for m in resolver.find(query, lang) if m.end - m.start >= len(query.strip()) - 1}
    return sorted(names)


@app.command(epilog="Exit status: 0 on success (even with no event), 1 when the database cannot be read.")
def events(
    db: DbOpt = Path("furat.duckdb"),
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="An actor as the news names it, in any of "
                                              "the three languages (SDF, FDS, قسد, Daech), or part of "
                                              "its canonical name.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Actor country (ISO-3, e.g. SYR) or "
                       "place country code.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD: events whose period ends on "
                     "or after it.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD: events whose period starts "
                     "on or before it.")] = None,
    near: Annotated[str | None, typer.Option("--near", help="'lat,lon' or a place name.")] = None,
    km: Annotated[float, typer.Option("--km", help="Radius for --near, in km.")] = 50.0,
    all_: Annotated[bool, typer.Option("--all", help="Include hedged and negated events (by "
                    "default only asserted and reported ones).")] = False,
    fmt: Annotated[EventsFormat, typer.Option("--format", "-f")] = EventsFormat.table,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
) -> None:
    """List stored events, filtered by type, actor, country, time and place."""
    import csv

    from rich.table import Table

    from furat.store.db import Store, StoreError

    try:
        with Store(db, read_only=True) as store:
            rows = store.events(type=type_, actor=actor, actor_names=_actor_names(actor),
                                country=country, since=since, until=until,
                                near=_near(near), km=km, limit=limit,
                                certainty=None if all_ else ["asserted", "reported"])
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    if fmt is EventsFormat.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    if fmt is EventsFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["event_id"])
        writer.writeheader()
        writer.writerows(rows)
        return
    table = Table(title=f"{len(rows)} event(s)")
    for column in ("date", "type", "acled_subtype", "actor1", "actor2", "place", "fatalities", "certainty",
                   "evidence"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(*(str(r[c]) if r[c] is not None else "" for c in
                        ("date", "type", "acled_subtype", "actor1", "actor2", "place", "fatalities",
                         "certainty")), (r["evidence"] or "")[:120])
    Console(highlight=False).print(table)


@app.command("actors", epilog="Exit status: 0 on success, 1 when the database cannot be read.")
def actors_cmd(
    db: DbOpt = Path("furat.duckdb"),
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", help="Ignore mentions resolved with less confidence (coreference: 0.5).")] = 0.0,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many actors.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")] = False,
) -> None:
    """Canonical actors of the stored documents with their mention and document counts."""
    from rich.table import Table

    from furat.actors.report import actor_counts
    from furat.store.db import StoreError

    try:
        rows = actor_counts(db, min_confidence, limit)
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    columns = ("name", "country", "sector", "ucdp_id", "mentions", "documents", "confidence")
    table = Table(title=f"actors in {db}")
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*(str(row[c]) if row[c] is not None else "" for c in columns))
    Console(highlight=False).print(table)


@app.command(epilog="Exit status: 0 on success, 1 when the database cannot be read.")
def stats(
    db: DbOpt = Path("furat.duckdb"),
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Counts of what the database holds: documents, raw inputs, languages, months, outlets."""
    from rich.table import Table

    from furat.store.db import Store, StoreError

    try:
        with Store(db, read_only=True) as store:
            data = store.stats()
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    console = Console(highlight=False)
    table = Table(title=f"furat database {data['database']} (v{data['db_version']})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("documents", "raw_inputs", "raw_bytes"):
        table.add_row(key, str(data[key]))
    for group in ("by_language", "published_precision", "by_month", "by_outlet"):
        for name, value in data[group].items():
            table.add_row(f"{group.removeprefix('by_')}: {name}", str(value))
    console.print(table)
