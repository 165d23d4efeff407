"""Commands that run the pipeline: extract, ingest, and the single-stage tools geoparse and schema."""


import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from furat.cli.common import (
    EXIT_HELP,
    AsIsOpt,
    ConfigOpt,
    DbOpt,
    OutFormat,
    PathsArg,
    StagesOpt,
    _check_out,
    _check_paths,
    _finish,
    _output,
    _pipeline_docs,
    app,
    err,
)
from furat.config import load_config


@app.command(epilog=EXIT_HELP)
def extract(
    paths: PathsArg,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="json: one object "
                   '{"documents": [...]}; jsonl: one document per line, streamed.')] = OutFormat.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
    as_is: AsIsOpt = False,
    config: ConfigOpt = None,
    stages: StagesOpt = None,
) -> None:
    """Read news pages and print what furat finds in them, as JSON documents.

    Pages are cleaned of site chrome and split into articles; each article becomes a document
    with its title, outlet, author, publication date, languages and paragraphs, plus what the
    configured stages add. Memory is bounded by the batch, not by the corpus.

    Examples:

      furat extract page.txt

      furat extract corpus.jsonl --format jsonl --out docs.jsonl

      curl -s URL | furat extract -
    """
    _check_paths(paths)
    _check_out(out)
    count = 0
    with _output(out) as stream:
        docs, report = _pipeline_docs(paths, config, stages, as_is)
        if fmt is OutFormat.json:
            stream.write('{"documents": [')
        for doc in docs:
            line = doc.model_dump_json()
            if fmt is OutFormat.json:
                stream.write(("\n" if count == 0 else ",\n") + line)
            else:
                stream.write(line + "\n")
            count += 1
        if fmt is OutFormat.json:
            stream.write("\n]}\n")
    _finish(count, report)

@app.command(epilog=EXIT_HELP)
def ingest(
    paths: PathsArg,
    db: DbOpt = Path("furat.duckdb"),
    as_is: AsIsOpt = False,
    config: ConfigOpt = None,
    stages: StagesOpt = None,
) -> None:
    """Run the pipeline on the inputs and store the documents (and the raw inputs they came
    from) in an embedded DuckDB database. Re-ingesting the same input adds nothing; an
    interrupted run leaves whole batches stored and a re-run completes it.

    The database stays readable during the run (`furat events`, `stats`, `export` answer between
    batches); a second ingest into the same database stops at once with a message."""
    from furat.ingest.build import RawCache
    from furat.store.db import IngestCounts, Store, StoreError

    _check_paths(paths)
    try:  # before any model loads: a wrong --db costs a second, not half a minute
        store = Store(db, ingest=True)
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    raws = RawCache()
    counts = IngestCounts()
    with store:
        docs, report = _pipeline_docs(paths, config, stages, as_is, on_raw=raws)
        for counts in store.ingest(docs, raws.get):  # noqa: B007
            pass
        with store.reading() as done:
            total = done.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    err.print(f"furat: {counts.seen} document(s) read, {counts.added} new, "
              f"{counts.raw_added} new raw input(s); {total} document(s) in {db}")
    _finish(counts.seen, report)

@app.command()
def geoparse(
    text: Annotated[str, typer.Argument(help="Text to geoparse, a path to a text file, or - for stdin.")],
    lang: Annotated[str | None, typer.Option("--lang", help="fr, en or ar (default: detected per "
                                             "paragraph).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """Find and resolve the places in a text: a table of places (or JSON)."""
    from rich.table import Table

    from furat.geo.stage import Geoparser, detect_paragraphs

    if fmt not in ("table", "json"):
        raise typer.BadParameter("--format must be table or json")
    path = Path(text)
    if text == "-":
        text = sys.stdin.read()
    elif len(text) < 4096 and path.is_file():
        text = path.read_text(encoding="utf-8", errors="replace")
    elif not any(c.isspace() for c in text) and ("/" in text or path.suffix.lower() in (
            ".txt", ".html", ".htm", ".md", ".json", ".jsonl")):
        err.print(f"furat: error: {text}: no such file (give a text in quotes, a file, or - for stdin)")
        raise typer.Exit(2)
    places = Geoparser(load_config(None).get("geo", {})).parse(text, detect_paragraphs(text, lang))
    if fmt == "json":
        print(json.dumps([p.model_dump() for p in places], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(places)} places")
    for col in ("text", "start", "name", "feature", "cc", "admin1", "lat", "lon", "id", "conf"):
        table.add_column(col)
    for p in places:
        table.add_row(p.text, str(p.start), p.name or "-", p.feature or "-", p.country_code or "-",
                      p.admin1 or "-", f"{p.lat:.4f}" if p.lat is not None else "-",
                      f"{p.lon:.4f}" if p.lon is not None else "-", p.gazetteer_id or "-",
                      f"{p.confidence:.2f}" if p.confidence is not None else "-")
    Console(highlight=False).print(table)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here.")] = None,
) -> None:
    """Print the JSON Schema of a document (generated from furat/model.py)."""
    from furat.model import Document as Doc

    with _output(out) as stream:
        stream.write(json.dumps(Doc.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
