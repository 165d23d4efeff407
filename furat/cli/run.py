"""Commands that run the pipeline: extract, ingest, and the single-stage tools geoparse and schema."""


import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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

WorkersOpt = Annotated[
    int,
    typer.Option("--workers", "-w", min=1, help="Worker processes, each loading the models once "
                 "(~1 GB each): output identical to one; 2 on a 2-core machine."),
]


class Engine(StrEnum):
    local = "local"
    dask = "dask"


def _runner(workers: int, raws: Any = None) -> Callable[..., Any] | None:
    """What `_pipeline_docs` runs the stages with: None (this process) for one worker, else a
    pool of worker processes; the raw-input cache is widened to the documents in flight."""
    if workers <= 1:
        return None

    def make(config: dict[str, Any], names: list[str] | None) -> Any:
        from furat.scale.workers import ParallelPipeline

        pipeline = ParallelPipeline.from_config(config, names, workers)
        if raws is not None:
            raws.size = max(raws.size, 256 + pipeline.in_flight())
        return pipeline

    return make


@contextmanager
def _scale_errors(code: int = 1) -> Iterator[None]:
    """A dead worker, an unreachable scheduler or a bad batch folder: one line, no traceback."""
    from furat.scale.batch import BatchError
    from furat.scale.workers import WorkerError

    try:
        yield
    except (BatchError, WorkerError) as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(code) from exc


@app.command(epilog=EXIT_HELP)
def extract(
    paths: PathsArg,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="json: one object "
                   '{"documents": [...]}; jsonl: one document per line, streamed.')] = OutFormat.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
    as_is: AsIsOpt = False,
    config: ConfigOpt = None,
    stages: StagesOpt = None,
    workers: WorkersOpt = 1,
) -> None:
    """Read news pages and print what furat finds in them, as JSON documents.

    Pages are cleaned of site chrome and split into articles; each article becomes a document
    with its title, outlet, author, publication date, languages and paragraphs, plus what the
    configured stages add. Memory is bounded by the batch, not by the corpus.

    Examples:

      furat extract page.txt

      furat extract corpus.jsonl --format jsonl --out docs.jsonl

      curl -s URL | furat extract -

      furat extract corpus/ --workers 2 --format jsonl --out docs.jsonl
    """
    _check_paths(paths)
    _check_out(out)
    count = 0
    with _output(out) as stream, _scale_errors():
        docs, report = _pipeline_docs(paths, config, stages, as_is, make_pipeline=_runner(workers))
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
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files (.txt, .html/.htm, .jsonl), folders (read recursively) or '-' for stdin.",
        show_default=False, metavar="PATH")] = None,
    db: DbOpt = Path("furat.duckdb"),
    as_is: AsIsOpt = False,
    config: ConfigOpt = None,
    stages: StagesOpt = None,
    workers: WorkersOpt = 1,
    parquet: Annotated[Path | None, typer.Option("--parquet", help="Store the output folder of "
                       "`furat batch` instead of running the pipeline (no PATH then).")] = None,
) -> None:
    """Run the pipeline on the inputs and store the documents (and the raw inputs they came
    from) in an embedded DuckDB database. Re-ingesting the same input adds nothing; an
    interrupted run leaves whole batches stored and a re-run completes it.

    With --parquet DIR, the documents `furat batch` wrote are stored (and linked) exactly as if
    they had been ingested here.

    The database stays readable during the run (`furat events`, `stats`, `export` answer between
    batches); a second ingest into the same database stops at once with a message."""
    from furat.ingest.build import RawCache
    from furat.report import Reporter
    from furat.store.db import IngestCounts, Store, StoreError

    if parquet is not None:
        if paths or workers > 1 or as_is or stages is not None or config is not None:
            err.print("furat: error: --parquet DIR holds documents the pipeline already made: "
                      "give no PATH, --workers, --stages, --as-is or --config with it")
            raise typer.Exit(2)
        from furat.scale.batch import PARTITION_DOCS, read_manifest

        with _scale_errors(2):
            read_manifest(parquet)  # before the store opens: a wrong folder is a usage error
    elif not paths:
        err.print("furat: error: give at least one PATH (or --parquet DIR)")
        raise typer.Exit(2)
    else:
        _check_paths(paths)
    try:  # before any model loads: a wrong --db costs a second, not half a minute
        store = Store(db, ingest=True)
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    raws = RawCache()
    counts = IngestCounts()
    with store, _scale_errors():
        if parquet is not None:
            from furat.scale.batch import read_batch

            raws.size = 2 * PARTITION_DOCS + 256  # a store batch may straddle two partitions
            report = Reporter()
            _, docs = read_batch(parquet, raws)
        else:
            assert paths is not None
            docs, report = _pipeline_docs(paths, config, stages, as_is, on_raw=raws,
                                          make_pipeline=_runner(workers, raws))
        for counts in store.ingest(docs, raws.get):  # noqa: B007
            pass
        with store.reading() as done:
            total = done.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    err.print(f"furat: {counts.seen} document(s) read, {counts.added} new, "
              f"{counts.raw_added} new raw input(s); {total} document(s) in {db}")
    _finish(counts.seen, report)

@app.command(epilog=EXIT_HELP)
def batch(
    paths: PathsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the Parquet output (new or "
                   "empty); `furat ingest --parquet DIR` stores it.", show_default=False)],
    engine: Annotated[Engine, typer.Option("--engine", help="local: worker processes on this "
                      "machine; dask: a Dask cluster.")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar="ADDRESS", help="A running "
                         "Dask scheduler (tcp://host:8786) whose workers have furat installed; "
                         "default: a LocalCluster on this machine.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Worker processes "
                       "here (local engine, or the LocalCluster); default: one per core.")] = None,
    as_is: AsIsOpt = False,
    config: ConfigOpt = None,
    stages: StagesOpt = None,
) -> None:
    """Run the pipeline over a corpus on many cores or machines and write the documents as
    partitioned Parquet (one row per document, the document model as JSON, plus the raw inputs),
    for `furat ingest --parquet DIR`. The inputs are read here and need not be visible to the
    cluster; the documents and their order are those of `furat extract`.

    Examples:

      furat batch corpus/ --out run1/ && furat ingest --parquet run1/

      furat batch corpus/ --engine dask --workers 2 --out run1/

      furat batch corpus/ --engine dask --scheduler tcp://HEAD:8786 --out run1/
    """
    from furat.ingest.build import RawCache
    from furat.scale.batch import DaskCluster, DaskPipeline, ParquetWriter, check_out

    _check_paths(paths)
    if scheduler is not None and engine is not Engine.dask:
        err.print("furat: error: --scheduler is for --engine dask")
        raise typer.Exit(2)
    if scheduler is not None and workers is not None:
        err.print("furat: error: --workers is for a local cluster: a scheduler has its own workers")
        raise typer.Exit(2)
    with _scale_errors(2):
        check_out(out)
    count = 0
    raws = RawCache()
    built: dict[str, Any] = {}
    cluster = None
    with _scale_errors():
        try:
            if engine is Engine.dask:
                cluster = DaskCluster.connect(scheduler, workers or os.cpu_count() or 1)

                def make(config: dict[str, Any], names: list[str] | None) -> Any:
                    built["pipeline"] = DaskPipeline.from_config(cluster, config, names)
                    raws.size = max(raws.size, 256 + built["pipeline"].in_flight())
                    return built["pipeline"]
            else:
                local = _runner(workers or os.cpu_count() or 1, raws)

                def make(config: dict[str, Any], names: list[str] | None) -> Any:
                    from furat.pipeline import Pipeline

                    built["pipeline"] = (local or Pipeline.from_config)(config, names)
                    return built["pipeline"]

            docs, report = _pipeline_docs(paths, config, stages, as_is, on_raw=raws, make_pipeline=make)
            writer = ParquetWriter(out, raws, list(built["pipeline"].names))
            for _ in writer.through(docs):
                count += 1
            writer.close(engine.value)
        finally:
            if cluster is not None:
                cluster.close()
    err.print(f"furat: {count} document(s) in {writer.partitions} partition(s) in {out}")
    _finish(count, report)


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
