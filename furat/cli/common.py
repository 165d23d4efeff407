"""What every command group shares: the typer apps, the stderr console, common options, the
pipeline feed with its progress line and the output file."""


import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from furat import __version__
from furat.config import load_config
from furat.model import Document

EXIT_HELP = (
    "Exit status: 0 when at least one input gave a document, 1 when none did, 2 on usage errors. "
    "Problems with single inputs (empty, binary, undecodable, malformed JSONL lines) are printed "
    "one line each on stderr and the other inputs are processed."
)

app = typer.Typer(
    name="furat",
    help=(
        "Turn multilingual (French, Arabic, English) conflict news into a structured, "
        "geolocated, source-attributed event record.\n\n"
        "Typical use: `furat extract page.txt` to see what furat reads in a page; "
        "`furat ingest folder/` to store a corpus in DuckDB, then `furat stats` and "
        "`furat export`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
eval_app = typer.Typer(help="Score furat on gold corpora: a table, then one JSON line.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")

err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


class OutFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    acled_csv = "acled-csv"
    geojson = "geojson"
    events_parquet = "events-parquet"


class EventsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files (.txt, .html/.htm, .jsonl), folders (read recursively) or '-' for stdin.",
        show_default=False,
        metavar="PATH",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="TOML file overriding furat/defaults.toml (same sections)."),
]
StagesOpt = Annotated[
    str | None,
    typer.Option("--stages", help="Comma-separated stages to run after ingest, replacing the "
                 "configured list (e.g. 'language'; '' for none)."),
]
AsIsOpt = Annotated[
    bool,
    typer.Option("--as-is", help="Skip cleaning and splitting: each input text is one document "
                 "and every offset points into exactly that text (for scoring on gold corpora)."),
]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB database file.")]


def version_callback(value: bool) -> None:
    if value:
        print(f"furat {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """furat: multilingual conflict news → events."""


def _pipeline_docs(
    paths: list[str], config_path: Path | None, stages: str | None, as_is: bool,
    on_raw: Any = None, make_pipeline: Any = None,
) -> tuple[Iterator[Document], Any]:
    """The documents of `paths` through the configured stages, with a progress line.
    `make_pipeline(config, stage_names)` builds another runner with `Pipeline.run`'s contract
    (worker processes, a Dask cluster: furat/scale/)."""
    from furat.ingest.build import IngestOptions, documents
    from furat.pipeline import Pipeline, UnknownStageError
    from furat.report import Reporter

    try:
        config = load_config(config_path)
    except (OSError, ValueError) as exc:
        err.print(f"furat: error: --config {config_path}: {exc}")
        raise typer.Exit(2) from exc
    names = None if stages is None else [s.strip() for s in stages.split(",") if s.strip()]
    try:
        pipeline = (make_pipeline or Pipeline.from_config)(config, names)
    except UnknownStageError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(2) from exc
    report = Reporter()
    options = IngestOptions.from_config(config.get("ingest", {}), as_is=as_is)
    sizes: dict[str, int] = {}

    def seen_raw(sha: str, source: str, data: bytes) -> None:
        sizes[sha] = len(data)
        if on_raw is not None:
            on_raw(sha, source, data)

    docs = documents(paths, options, report, on_raw=seen_raw)
    return _with_progress(pipeline.run(docs, report), paths, sizes), report


def _input_bytes(paths: list[str]) -> int | None:
    """Total size of the inputs (None when one is stdin): the progress bar's 100 %."""
    total = 0
    for name in paths:
        if name == "-":
            return None
        path = Path(name)
        files = path.rglob("*") if path.is_dir() else [path]
        total += sum(f.stat().st_size for f in files if f.is_file() and not f.name.startswith("."))
    return total or None


def _with_progress(docs: Iterable[Document], paths: list[str], sizes: dict[str, int]) -> Iterator[Document]:
    """A progress line on stderr while documents come out of the pipeline (processed, not just
    read), measured in input bytes so that it has a total and an ETA; only when stderr is a
    terminal and the run may be long."""
    many = len(paths) > 1 or any(Path(p).is_dir() or p.endswith(".jsonl") for p in paths)
    if not (sys.stderr.isatty() and many):
        yield from docs
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (SpinnerColumn(), TextColumn("{task.fields[documents]} documents"), BarColumn(),
               DownloadColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
               TextColumn("{task.description}"))
    done: set[str] = set()
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=_input_bytes(paths), documents=0)
        for n, doc in enumerate(docs, 1):
            advance = 0
            if doc.raw_sha256 not in done:
                done.add(doc.raw_sha256)
                advance = sizes.pop(doc.raw_sha256, 0)
            progress.update(task, advance=advance, documents=n, description=Path(doc.source).name[-30:])
            yield doc


def _check_paths(paths: list[str]) -> None:
    """Stop before any model loads when no input exists (a typo must not cost half a minute)."""
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing and len(missing) == len(paths):
        for p in missing:
            err.print(f"furat: {p}: no such file or folder")
        raise typer.Exit(1)


def _check_out(out: Path | None) -> None:
    """A bad --out is a usage error (exit 2) whatever the format, found before any work."""
    if out is None:
        return
    if out.is_dir():
        err.print(f"furat: error: --out {out}: is a folder; give a file name")
        raise typer.Exit(2)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        err.print(f"furat: error: --out {out}: no such folder {parent}")
        raise typer.Exit(2)
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        err.print(f"furat: error: --out {out}: not writable")
        raise typer.Exit(2)


@contextmanager
def _output(out: Path | None) -> Iterator[Any]:
    if out is None:
        yield sys.stdout
    else:
        try:
            handle = open(out, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            err.print(f"furat: error: --out {out}: {exc.strerror or exc}")
            raise typer.Exit(2) from exc
        with handle:
            yield handle


def _finish(count: int, report: Any) -> None:
    if report.errors:
        err.print(f"furat: {count} document(s); {len(report.errors)} input problem(s) above")
    if count == 0:
        raise typer.Exit(1)
