"""Geoparsing evaluation on LGL, TR-News (gaztag XML) and GeoVirus (location XML), EUPEG style.

Matching rule (EUPEG, Wang & Hu 2019, so figures compare with the published tables): a predicted
toponym matches a gold one when their span midpoints are under 10 characters apart and the surface
strings are equal ignoring case (one-to-one, in text order). Gold toponyms without coordinates are
dropped. On matched toponyms: accuracy@161 km, mean and median error km, and the AUC of the log
error curve (Gritta et al. 2018, lower is better); end to end, `acc161_of_gold` is the share of
gold toponyms both found and resolved within 161 km. `evaluate_system` scores the published
systems' outputs (`name,,surface,,lat,,lon,,start,,end||…`, one line per document) with the same code.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from lxml import etree

from furat.eval.common import EvalResult, prf
from furat.geo.gazetteer import haversine_km

CORPORA = ("lgl", "geovirus", "trnews", "eupeg")
# What each corpus's guidelines count as a toponym beyond furat's own rules, measured on the
# corpora: LGL and TR-News annotate the place inside an organisation's name ("Fargo Police",
# "Texas Department of Health") and adjectival forms ("Sudanese" -> Sudan); GeoVirus annotates
# neither (turning them on there costs 5 points of F1). `--conventions corpus` (the default) scores
# furat under the corpus's own guidelines, `--conventions furat` with furat's output rules.
CORPUS_CONVENTIONS: dict[str, dict[str, bool]] = {
    "lgl": {"places_in_orgs": True, "adjectival": True},
    "trnews": {"places_in_orgs": True, "adjectival": True},
    "geovirus": {"places_in_orgs": False, "adjectival": False},
    "eupeg": {},  # any other corpus in EUPEG's generic XML format: furat's own rules
}
MAX_KM = 20039.0  # half the Earth's circumference: the error of a toponym left unresolved
MIDPOINT_CHARS = 10


@dataclass(frozen=True)
class Toponym:
    """A gold or predicted toponym: surface, character span, coordinates (None if unresolved)."""

    text: str
    start: int
    end: int
    lat: float | None = None
    lon: float | None = None

    @property
    def mid(self) -> float:
        return (self.start + self.end) / 2


@dataclass
class GoldDoc:
    text: str
    toponyms: list[Toponym]


def _float(x: str | None) -> float | None:
    try:
        return float(x) if x not in (None, "", "None") else None
    except ValueError:
        return None


def _footprint(place: etree._Element | None) -> tuple[float | None, float | None]:
    """(lat, lon) of an EUPEG `place`: its `footprint` is "lon lat" (a point; a polygon's first point)."""
    if place is None:
        return None, None
    nums = re.findall(r"-?\d+(?:\.\d+)?", place.findtext("footprint") or "")
    return (float(nums[1]), float(nums[0])) if len(nums) >= 2 else (None, None)


def read_corpus(path: str | Path) -> list[GoldDoc]:
    """LGL / TR-News (`toponym` + `gaztag`), GeoVirus (`location`) or EUPEG's generic dataset format
    (`entries/entry`, `place/footprint` "lon lat") XML; toponyms sorted by start."""
    tree = etree.parse(str(path))
    if tree.getroot().tag == "entries":
        docs = []
        for entry in tree.getroot().iter("entry"):
            text = entry.findtext("text") or ""
            tops = [Toponym(el.findtext("phrase") or "", int(el.findtext("start")), int(el.findtext("end")),
                            *_footprint(el.find("place"))) for el in entry.iter("toponym")]
            docs.append(GoldDoc(text, sorted(tops, key=lambda t: t.start)))
        return docs
    docs = []
    for art in tree.iter("article"):
        text = art.findtext("text") or ""
        tops: list[Toponym] = []
        for el in art.iter("toponym", "location"):
            surface = el.findtext("phrase") or el.findtext("name") or ""
            s, e = int(el.findtext("start")), int(el.findtext("end"))
            if text[s:e] != surface and text[s - 1 : e - 1] == surface:
                s, e = s - 1, e - 1  # GeoVirus offsets are one-based
            gaz = el.find("gaztag")
            node = gaz if gaz is not None else el
            tops.append(Toponym(surface, s, e, _float(node.findtext("lat")), _float(node.findtext("lon"))))
        docs.append(GoldDoc(text, sorted(tops, key=lambda t: t.start)))
    return docs


def read_lines(path: str | Path) -> list[list[Toponym]]:
    """The EUPEG text format: one document per line, toponyms `name,,surface,,lat,,lon,,start,,end`."""
    text = Path(path).read_text(encoding="utf-8")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines = lines[:-1]
    out = []
    for line in lines:
        tops = []
        for item in line.split("||"):
            f = item.split(",,")
            if len(f) < 6:
                continue
            tops.append(Toponym(f[1], int(f[4]), int(f[5]), _float(f[2]), _float(f[3])))
        out.append(sorted(tops, key=lambda t: t.start))
    return out


def match(gold: list[Toponym], pred: list[Toponym]) -> list[tuple[Toponym, Toponym]]:
    """One-to-one EUPEG matches (midpoints < 10 chars apart, same surface ignoring case)."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        best, best_d = None, MIDPOINT_CHARS
        for j, p in enumerate(pred):
            if j in used or p.text.casefold() != g.text.casefold():
                continue
            d = abs(p.mid - g.mid)
            if d < best_d:
                best, best_d = j, d
        if best is not None:
            used.add(best)
            pairs.append((g, pred[best]))
    return pairs


def error_km(g: Toponym, p: Toponym) -> float:
    if p.lat is None or p.lon is None or g.lat is None or g.lon is None:
        return MAX_KM
    return haversine_km(g.lat, g.lon, p.lat, p.lon)


def auc(errors: list[float]) -> float:
    """Area under the curve of sorted log(1 + error km), normalised by log(20039) (Gritta 2018)."""
    if len(errors) < 2:
        return 0.0
    ys = [math.log(e + 1) for e in sorted(errors)]
    area = sum((a + b) / 2 for a, b in pairwise(ys))
    return area / (math.log(MAX_KM) * (len(ys) - 1))


def score(pairs_gold_pred: Iterable[tuple[list[Toponym], list[Toponym]]], title: str) -> EvalResult:
    """Counts and error figures over documents given as (gold toponyms, predicted toponyms)."""
    n_gold = n_pred = 0
    errors: list[float] = []
    for gold, pred in pairs_gold_pred:
        gold = [g for g in gold if g.lat is not None and g.lon is not None]
        n_gold += len(gold)
        n_pred += len(pred)
        errors += [error_km(g, p) for g, p in match(gold, pred)]
    tp = len(errors)
    p, r, f = prf(tp, n_pred - tp, n_gold - tp)
    within = sum(1 for e in errors if e < 161)
    summary = {
        "title": title, "gold": n_gold, "predicted": n_pred, "matched": tp,
        "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
        "acc161": round(within / tp, 4) if tp else 0.0,
        "acc161_of_gold": round(within / n_gold, 4) if n_gold else 0.0,
        "mean_km": round(statistics.fmean(errors), 1) if errors else None,
        "median_km": round(statistics.median(errors), 1) if errors else None,
        "auc": round(auc(errors), 4),
    }
    rows = [{"metric": k, "value": v} for k, v in summary.items() if k != "title"]
    return EvalResult(title=title, rows=rows, summary=summary)


def evaluate_system(system_file: str | Path, gold_file: str | Path) -> EvalResult:
    """A published system's output file against the gold file of the same corpus (line-aligned)."""
    gold, pred = read_lines(gold_file), read_lines(system_file)
    if len(pred) < len(gold):
        pred += [[] for _ in range(len(gold) - len(pred))]
    return score(zip(gold, pred[: len(gold)], strict=True), f"geoparse {Path(system_file).stem}")


def evaluate(corpus: str, path: str | Path, config: dict | None = None,
             parse: Callable[[str], list[Toponym]] | None = None, limit: int | None = None) -> EvalResult:
    """furat's geo stage over a corpus (`lgl`, `geovirus`, `trnews`), English, one paragraph/doc,
    fed by the `entities` stage with furat's default configuration, as in `furat extract`."""
    docs = read_corpus(path)[:limit]
    if parse is None:
        from furat.config import load_config
        from furat.eval.ner import stage_tagger
        from furat.geo.stage import Geoparser

        geoparser = Geoparser({**(config or {}), "models": {}})  # the entities stage gives the NER
        tag = stage_tagger("en", load_config(None).get("entities", {}))

        def parse(text: str) -> list[Toponym]:
            found = geoparser.parse(text, language="en", entities=tag([text])[0])
            return [Toponym(p.text, p.start, p.end, p.lat, p.lon) for p in found]

    t0 = time.perf_counter()
    preds = [parse(d.text) for d in docs]
    elapsed = time.perf_counter() - t0
    result = score(((d.toponyms, p) for d, p in zip(docs, preds, strict=True)), f"geoparse furat {corpus}")
    words = sum(len(d.text.split()) for d in docs)
    result.summary["ms_per_600_words"] = round(1000 * elapsed / max(words, 1) * 600, 1)
    result.summary["docs"] = len(docs)
    return result
