"""What every command group shares: the typer apps, the stderr console, common options, the
pipeline feed with its progress line and the output file."""


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
    on_raw: Any = None,
) -> tuple[Iterator[Document], Any]:
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
        pipeline = Pipeline.from_config(config, names)
    except UnknownStageError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(2) from exc
    report = Reporter()
    options = IngestOptions.from_config(config.get("ingest", {}), as_is=as_is)
    docs = documents(paths, options, report, on_raw=on_raw)
    return pipeline.run(_with_progress(docs, paths)), report


def _with_progress(docs: Iterable[Document], paths: list[str]) -> Iterator[Document]:
    """A progress line on stderr, only when stderr is a terminal and the run may be long."""
    many = len(paths) > 1 or any(Path(p).is_dir() or p.endswith(".jsonl") for p in paths)
    if not (sys.stderr.isatty() and many):
        yield from docs
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.completed} documents"), BarColumn(),
               TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=None)
        for doc in docs:
            progress.update(task, advance=1, description=Path(doc.source).name[-40:])
            yield doc


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
