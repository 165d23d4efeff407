"""`furat eval …`: score furat on gold corpora (a table, then one JSON line)."""


from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from furat.cli.common import (
    ConfigOpt,
    _pipeline_docs,
    eval_app,
)
from furat.model import Document

# the inputs of the evals over annotated pages (events, claims)
PagesArg = Annotated[list[str], typer.Argument(
    help="The gold's pages: a JSONL of pages with the same ids, or files/folders whose file names are "
    "the ids.",
    metavar="INPUT")]
AlsoOpt = Annotated[list[str] | None, typer.Option(
    "--also", metavar="GOLD=INPUT", help="Another gold file and its pages, scored together (repeatable).")]


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
    profile: Annotated[str | None, typer.Option(
        help="Score the entities stage as configured by this profile (fast | accurate); "
        "default: the stage's own defaults.")] = None,
) -> None:
    """Named entities: per-type and micro precision/recall/F1 on exact spans."""
    from furat.config import load_config
    from furat.eval.common import print_result
    from furat.eval.ner import CORPORA, evaluate

    if corpus not in CORPORA:
        raise typer.BadParameter(f"corpus must be one of {', '.join(CORPORA)}")
    try:
        config = load_config(profile=profile)["entities"] if profile else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    print_result(evaluate(corpus, path, split=split, limit=limit, config=config))


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
    model: Annotated[str, typer.Option(help="cv: the shipped recipe by 5-fold cross-validation on PATH; "
                                       "shipped: the shipped SVM as it is (for a test file); encoder: the "
                                       "fine-tuned encoder's head as it is; blend: both together.")] = "cv",
    head: Annotated[str | None, typer.Option(help="with --model encoder: another head (.npz).")] = None,
    extra: Annotated[list[Path] | None, typer.Option(
        help="with --model cv: a file of project-annotated snippets (annotations/acled/*.tsv) put in "
             "every training fold, never scored; repeat --extra for each file.")] = None,
) -> None:
    """ACLED sub-event types: macro, micro and weighted F1. Either the SVM recipe cross-validated on
    PATH (the CASE training snippets), or a shipped model scored as it is on PATH (a test file;
    `--model blend` is the encoder's classifier; docs/QUALITY.md has both)."""
    from furat.eval.acled import evaluate, evaluate_shipped
    from furat.eval.common import print_result

    if model not in ("cv", "shipped", "encoder", "blend"):
        raise typer.BadParameter("--model must be cv, shipped, encoder or blend")
    print_result(evaluate(path, extra) if model == "cv" else evaluate_shipped(path, model, head))


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
    inputs: PagesArg,
    also: AlsoOpt = None,
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

    pairs, docs = _gold_docs(gold, inputs, also, config)
    # 17 columns: wide enough to read in a pipe or a file, where rich would fold them to "…"
    print_result(evaluate([g for g, _ in pairs], docs, errors), Console(highlight=False, width=230))


def _gold_docs(gold: Path, inputs: list[str], also: list[str] | None, config: Path | None
               ) -> tuple[list[tuple[Path, list[str]]], list[Document]]:
    """The (gold, inputs) pairs of an annotated-pages eval and the pipeline's documents of them."""
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
    return pairs, docs


@eval_app.command("claims")
def eval_claims(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL, one page a line, with `claims` (CLAIMS.md §4).")],
    inputs: PagesArg,
    also: AlsoOpt = None,
    errors: Annotated[Path | None, typer.Option("--errors", help="Write every error (missed, false, wrong "
                                                "field) here, one JSON line each.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Claims: speaker + cue F1, content F1 (exact and overlapping), stance and hedged accuracy on
    matched claims, per language.

    Examples:

      furat eval claims gold.jsonl pages.jsonl --also seeds_gold.jsonl=seeds/ --errors errors.jsonl
    """
    from furat.eval.claims import evaluate
    from furat.eval.common import print_result

    pairs, docs = _gold_docs(gold, inputs, also, config)
    print_result(evaluate([g for g, _ in pairs], docs, errors), Console(highlight=False, width=200))


@eval_app.command("propaganda")
def eval_propaganda(
    path: Annotated[Path, typer.Argument(help="SemEval-2020 task 11 data (holding train-articles/).")],
) -> None:
    """Propaganda techniques (SemEval-2020 task 11) on furat's held-out fifth of the PTC articles:
    TC micro-F1 and SI span F1."""
    from furat.eval.common import print_result
    from furat.eval.persuasion import evaluate_propaganda

    print_result(evaluate_propaganda(path), Console(highlight=False, width=160))


@eval_app.command("persuasion")
def eval_persuasion(
    path: Annotated[Path, typer.Argument(help="SemEval-2023 task 3 data (holding data/fr, data/en).")],
    lang: Annotated[str, typer.Option(help="fr | en")] = "en",
    split: Annotated[str, typer.Option(help="Labelled split to score: dev (never trained on).")] = "dev",
) -> None:
    """Persuasion techniques per paragraph (SemEval-2023 task 3 subtask 3): micro-F1 and macro-F1."""
    from furat.eval.common import print_result
    from furat.eval.persuasion import evaluate_persuasion

    if lang not in ("fr", "en"):
        raise typer.BadParameter("--lang must be fr or en")
    print_result(evaluate_persuasion(path, lang, split), Console(highlight=False, width=160))


@eval_app.command("fakes")
def eval_fakes(
    path: Annotated[Path, typer.Argument(help="FA-KES fakes.csv or its folder (the benchmark test split).")],
    train: Annotated[Path | None, typer.Option("--train", help="The training data: test articles also "
                                               "found there are left out of the score.")] = None,
) -> None:
    """Document credibility (FA-KES): accuracy, F1 and ROC AUC beside the majority class."""
    from furat.eval.common import print_result
    from furat.eval.persuasion import evaluate_fakes

    print_result(evaluate_fakes(path, train))


@eval_app.command("attribution")
def eval_attribution(
    path: Annotated[Path, typer.Argument(help="PolNeAR test folder (holding cofenet_sentence_bio/test.txt) "
                                              "or that file.")],
    corpus: Annotated[str, typer.Option(help="polnear")] = "polnear",
    parse: Annotated[bool, typer.Option("--parse", help="Parse every sentence holding a reporting verb "
                                        "(the pipeline parses only those the events stage parsed).")] = False,
    profile: Annotated[str | None, typer.Option(
        help="fast: the claims stage's rules (default); accurate: the profile's encoder attribution "
        "tagger ([claims] tagger, furat/data/encoder/attribution_en.npz) on the given tokens.")] = None,
) -> None:
    """Attribution: source / cue / content P/R/F1 by exact and begin match (CofeNet protocol)."""
    from furat.eval.attribution import evaluate
    from furat.eval.common import print_result

    if corpus != "polnear":
        raise typer.BadParameter("corpus must be polnear")
    if not path.exists():
        raise typer.BadParameter(f"no such path {path}")
    from furat.config import load_config

    try:
        tagger = load_config(profile=profile).get("claims", {}).get("tagger") if profile else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    print_result(evaluate(path, parse=parse, tagger=tagger or None))


@eval_app.command("linking")
def eval_linking(
    path: Annotated[Path, typer.Argument(help="ecbplus: an ECB+ folder in the Barhom et al. 2019 setup (its "
                                         "barhom2019_setup/ and gold/ folders; the Test split when present, "
                                         "else Dev). furat: a database of the dev pages + seeds.")],
    corpus: Annotated[str, typer.Option(help="ecbplus | furat")] = "ecbplus",
    gold: Annotated[Path, typer.Option(help="furat: the hand-checked clusters.")] = Path(
        "annotations/linking/clusters.jsonl"),
    profile: Annotated[str | None, typer.Option(
        help="ecbplus: the scorer of this profile (fast | accurate: + the encoder's contextual vectors); "
        "default: the configured profile.")] = None,
) -> None:
    """Cross-document event coreference. ecbplus (gold mentions): MUC, B³, CEAF-e and CoNLL F1 (their
    mean), furat's pair scorer + average-link beside the same-lemma baseline. furat: pairwise and B³
    F1 of the database's linked mentions against hand-checked fr/ar/en clusters, beside simple rules."""
    from furat.eval.common import print_result
    from furat.eval.linking import evaluate_ecbplus, evaluate_store

    if corpus == "furat":
        if not path.is_file() or not gold.is_file():
            raise typer.BadParameter(f"give a furat database and --gold clusters ({path}, {gold})")
        print_result(evaluate_store(path, gold))
        return
    if corpus != "ecbplus":
        raise typer.BadParameter("corpus must be ecbplus or furat")
    if not (path / "barhom2019_setup").is_dir():
        raise typer.BadParameter(f"{path}: no barhom2019_setup/ folder (an ECB+ folder is expected)")
    from furat.config import load_config

    try:
        encoder = bool(load_config(profile=profile).get("link", {}).get("encoder"))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    print_result(evaluate_ecbplus(path, encoder=encoder))
