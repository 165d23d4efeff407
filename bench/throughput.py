"""Throughput of the whole pipeline in one process, on real news-length documents in fr / ar / en.

Why: issue 20 asks for a number that tells the truth about a day of news on a laptop, so the
corpus is real text of article length, not the repeated sentences of the per-stage benches.

Corpus (built here, deterministically, from ../shared/data; nothing from ../shared/benchmarks):
N documents of 400-800 words, a third each in French, Arabic and English, interleaved fr/ar/en.
- en: whole articles of 400-800 words from FA-KES (news/fakes, Syrian war) then SemEval-2020
  propaganda articles (news/propaganda_semeval2020_en), in file order.
- ar: the Arabic TimeML news articles (time/arabic_timex_silver), then the Arabic PLOVER gold
  sentences (events/arabic_plover_gold, conflict news), then NewsFANE newswire sentences
  (entities/newsfane_ar, clitics re-attached), packed in their order into documents.
- fr: French TimeBank news (time/fr_timebank) then WikiNEuRal sentences (entities/wikineural_fr,
  detokenised), packed in their order. French conflict news of article length is not in
  ../shared/data; these are the French running texts there are.
Packed documents take consecutive sentences, ~4 per paragraph, up to a length drawn in 420-700
words (seeded; the Arabic texts there give ~210 documents at that length), so that no text
repeats and the caches see a corpus that grows like a real one.

Measured, after a warm-up document per language (which loads every model):
- start-up: imports + stage construction + the warm-up (seconds, wall), and the imports alone;
- per stage and language: CPU ms per document (stages run on language-homogeneous batches of 64);
- documents/s and words/s (wall and CPU), and the rate over documents 1-150, 151-300, 301-600
  (linearity: caches and memory must not slow later documents);
- peak RSS, and RSS after 150 / 300 / 600 documents (growth per document);
- the store: `Store.ingest` of the processed documents into a fresh DuckDB file (documents, events
  with their mentions and links, claims), split into its parts.

Usage: python bench/throughput.py [--docs 600] [--runs 1] [--no-write] [--profile STAGE]
  --docs N        corpus size (a multiple of 3; 60 for a quick look)
  --no-write      print the table only (default: also replace the throughput section of
                  docs/PERFORMANCE.md when --docs >= 600)
  --profile STAGE cProfile that stage over the corpus and print its top functions
  --corpus FILE   also write the corpus as JSONL (for `furat extract` / `furat ingest`)
Run it on a quiet machine and take the min of >= 3 runs (the table says the load average).
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DOC = ROOT / "docs" / "PERFORMANCE.md"
LANGS = ("fr", "ar", "en")
MIN_WORDS, MAX_WORDS = 400, 800
BEGIN, END = "<!-- throughput:begin -->", "<!-- throughput:end -->"

# --- corpus ---------------------------------------------------------------------------------------

_SENT_END = re.compile(r"(?<=[.!?؟])\s+")


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clip(paragraphs: list[str]) -> list[str] | None:
    """The leading paragraphs of an article up to MAX_WORDS, or None when it is too short."""
    out, n = [], 0
    for p in paragraphs:
        w = len(p.split())
        if n + w > MAX_WORDS:
            break
        out.append(p)
        n += w
    return out if n >= MIN_WORDS else None


def _pack(sentences: Iterator[str], rng: random.Random) -> Iterator[list[str]]:
    """Consecutive sentences packed into documents of ~4-sentence paragraphs, 420-700 words each."""
    target, paras, para, n = rng.randint(420, 700), [], [], 0
    for s in sentences:
        words = len(s.split())
        if words < 3:
            continue
        para.append(s)
        n += words
        if len(para) >= 4:
            paras.append(" ".join(para))
            para = []
        if n >= target:
            if para:
                paras.append(" ".join(para))
            yield paras
            target, paras, para, n = rng.randint(420, 700), [], [], 0


def _tml_text(path: str) -> str:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<TimeML>|</TimeML>|<\?xml[^>]*>|<!DOCTYPE[^>]*>", "", text)
    text = re.sub(r"<(DCT|TITLE|DOCID|DOCNO)>.*?</\1>", "", text, flags=re.S)
    return re.sub(r"<[^>]+>", "", text).replace("\ufeff", "").strip()


def _conll_sentences(path: str, column: int, glue: Callable[[list[str]], str]) -> Iterator[str]:
    tokens: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            line = line.strip().replace("\u200e", "").replace("\u200f", "")
            if not line:
                if tokens:
                    yield glue(tokens)
                tokens = []
                continue
            cols = line.split("\t")
            if len(cols) > column and cols[column]:
                tokens.append(cols[column])
    if tokens:
        yield glue(tokens)


def _glue_fr(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([,.)\]:;!?])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    return re.sub(r"(\b\w+') ", r"\1", text)


_AR_SUFFIX = {"ه", "ها", "هم", "هما", "هن", "نا", "كم"}  # unambiguous ones only
_AR_PREFIX = {"و", "ف", "ب", "ل", "ك", "وال", "بال", "لل", "فال"}


def _glue_ar(tokens: list[str]) -> str:
    """NewsFANE splits clitics ("ارباح ها", "و قال"): join them back as a newspaper writes them."""
    out: list[str] = []
    attach = False
    for tok in tokens:
        if out and tok in _AR_SUFFIX and not attach:
            out[-1] += tok
        elif attach and out:
            out[-1] += tok
            attach = False
            continue
        else:
            out.append(tok)
        attach = tok in _AR_PREFIX
    text = " ".join(out)
    return re.sub(r" ([.,،:؛)!؟])", r"\1", text)


def _english() -> Iterator[list[str]]:
    csv.field_size_limit(10**9)
    with open(DATA / "news/fakes/fakes.csv", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            paras = [p.strip() for p in re.split(r"\n+", row["article_content"]) if p.strip()]
            if len(paras) == 1:  # FA-KES keeps most articles on one line: paragraphs of 4 sentences
                sents = _SENT_END.split(paras[0])
                paras = [" ".join(sents[i:i + 4]) for i in range(0, len(sents), 4)]
            if (clipped := _clip(paras)) is not None:
                yield clipped
    for path in sorted(glob.glob(str(DATA / "news/propaganda_semeval2020_en/datasets/*/*.txt"))):
        paras = [p.strip() for p in Path(path).read_text(encoding="utf-8").splitlines() if p.strip()]
        if (clipped := _clip(paras)) is not None:
            yield clipped


def _arabic(rng: random.Random) -> Iterator[list[str]]:
    def sentences() -> Iterator[str]:
        for path in sorted(glob.glob(str(DATA / "time/arabic_timex_silver/Corpus_test/*.tml")),
                           key=lambda p: int(re.sub(r"\D", "", Path(p).name) or 0)):
            yield from _SENT_END.split(" ".join(_tml_text(path).split()))
        for path in sorted(glob.glob(str(DATA / "events/arabic_plover_gold/*.xml"))):
            text = Path(path).read_text(encoding="utf-8")
            for m in re.finditer(r"<Text>\s*(.*?)\s*</Text>", text, flags=re.S):
                yield " ".join(m.group(1).split())
        yield from _conll_sentences(str(DATA / "entities/newsfane_ar/NewsFANE_Gold_2014_170K.txt"), 0,
                                    _glue_ar)

    return _pack(sentences(), rng)


def _french(rng: random.Random) -> Iterator[list[str]]:
    def sentences() -> Iterator[str]:
        for path in sorted(glob.glob(str(DATA / "time/fr_timebank/Data/*.tml"))):
            yield from _SENT_END.split(" ".join(_tml_text(path).split()))
        for part in ("val", "test"):
            path = DATA / f"entities/wikineural_fr/data/wikineural/fr/{part}.conllu"
            yield from _conll_sentences(str(path), 1, _glue_fr)

    return _pack(sentences(), rng)


def build_corpus(n: int) -> list[dict[str, Any]]:
    """`n` JSONL-like records (id, url, lang, published, text), a third per language, interleaved."""
    rng = random.Random(20)
    per = n // 3
    pools = {"fr": _french(rng), "ar": _arabic(rng), "en": _english()}
    by_lang: dict[str, list[list[str]]] = {}
    for lang in LANGS:
        docs = [d for _, d in zip(range(per), pools[lang], strict=False)]
        if len(docs) < per:
            raise SystemExit(f"only {len(docs)} {lang} documents of {MIN_WORDS}-{MAX_WORDS} words in {DATA}")
        by_lang[lang] = docs
    out = []
    for i in range(per):
        for lang in LANGS:
            out.append({"id": f"tp-{lang}-{i:04d}", "url": f"https://bench.invalid/{lang}/{i}",
                        "lang": lang, "published": "2021-03-15", "text": "\n\n".join(by_lang[lang][i])})
    return out


# --- the run --------------------------------------------------------------------------------------


def _jsonl(records: list[dict[str, Any]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r, ensure_ascii=False) + "\n")


def run(n: int, profile: str | None, corpus_out: str | None) -> dict[str, Any]:
    t_process = time.perf_counter()
    from furat.config import load_config
    from furat.ingest.build import IngestOptions, RawCache, documents
    from furat.pipeline import Pipeline, get_stage
    from furat.report import Reporter
    t_imports = time.perf_counter() - t_process

    records = build_corpus(n)
    words = {r["id"]: len(r["text"].split()) for r in records}
    tmp = Path(tempfile.mkdtemp(prefix="furat-throughput-"))
    corpus = tmp / "corpus.jsonl"
    _jsonl(records, corpus)
    if corpus_out:
        _jsonl(records, Path(corpus_out))
    lang_of = {r["url"]: r["lang"] for r in records}

    # start-up: stage construction, then one document per language through every stage
    t0 = time.perf_counter()
    config = load_config()
    pipe = Pipeline.from_config(config, stages=[])
    build_s: dict[str, float] = {}
    for name in config["pipeline"]["stages"]:  # each stage's import + construction, apart
        t = time.perf_counter()
        pipe._fns.append(get_stage(name)(dict(config.get(name, {}))))
        pipe.names.append(name)
        build_s[name] = time.perf_counter() - t
    options = IngestOptions.from_config(config["ingest"])
    t_build = time.perf_counter() - t0
    warm_s: dict[str, float] = {}
    for i, lg in enumerate(LANGS):  # records are interleaved fr, ar, en: the first of each
        warm = tmp / f"warm-{lg}.jsonl"
        _jsonl([{**records[i], "id": f"warm-{i}", "url": f"https://bench.invalid/warm/{i}"}], warm)
        t = time.perf_counter()
        list(pipe.run(documents([str(warm)], options, Reporter())))
        warm_s[lg] = time.perf_counter() - t
    t_warm = sum(warm_s.values())
    startup = t_imports + t_build + t_warm
    rss_ready = _rss_mb()

    # ingest (read + clean) of the corpus
    raws = RawCache(size=n + 8)
    c0, w0 = time.process_time(), time.perf_counter()
    docs = list(documents([str(corpus)], options, Reporter(), raws))
    ingest_cpu, ingest_wall = time.process_time() - c0, time.perf_counter() - w0
    lang = [lang_of.get(d.source, "?") for d in docs]

    # every stage over language-homogeneous batches, in corpus order; checkpoints at 150/300/600
    stage_cpu: dict[tuple[str, str], float] = defaultdict(float)
    checkpoints: list[tuple[int, float, float, float]] = []  # (docs, wall, cpu, rss)
    marks = sorted({m for m in (n // 4, n // 2, n) if m})
    processed: list[Any] = [None] * len(docs)
    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()
    c_start, w_start = time.process_time(), time.perf_counter()
    done = 0
    step = max(3, min(3 * pipe.batch_size, len(docs) // 4))  # windows end on the checkpoints (n/4, n/2, n)
    for lo in range(0, len(docs), step):  # a window of the corpus, cut into one batch per language
        window = range(lo, min(lo + step, len(docs)))
        for lg in LANGS:
            idx = [i for i in window if lang[i] == lg]
            batch = [docs[i] for i in idx]
            if not batch:
                continue
            for name, fn in zip(pipe.names, pipe._fns, strict=True):
                if profiler and name == profile:
                    profiler.enable()
                c = time.process_time()
                batch = list(fn(batch))
                stage_cpu[(name, lg)] += time.process_time() - c
                if profiler and name == profile:
                    profiler.disable()
            for i, d in zip(idx, batch, strict=True):
                # kept as JSON for the store, not as objects holding their sentence parses: the
                # RSS then measures furat, not this script's 600 documents (~30 kB each as JSON)
                processed[i] = d.model_dump_json()
        done = window.stop
        while marks and done >= marks[0]:
            checkpoints.append((marks.pop(0), time.perf_counter() - w_start, time.process_time() - c_start,
                                _rss_mb()))
    cpu = time.process_time() - c_start
    wall = time.perf_counter() - w_start
    if profiler:
        import pstats
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)

    # the store: a fresh database, the whole corpus through Store.ingest, its parts timed
    from furat.model import Document
    from furat.store import db as dbmod
    from furat.store.db import Store
    parts: dict[str, float] = defaultdict(float)

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                parts[name] += time.perf_counter() - t
        return wrapper

    import furat.link.features as features
    import furat.link.linker as linker
    patched = [(dbmod, "_insert_and_link"), (dbmod, "bulk_insert"), (features, "embed"), (linker, "link")]
    saved = [(mod, k, getattr(mod, k)) for mod, k in patched]
    for mod, k, fn in saved:
        setattr(mod, k, timed(k, fn))
    try:
        path = tmp / "bench.duckdb"
        Store(path).close()  # creation and migrations are not the write path
        store = Store(path, ingest=True)
        stored = [Document.model_validate_json(j) for j in processed]
        t0 = time.perf_counter()
        for _ in store.ingest(stored, raws.get):
            pass
        store.close()  # the last checkpoint is part of the write (the ingest keeps its connection
        store_s = time.perf_counter() - t0  # between batches that come quickly, furat/store/db.py)
        with Store(path, read_only=True) as s:
            rows = {t: s.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("documents", "mentions", "claims")}
    finally:
        for mod, k, fn in saved:
            setattr(mod, k, fn)

    per_lang_docs = {lg: lang.count(lg) for lg in LANGS}
    per_lang_words = {lg: sum(words[r["id"]] for r in records if r["lang"] == lg) for lg in LANGS}
    return {
        "n": len(docs), "words": sum(words.values()), "per_lang_docs": per_lang_docs,
        "per_lang_words": per_lang_words, "imports": t_imports, "build": t_build, "warm": t_warm,
        "startup": startup, "build_s": build_s, "warm_s": warm_s, "rss_ready": rss_ready,
        "peak": _peak_mb(), "ingest_cpu": ingest_cpu,
        "ingest_wall": ingest_wall, "cpu": cpu, "wall": wall, "stage_cpu": dict(stage_cpu),
        "stages": list(pipe.names), "checkpoints": checkpoints, "store_s": store_s,
        "store_parts": dict(parts), "store_rows": rows,
        "load": os.getloadavg(),
    }


def table(r: dict[str, Any]) -> str:
    n, lines = r["n"], []
    total_wall = r["wall"] + r["ingest_wall"]
    lines += [
        f"{n} documents ({', '.join(str(r['per_lang_docs'][lg]) + ' ' + lg for lg in LANGS)}), "
        f"{r['words']:,} words ({r['words'] / n:.0f} per document); load average during the run "
        f"{r['load'][0]:.1f} on 2 cores.",
        "",
        "| what | value |",
        "|---|---|",
        f"| start-up (imports + stages built + first document in each language) | {r['startup']:.1f} s "
        f"(imports {r['imports']:.1f}; stages built {r['build']:.1f}: "
        + ", ".join(f"{k} {v:.1f}" for k, v in r["build_s"].items() if v >= 0.05)
        + f"; first document, models loaded {r['warm']:.1f}: "
        + ", ".join(f"{k} {v:.1f}" for k, v in r["warm_s"].items()) + ") |",
        f"| one process, after start-up (ingest + all stages) | **{n / total_wall:.1f} documents/s**, "
        f"{r['words'] / total_wall:,.0f} words/s wall; {(r['cpu'] + r['ingest_cpu']) / n * 1000:.0f} ms CPU "
        f"per document |",
        f"| peak RSS | {r['peak']:.0f} MB (after start-up {r['rss_ready']:.0f} MB) |",
    ]
    prev = (0, 0.0, 0.0, r["rss_ready"])
    for mark in r["checkpoints"]:
        k, w, c, rss = mark
        lines.append(f"| documents {prev[0] + 1}-{k} | {(k - prev[0]) / (w - prev[1]):.1f} documents/s wall, "
                     f"{(c - prev[2]) / (k - prev[0]) * 1000:.0f} ms CPU per document; RSS {rss:.0f} MB "
                     f"({(rss - prev[3]) / (k - prev[0]) * 1000:+.0f} kB per document) |")
        prev = mark
    parts = r["store_parts"]
    rows = r["store_rows"]
    vectors, linking = parts.get("embed", 0.0), parts.get("link", 0.0)
    writes = r["store_s"] - vectors - linking  # rows of every table, and the queries around them
    mentions = parts.get("_insert_and_link", 0.0) - vectors - linking
    lines.append(f"| store: `Store.ingest` of the {n} documents ({rows['documents']} documents, "
                 f"{rows['mentions']} event mentions, {rows['claims']} claims) | {r['store_s']:.2f} s: "
                 f"**rows written {writes:.2f} s** (documents, raw inputs and claims "
                 f"{parts.get('bulk_insert', 0):.2f}, mentions {mentions:.2f}"
                 f"); sentence vectors {vectors:.2f}, linking {linking:.2f} (furat.link) |")
    lines += ["", "CPU ms per document, per stage and language (batches of documents of one language):", "",
              "| stage | " + " | ".join(LANGS) + " | all |", "|---|" + "---:|" * (len(LANGS) + 1)]
    sc = r["stage_cpu"]
    ingest_ms = r["ingest_cpu"] / n * 1000
    lines.append("| ingest (read, clean) | " + " | ".join("" for _ in LANGS) + f" | {ingest_ms:.1f} |")
    totals = dict.fromkeys(LANGS, 0.0)
    for name in r["stages"]:
        cells = []
        for lg in LANGS:
            ms = sc.get((name, lg), 0.0) / max(r["per_lang_docs"][lg], 1) * 1000
            totals[lg] += ms
            cells.append(f"{ms:.1f}")
        allms = sum(sc.get((name, lg), 0.0) for lg in LANGS) / n * 1000
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {allms:.1f} |")
    lines.append("| **all stages** | " + " | ".join(f"**{totals[lg]:.0f}**" for lg in LANGS)
                 + f" | **{r['cpu'] / n * 1000:.0f}** |")
    wpd = {lg: r["per_lang_words"][lg] / max(r["per_lang_docs"][lg], 1) for lg in LANGS}
    lines += ["", "Words per document: " + ", ".join(f"{lg} {wpd[lg]:.0f}" for lg in LANGS) + "."]
    return "\n".join(lines)


def write_section(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    body = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in doc and END in doc:
        doc = doc[:doc.index(BEGIN)] + body + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + ("\n\n## Throughput of the whole pipeline (`bench/throughput.py`)\n\n"
                                  f"Measured by `python bench/throughput.py` (issue 20).\n\n{body}\n")
    DOC.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--profile", metavar="STAGE")
    ap.add_argument("--corpus", metavar="FILE")
    ap.add_argument("--json", metavar="FILE", help="also write the raw measures as JSON")
    args = ap.parse_args(argv)
    n = max(3, args.docs - args.docs % 3)
    result = run(n, args.profile, args.corpus)
    text = table(result)
    print(text)
    if args.json:
        raw = {**result, "stage_cpu": {f"{k[0]}/{k[1]}": v for k, v in result["stage_cpu"].items()}}
        Path(args.json).write_text(json.dumps(raw, indent=1), encoding="utf-8")
    if n >= 600 and not args.no_write:
        write_section(text)
        print(f"\nwritten into {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
