"""`furat eval timex`: furat's time stage against TimeML gold (TempEval-3 definitions).

Reads TempEval-3 TBAQ-cleaned, the French TimeBank or the Arabic silver corpus, runs the
recogniser on each document's raw text anchored on its creation time (DCT), and scores extents
(strict = same offsets, relaxed = overlap), value and type as TempEval-3 does: attribute accuracy
over relaxed matches, attribute F1 = relaxed F1 x attribute accuracy.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from furat.eval.common import EvalResult, prf, print_result

CORPORA = {"tempeval3": "en", "fr-timebank": "fr", "ar-silver": "ar"}
# The Arabic silver corpus has no DCT element; its relative values ("اليوم" → 2015-12-24,
# "أمس" → 2015-12-23, "غدا" → 2015-12-25) show it was produced with this creation time.
AR_SILVER_DCT = "2015-12-24"


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDoc:
    name: str
    text: str
    dct: str | None
    timexes: list[GoldTimex] = field(default_factory=list)


def _flatten(elem: ET.Element, parts: list[str], timexes: list[GoldTimex], offset: int) -> int:
    """Append the text of `elem` to `parts`, recording TIMEX3 spans; returns the new offset."""
    if elem.text:
        parts.append(elem.text)
        offset += len(elem.text)
    for child in elem:
        start = offset
        offset = _flatten(child, parts, timexes, offset)
        if child.tag == "TIMEX3":
            text = "".join(parts)[start:offset]
            timexes.append(GoldTimex(start, offset, text, child.get("type", "DATE"),
                                     child.get("value", "")))
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def read_timeml(path: pathlib.Path, default_dct: str | None = None) -> TimeMLDoc:
    """One TimeML file: the TEXT (or the whole body when there is none), its DCT and gold TIMEX3s."""
    raw = path.read_text(encoding="utf-8-sig")
    raw = re.sub(r"<!DOCTYPE[^>]*>", "", raw)
    root = ET.fromstring(raw.lstrip("\ufeff").strip())
    dct = default_dct
    dct_el = root.find("DCT/TIMEX3")
    if dct_el is not None and dct_el.get("value"):
        dct = dct_el.get("value", "")[:10]
    body = root.find("TEXT")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    if body is None:
        body = root
    _flatten(body, parts, timexes, 0)
    return TimeMLDoc(path.name, "".join(parts), dct, timexes)


def collect(paths: list[pathlib.Path]) -> list[pathlib.Path]:
    """The .tml files under the given files or folders, sorted."""
    files: list[pathlib.Path] = []
    for p in paths:
        files.extend(sorted(p.rglob("*.tml")) if p.is_dir() else [p])
    return files


def _norm_value(value: str) -> str:
    return value.strip().upper()


def evaluate(corpus: str, paths: list[pathlib.Path]) -> EvalResult:
    """Score the time recogniser on the TimeML files under `paths`."""
    from furat.time.tagger import tag

    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r} (known: {', '.join(CORPORA)})")
    lang = CORPORA[corpus]
    default_dct = AR_SILVER_DCT if corpus == "ar-silver" else None
    n_gold = n_sys = strict = relaxed = value_ok = type_ok = 0
    rows = []
    for path in collect(paths):
        doc = read_timeml(path, default_dct)
        found = tag(doc.text, lang, doc.dct)
        n_gold += len(doc.timexes)
        n_sys += len(found)
        used: set[int] = set()
        d_strict = d_relaxed = d_value = 0
        for g in doc.timexes:
            best = None
            for i, s in enumerate(found):
                if i in used or s.end <= g.start or s.start >= g.end:
                    continue
                if best is None or (s.start, s.end) == (g.start, g.end):
                    best = i
            if best is None:
                continue
            used.add(best)
            s = found[best]
            d_relaxed += 1
            d_strict += (s.start, s.end) == (g.start, g.end)
            d_value += _norm_value(s.value or "") == _norm_value(g.value)
            type_ok += s.type == g.type
        strict += d_strict
        relaxed += d_relaxed
        value_ok += d_value
        rows.append({"doc": doc.name, "gold": len(doc.timexes), "system": len(found),
                     "relaxed": d_relaxed, "value_ok": d_value})
    sp, sr, sf = prf(strict, n_sys - strict, n_gold - strict)
    rp, rr, rf = prf(relaxed, n_sys - relaxed, n_gold - relaxed)
    value_acc = value_ok / relaxed if relaxed else 0.0
    type_acc = type_ok / relaxed if relaxed else 0.0
    vp, vr, vf = prf(value_ok, n_sys - value_ok, n_gold - value_ok)
    summary = {
        "corpus": corpus, "documents": len(rows), "gold": n_gold, "system": n_sys,
        "strict_precision": round(sp, 4), "strict_recall": round(sr, 4), "strict_f1": round(sf, 4),
        "relaxed_precision": round(rp, 4), "relaxed_recall": round(rr, 4),
        "relaxed_f1": round(rf, 4),
        "value_accuracy": round(value_acc, 4), "value_f1": round(vf, 4),
        "value_precision": round(vp, 4), "value_recall": round(vr, 4),
        "type_accuracy": round(type_acc, 4),
    }
    return EvalResult(title=f"timex {corpus}", rows=rows, summary=summary)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", required=True, choices=sorted(CORPORA))
    parser.add_argument("--quiet", action="store_true", help="print only the JSON summary")
    parser.add_argument("paths", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    result = evaluate(args.corpus, args.paths)
    if args.quiet:
        result.rows = []
    print_result(result)


if __name__ == "__main__":
    main()
