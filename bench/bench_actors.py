"""Speed of NER + actor resolution on a ~600-word document, one core, after loading.

Not a test: prints per-part CPU and wall milliseconds (median of N runs; pinned to one core by
`taskset`, which also keeps OpenBLAS to one thread) so the 80 ms budget can be checked and the
time located. The actor resolver runs once per document: the entities stage (armed groups) fills
its cache and the actors stage reads it; "actors stage alone" is the cost without that cache.
Run: `taskset -c 0 python bench/bench_actors.py [fr|en|ar] [runs]`.
"""

from __future__ import annotations

import statistics
import sys
import time

from furat.actors.resolve import shared_resolver
from furat.actors.stage import make_actors_stage
from furat.entities.gazetteer import weapons
from furat.entities.stage import EntityTagger, make_entities_stage, one_blas_thread
from furat.model import Document, Paragraph

SENTENCES = {
    "fr": ("Les Forces démocratiques syriennes (FDS), soutenues par la coalition internationale dirigée "
           "par Washington, ont affronté des hommes armés de Daech près de Deir ez-Zor, tandis que les "
           "blindés russes et l'armée syrienne avançaient vers Boukamal avec des hélicoptères Mil-25. "
           "Damas a dénoncé l'arrivée de nouveaux systèmes HIMARS et le Hachd al-Chaabi a démenti. "),
    "en": ("The US-backed Syrian Democratic Forces (SDF) said Islamic State fighters attacked a "
           "checkpoint near Deir ez-Zor, while Russian forces and the Syrian army advanced towards "
           "Albu Kamal with Su-35 jets. CENTCOM said the coalition struck ISIS targets and Washington "
           "warned Damascus. "),
    "ar": ("وقالت قوات سوريا الديمقراطية «قسد» إن مسلحي تنظيم داعش هاجموا حاجزاً قرب دير الزور، فيما "
           "تقدم الجيش السوري والقوات الروسية نحو البوكمال بدعم من الطائرات المسيرة. وأعلن التحالف "
           "الدولي أن القيادة المركزية الأمريكية نفذت غارات، وقالت دمشق إن الحشد الشعبي لم يشارك. "),
}


def document(lang: str, words: int = 600) -> Document:
    paras, n = [], 0
    while n < words:
        paras.append(SENTENCES[lang] * 2)
        n += len(paras[-1].split())
    text = "\n\n".join(paras)
    spans, pos = [], 0
    for p in paras:
        spans.append(Paragraph(start=pos, end=pos + len(p), language=lang))
        pos += len(p) + 2
    return Document(id="bench", source="bench", raw_sha256="", text=text, language=lang, paragraphs=spans)


def timed(fn, runs: int) -> tuple[float, float]:
    """Median CPU and wall milliseconds (CPU time is what one core costs on a shared machine)."""
    cpu, wall = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main(lang: str = "fr", runs: int = 20) -> None:
    t = time.perf_counter()
    ents = make_entities_stage({})
    actors = make_actors_stage({})
    doc = document(lang)
    list(actors(ents([doc])))  # loads the models
    print(f"{lang}: {len(doc.text.split())} words; load {time.perf_counter() - t:.1f} s")
    tagger = EntityTagger()
    nlp = tagger.nlp(lang)
    texts = [doc.text[p.start : p.end] for p in doc.paragraphs]
    resolver = shared_resolver()

    def ner():
        with one_blas_thread():
            return list(nlp.pipe(texts))

    def uncached(fn):
        """The resolver caches a document's mentions for the next stage: start each run cold."""
        def run():
            resolver.clear_cache()
            return fn()
        return run

    if hasattr(nlp, "pipe_names"):  # a spaCy pipeline (fr, en)
        model = {"spaCy NER (" + "+".join(nlp.pipe_names) + ")": ner,
                 "tokenizer alone": lambda: [nlp.make_doc(x) for x in texts]}
    else:  # furat's Arabic CRF
        from furat.entities.arabic_crf import tokenize
        model = {"CRF NER (features + tagging)": ner,
                 "tokenizer alone": lambda: [tokenize(x, nlp.vocabulary) for x in texts]}
    parts = {
        **model,
        "weapons lexicon": lambda: [weapons(x, lang) for x in texts],
        "actor resolver (document)": uncached(lambda: resolver.find_document(doc.text, doc.segments(lang))),
        "entities stage (all)": uncached(lambda: list(ents([document(lang)]))),
        "actors stage alone": uncached(lambda: list(actors([document(lang)]))),
        "entities + actors": uncached(lambda: list(actors(ents([document(lang)])))),
    }
    print(f"  {'part':28s} {'cpu ms':>8s} {'wall ms':>8s}")
    for name, fn in parts.items():
        cpu, wall = timed(fn, runs)
        print(f"  {name:28s} {cpu:8.1f} {wall:8.1f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fr", int(sys.argv[2]) if len(sys.argv) > 2 else 20)
