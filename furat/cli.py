"""furat's command line: thin typer commands over the package.

Exit status: 0 when at least one input gave a document (or the command succeeded), 1 when none
did (or the command failed), 2 on usage errors.
"""

from __future__ import annotations

import json
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
    docs, report = _pipeline_docs(paths, config, stages, as_is)
    count = 0
    with _output(out) as stream:
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


def _finish(count: int, report: Any) -> None:
    if report.errors:
        err.print(f"furat: {count} document(s); {len(report.errors)} input problem(s) above")
    if count == 0:
        raise typer.Exit(1)


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
    interrupted run leaves whole batches stored and a re-run completes it."""
    from furat.ingest.build import RawCache
    from furat.store.db import IngestCounts, Store, StoreError

    raws = RawCache()
    docs, report = _pipeline_docs(paths, config, stages, as_is, on_raw=raws)
    try:
        store = Store(db)
    except StoreError as exc:
        err.print(f"furat: error: {exc}")
        raise typer.Exit(1) from exc
    counts = IngestCounts()
    with store:
        for counts in store.ingest(docs, raws.get):  # noqa: B007
            pass
        total = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    err.print(f"furat: {counts.seen} document(s) read, {counts.added} new, "
              f"{counts.raw_added} new raw input(s); {total} document(s) in {db}")
    _finish(counts.seen, report)


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


@eval_app.command("timex")
def eval_timex(
    paths: Annotated[list[Path], typer.Argument(help="TimeML files or folders (.tml).")],
    corpus: Annotated[str, typer.Option(help="tempeval3 | fr-timebank | ar-silver")] = "tempeval3",
) -> None:
    """Time expressions: strict/relaxed extent P/R/F1, value F1 and accuracy, type accuracy."""
    from furat.eval.common import print_result
    from furat.eval.timex import CORPORA, evaluate

    if corpus not in CORPORA:
        raise typer.BadParameter(f"corpus must be one of {', '.join(CORPORA)}")
    print_result(evaluate(corpus, paths))


@eval_app.command("ner")
def eval_ner(
    path: Annotated[Path, typer.Argument(help="re3d folder, NewsFANE .txt file or WikiNEuRal .conllu file.")],
    corpus: Annotated[str, typer.Option(help="re3d | newsfane | wikineural")] = "re3d",
    split: Annotated[str, typer.Option(help="NewsFANE part: test (never trained on), dev, all.")] = "test",
    limit: Annotated[int | None, typer.Option(help="Score only the first N texts.")] = None,
) -> None:
    """Named entities: per-type and micro precision/recall/F1 on exact spans."""
    from furat.eval.common import print_result
    from furat.eval.ner import CORPORA, evaluate

    if corpus not in CORPORA:
        raise typer.BadParameter(f"corpus must be one of {', '.join(CORPORA)}")
    print_result(evaluate(corpus, path, split=split, limit=limit))


@eval_app.command("geoparse")
def eval_geoparse(
    path: Annotated[Path | None, typer.Argument(help="Corpus XML (LGL/TR-News gaztag, GeoVirus, or EUPEG's "
                                                "generic entries/entry format).")] = None,
    corpus: Annotated[str, typer.Option(help="lgl | geovirus | trnews | eupeg (any other corpus in EUPEG's "
                                             "format, scored with furat's own rules)")] = "lgl",
    system: Annotated[Path | None, typer.Option("--system", help="A published system's output "
                                                "(EUPEG format) to score instead of furat.")] = None,
    gold: Annotated[Path | None, typer.Option("--gold", help="Gold file (EUPEG), with --system.")] = None,
    conventions: Annotated[str, typer.Option(help="corpus: score under the corpus's annotation guidelines "
                                             "(LGL, TR-News also tag places inside organisation names "
                                             "and adjectival toponyms); furat: furat's own output rules, "
                                             "which keep both out.")] = "corpus",
) -> None:
    """Toponyms: P/R/F1 (EUPEG matching), acc@161 km, mean/median km, AUC, acc161_of_gold."""
    from furat.eval.common import print_result
    from furat.eval.geoparse import CORPORA, CORPUS_CONVENTIONS, evaluate, evaluate_system

    if system is not None:
        if gold is None:
            raise typer.BadParameter("--system needs --gold")
        print_result(evaluate_system(system, gold))
        return
    if path is None or corpus not in CORPORA:
        raise typer.BadParameter(f"give a corpus PATH and --corpus one of {', '.join(CORPORA)}")
    if conventions not in ("corpus", "furat"):
        raise typer.BadParameter("--conventions must be corpus or furat")
    config = dict(CORPUS_CONVENTIONS[corpus]) if conventions == "corpus" else {}
    result = evaluate(corpus, path, config)
    result.summary["conventions"] = conventions
    print_result(result)


@eval_app.command("acled")
def eval_acled(
    path: Annotated[Path, typer.Argument(help="CASE-2021 task-2 snippets.tsv (id, EventSnippet, SubType).")],
) -> None:
    """ACLED sub-event types: macro, micro and weighted F1, by 5-fold cross-validation."""
    from furat.eval.acled import evaluate
    from furat.eval.common import print_result

    print_result(evaluate(path))


@eval_app.command("plover")
def eval_plover(
    paths: Annotated[list[Path], typer.Argument(help="PLOVER gold JSON records and/or Arabic GSR XML files "
                                                "or folders.")],
) -> None:
    """PLOVER event types: accuracy and macro-F1, source/target country accuracy."""
    from furat.eval.common import print_result
    from furat.eval.plover import evaluate

    print_result(evaluate(paths))


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL, one page a line (format of EVENTS.md §4).")],
    inputs: Annotated[list[str], typer.Argument(help="The gold's pages: a JSONL of pages with the same "
                                                "ids, or files/folders whose file names are the ids.",
                                                metavar="INPUT")],
    also: Annotated[list[str] | None, typer.Option("--also", metavar="GOLD=INPUT", help="Another gold file "
                                                   "and its pages, scored together (repeatable).")] = None,
    errors: Annotated[Path | None, typer.Option("--errors", help="Write every error (missed, false, trap, "
                                                "duplicate, wrong field) here, one JSON line each.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Events: precision, recall, F1, strict precision (one record per occurrence), traps coded,
    and per-field accuracy on matched events, per language.

    Examples:

      furat eval events gold.jsonl pages.jsonl

      furat eval events gold.jsonl pages.jsonl --also seeds_gold.jsonl=seeds/ --errors errors.jsonl
    """
    from furat.eval.common import print_result
    from furat.eval.events import evaluate

    pairs = [(gold, inputs)]
    for item in also or []:
        g, sep, i = item.partition("=")
        if not sep or not g or not i:
            raise typer.BadParameter(f"--also takes GOLD=INPUT, not {item!r}")
        pairs.append((Path(g), [i]))
    for g, paths in pairs:
        if not g.is_file():
            raise typer.BadParameter(f"no gold file {g}")
        for p in paths:
            if not Path(p).exists():
                raise typer.BadParameter(f"no input {p}")
    docs: list[Document] = []
    for _, paths in pairs:
        stream, _report = _pipeline_docs(paths, config, None, as_is=False)
        docs.extend(stream)
    # 17 columns: wide enough to read in a pipe or a file, where rich would fold them to "…"
    print_result(evaluate([g for g, _ in pairs], docs, errors), Console(highlight=False, width=230))


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


def main() -> None:
    """Entry point: run the app, turning any unexpected error into one line (never a traceback)."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("furat: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        err.print(f"furat: error: {type(exc).__name__}: {exc} (set FURAT_DEBUG=1 for details)")
        import os

        if os.environ.get("FURAT_DEBUG"):
            raise
        sys.exit(1)


if __name__ == "__main__":
    main()
