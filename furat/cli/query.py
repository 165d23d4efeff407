"""Commands that read the store: events, actors, stats, export."""


import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from furat.cli.common import (
    DbOpt,
    EventsFormat,
    ExportFormat,
    _check_out,
    _output,
    app,
    err,
)


@app.command(epilog="Exit status: 0 on success, 1 when the database cannot be read.")
def export(
    db: DbOpt = Path("furat.duckdb"),
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Documents: csv, jsonl (whole "
                   "documents) or parquet (needs --out). Events that happened (asserted or reported): "
                   "acled-csv (ACLED's columns), geojson (a FeatureCollection) or events-parquet (needs "
                   "--out): one row per linked event with its sources.")] = ExportFormat.jsonl,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (stdout if "
                   "omitted, except for parquet).")] = None,
) -> None:
    """Export the stored documents, or the events as ACLED CSV or GeoJSON.

    The ACLED CSV has the 31 columns of ACLED's data export, with ACLED's country names, regions,
    ISO numeric codes, actor types and interaction codes; furat's certainty and who reported each
    event are in `tags` and `notes`. Events without an ACLED type, a country or a date are left
    out (ACLED has no such record) and counted on stderr."""
    from furat.store.db import Store, StoreError

    if fmt in (ExportFormat.parquet, ExportFormat.events_parquet) and out is None:
        err.print(f"furat: error: --format {fmt.value} needs --out FILE")
        raise typer.Exit(2)
    _check_out(out)
    try:
        with Store(db, read_only=True) as store:
            if fmt is ExportFormat.events_parquet:
                store.export_events_parquet(out)
            elif fmt in (ExportFormat.acled_csv, ExportFormat.geojson):
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

    from furat.store.acled import ACLED_COLUMNS, acled_row
    from furat.store.events import geojson_collection

    rows = store.events(certainty=["asserted", "reported"])
    with _output(out) as stream:
        if fmt is ExportFormat.geojson:
            stream.write(geojson_collection(rows) + "\n")
            return
        ingested = store.ingested_at()
        writer = csv.writer(stream)
        writer.writerow(ACLED_COLUMNS)
        left_out = 0
        for r in rows:
            line = acled_row(r, ingested.get(r["doc_id"]))
            if line is None:
                left_out += 1
            else:
                writer.writerow(line)
    if left_out:
        err.print(f"furat: {left_out} of {len(rows)} event(s) left out of the ACLED CSV: no ACLED type, "
                  "country or date (see them with `furat events`)")


def _checked(fn: Any, *args: Any) -> Any:
    """Run a shared filter validator (furat/store/filters.py); a wrong value is a usage error."""
    from furat.store.filters import FilterError

    try:
        return fn(*args)
    except FilterError as exc:
        _usage(str(exc))


def _near(value: str | None) -> tuple[float, float] | None:
    """A point from "lat,lon" or a place name (resolved by the gazetteer when installed)."""
    from furat.store import filters

    return _checked(filters.point, value)


def _actor_names(query: str | None) -> list[str]:
    """Canonical names an --actor query denotes, through the actor KB's aliases in en/fr/ar."""
    from furat.store.filters import actor_names

    return actor_names(query)


TABLE_LIMIT = 50


def _day(option: str, value: str | None, last: bool) -> str | None:
    """A --since/--until value (YYYY, YYYY-MM or YYYY-MM-DD) as the first or last day it covers."""
    from furat.store import filters

    return _checked(filters.day, option, value, last)


def _usage(message: str) -> NoReturn:
    err.print(f"furat: error: {message}")
    raise typer.Exit(2)


def _country_code(value: str | None) -> str | None:
    from furat.store import filters

    return _checked(filters.country_code, value)


def _event_type(value: str | None, stored: set[str]) -> str | None:
    from furat.store import filters

    return _checked(filters.event_type, value, stored)


def _certainty(value: str | None) -> list[str] | None:
    from furat.store import filters

    return _checked(filters.certainty, value)


@app.command(epilog="Exit status: 0 on success (even with no event), 1 when the database cannot be read, "
             "2 when an option is wrong.")
def events(
    db: DbOpt = Path("furat.duckdb"),
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT, PROTEST "
                                              "(a wrong one lists them all).")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="An actor as the news names it, in any of "
                                              "the three languages (SDF, FDS, قسد, Daech), or part of "
                                              "its canonical name.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Where it happened or whose actors: a "
                       "country name in en/fr/ar or an ISO code (Syria, Syrie, سوريا, SY, SYR).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD (or YYYY-MM, YYYY): events whose "
                     "period ends on or after it.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD (or YYYY-MM, YYYY): events whose "
                     "period starts on or before it.")] = None,
    near: Annotated[str | None, typer.Option("--near", help="'lat,lon' or a place name.")] = None,
    km: Annotated[float, typer.Option("--km", help="Radius for --near, in km (> 0).")] = 50.0,
    all_: Annotated[bool, typer.Option("--all", help="Include hedged and negated events (by "
                    "default only asserted and reported ones).")] = False,
    fmt: Annotated[EventsFormat, typer.Option("--format", "-f", help="table (for reading), json or csv "
                   "(every column, every event).")] = EventsFormat.table,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help=f"At most this many (the table "
                     f"shows {TABLE_LIMIT} unless told).")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Table: one block per event with its ACLED type, "
                    "toll, source and evidence sentence.")] = False,
    min_sources: Annotated[int | None, typer.Option("--min-sources", help="Events told by at least this "
                           "many documents (linked reports).")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Events one of whose reports comes from this "
                      "outlet or input (part of its name, e.g. sana.sy).")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Events reported in this language "
                        "(fr, ar or en) by at least one source.")] = None,
    certainty: Annotated[str | None, typer.Option("--certainty", help="Comma-separated: asserted, reported, "
                         "hedged, denied, negated (replaces the default asserted,reported).")] = None,
    disputed: Annotated[bool, typer.Option("--disputed", help="Only events whose sources disagree (actor, "
                        "toll, date or place; see `furat event ID`).")] = False,
) -> None:
    """List stored events, filtered by type, actor, country, time and place.

    Examples:

      furat events --country Syria --since 2021-01 --type ASSAULT

      furat events --actor FDS --near "Deir ez-Zor" --km 30 --wide

      furat events --format csv > events.csv
    """
    from furat.store.db import Store, StoreError

    since_day, until_day = _day("--since", since, last=False), _day("--until", until, last=True)
    if km <= 0:
        _usage(f"--km {km:g}: the radius must be more than 0")
    iso3 = _country_code(country)
    if min_sources is not None and min_sources < 1:
        _usage(f"--min-sources {min_sources}: give a number of sources of 1 or more")
    from furat.store import filters

    _checked(filters.language, language)
    if source is not None and not source.strip():
        _usage("--source '': give part of an outlet or input name")
    levels = _certainty(certainty) or (None if all_ else ["asserted", "reported"])
    point = _near(near)
    shown = limit or (TABLE_LIMIT if fmt is EventsFormat.table else None)
    try:
        with Store(db, read_only=True) as store:
            kind = _event_type(type_, store.event_types())
            rows = store.events(type=kind, actor=actor, actor_names=_actor_names(actor), country=iso3,
                                since=since_day, until=until_day, near=point, km=km,
                                limit=shown + 1 if shown else None, certainty=levels,
                                min_sources=min_sources, source=source, language=language,
                                disputed=True if disputed else None)
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    more = shown is not None and len(rows) > shown
    rows = rows[:shown] if shown else rows
    if fmt is EventsFormat.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
    elif fmt is EventsFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["event_id"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        _events_table(rows, wide)
    if more:
        err.print(f"furat: the first {shown} events shown; more match (--limit N, or --format json/csv "
                  "for every event)")


def _events_table(rows: list[dict[str, Any]], wide: bool) -> None:
    """Events that read at 80 columns: a light table of the essentials, whole words wrapped; with
    --wide, one block per event with every field an analyst checks, evidence included."""
    from rich import box
    from rich.table import Table

    console = Console(highlight=False)

    def date_of(r: dict[str, Any]) -> str:
        return r["date"] or (f"≤{r['date_end']}" if r["date_end"] else "")

    if wide:
        console.print(f"{len(rows)} event(s)")
        for r in rows:
            block = Table(box=box.MINIMAL, show_header=False, title_justify="left",
                          title=f"{r['event_id']}  {date_of(r)}  {r['type']}  {r['certainty']}")
            block.add_column("field", style="bold", no_wrap=True)
            block.add_column("value")
            for name in ("acled_type", "acled_subtype", "actor1", "actor2", "place", "fatalities", "injured",
                         "reported_by", "n_sources", "outlet", "source", "evidence"):
                if r.get(name) not in (None, ""):
                    block.add_row(name, str(r[name]))
            console.print(block)
        return
    table = Table(title=f"{len(rows)} event(s)", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    fixed = {"date": 10, "type": 8, "dead": 4, "certainty": 9}  # never folded mid-word
    for column in ("date", "type", "actor1", "actor2", "place", "dead", "certainty"):
        table.add_column(column, justify="right" if column == "dead" else "left", no_wrap=column in fixed,
                         min_width=fixed.get(column), ratio=None if column in fixed else 1)
    for r in rows:
        cells = (date_of(r), r["type"], r["actor1"], r["actor2"], r["place"], r["fatalities"], r["certainty"])
        table.add_row(*("" if c is None else str(c) for c in cells))
    console.print(table)


@app.command("event", epilog="Exit status: 0 when the event is found, 1 when it is not or the database "
             "cannot be read.")
def event_cmd(
    event_id: Annotated[str, typer.Argument(help="An event id (ev-…) or the id of one of its mentions "
                                            "(<doc id>-<n>).")],
    db: DbOpt = Path("furat.duckdb"),
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """One linked event: its merged fields, the versions its sources disagree on, and each source's
    record with its evidence sentence."""
    from rich import box
    from rich.table import Table

    from furat.store.db import Store, StoreError

    try:
        with Store(db, read_only=True) as store:
            found = store.event(event_id)
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    if found is None:
        err.print(f"furat: error: no event or mention {event_id!r} in {db} (list them with `furat events`)")
        raise typer.Exit(1)
    row, mentions = found
    versions = json.loads(row["versions"]) if isinstance(row["versions"], str) else row["versions"] or {}
    if as_json:
        print(json.dumps({"event": {**row, "versions": versions}, "sources": mentions}, ensure_ascii=False,
                         default=str))
        return
    console = Console(highlight=False)
    head = Table(box=box.MINIMAL, show_header=False, title_justify="left", title=(
        f"{row['event_id']}  {row['date'] or ''}  {row['type']}  {row['n_sources']} source(s)"
        f"{'  DISPUTED' if row['disputed'] else ''}"))
    head.add_column("field", style="bold", no_wrap=True)
    head.add_column("value")
    for name in ("acled_type", "acled_subtype", "actor1", "actor2", "place", "fatalities", "injured",
                 "certainty", "languages", "outlets", "first_report", "last_report"):
        if row.get(name) not in (None, ""):
            head.add_row(name, str(row[name]))
    console.print(head)
    for field, values in versions.items():
        console.print(f"[bold]{field}[/bold] versions:")
        for v in values:
            console.print(f"  {v['value']}  ← {', '.join(s for s in v['sources'] if s) or '?'} "
                          f"({', '.join(v['mentions'])})")
    for m in mentions:
        where = m["outlet"] or m["source"] or ""
        console.print(f"[bold]{m['mention_id']}[/bold] {where} {m['published'] or ''} "
                      f"\\[{m['language']}] {m['certainty']}: {m['evidence'] or ''}")


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
    """Counts of what the database holds: documents, raw inputs, events by type and certainty,
    languages, months, outlets."""
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
    for key in ("documents", "raw_inputs", "raw_bytes", "events", "mentions", "events_linked",
                "events_disputed"):
        table.add_row(key, str(data[key]))
    for group in ("events_by_type", "events_by_certainty", "by_language", "published_precision", "by_month",
                  "by_outlet"):
        for name, value in data[group].items():
            table.add_row(f"{group.removeprefix('by_')}: {name}", str(value))
    console.print(table)
