"""Benchmark of the geo stage: index size and load time, then ms per 600-word document.

Run: `python bench/bench_geo.py [--corpus ../shared/data/geoparsing/corpora/GeoVirus.xml]`.
Without a corpus it times a built-in French/English/Arabic text (repeated to 600 words). Two
figures per document: with the stage's own spaCy NER, and with entities given (as when the
`entities` stage ran before), which is the geo stage's own cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from furat.geo.gazetteer import DEFAULT_INDEX, Gazetteer
from furat.geo.stage import Geoparser

SAMPLE = {
    "fr": "Des clashs ont éclaté contre les forces russes à Deir ez-Zor, près de Qamichli et de Hassaké, "
          "pendant que la coalition renforçait ses bases à al-Shaddadi, dans la campagne de Hasakah, et "
          "au champ d'al-Omar. Damas affirme que la route entre Palmyre et Abou Kamal est sécurisée. ",
    "en": "Government forces seized Masrab and Tibni villages on the western bank of the Euphrates River, "
          "while clashes continued in Khusham town north of Deir Ezzor city and near al-Busayrah. ",
    "ar": "أفادت مصادر محلية بقصف مدفعي على بلدة الشحيل في ريف دير الزور الشرقي، فيما وصلت تعزيزات "
          "إلى مدينة الميادين قادمة من البوكمال، وسط توتر في الحسكة والقامشلي. ",
}


def repeat_to(text: str, words: int = 600) -> str:
    out = text
    while len(out.split()) < words:
        out += text
    return out


def time_parse(geo: Geoparser, texts: list[tuple[str, str]], entities: dict[str, list] | None) -> float:
    """Median ms per document, each parsed with cold lookup caches (no name seen before)."""
    runs = []
    for text, lang in texts:
        geo.gaz._cache.clear()
        Gazetteer._fuzzy.cache_clear()
        t0 = time.perf_counter()
        geo.parse(text, language=lang, entities=(entities or {}).get(text))
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="LGL/TR-News/GeoVirus XML: time its documents instead")
    ap.add_argument("--docs", type=int, default=30)
    args = ap.parse_args()

    size_mb = DEFAULT_INDEX.stat().st_size / 1e6
    t0 = time.perf_counter()
    gaz = Gazetteer()
    gaz.lookup("Deir ez-Zor")  # first query pages the index in
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    geo = Geoparser({}, gazetteer=gaz)
    assert geo.models  # its own spaCy models load on first need; time that here
    models_s = time.perf_counter() - t0

    if args.corpus:
        from furat.eval.geoparse import read_corpus

        texts = [(repeat_to(d.text), "en") for d in read_corpus(args.corpus)[: args.docs]]
    else:
        texts = [(repeat_to(t), lang) for lang, t in SAMPLE.items()]
    with_ner = time_parse(geo, texts, None)
    # The entities stage's output, simulated with the same spaCy models, so only geo is timed.
    ents: dict[str, list] = {}
    for text, lang in texts:
        nlp = geo.models.get(lang)
        ents[text] = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents] if nlp else []
    geo_only = time_parse(geo, texts, ents)
    print(json.dumps({
        "index_mb": round(size_mb, 1), "index_load_s": round(load_s, 3), "models_load_s": round(models_s, 1),
        "ms_per_600_words_with_ner": round(with_ner, 1),
        "ms_per_600_words_given_entities": round(geo_only, 1),
        "docs": len(texts),
    }))


if __name__ == "__main__":
    main()
