"""Error listing for the time recogniser on TimeML gold (development aid, reads ../shared)."""

from __future__ import annotations

import argparse
import collections
import pathlib

from furat.eval.timex import AR_SILVER_DCT, CORPORA, collect, read_timeml
from furat.time.tagger import tag


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True, choices=sorted(CORPORA))
    parser.add_argument("--half", choices=["even", "odd"], help="keep every other file")
    parser.add_argument("--context", type=int, default=0, help="characters of text shown around value errors")
    parser.add_argument("paths", nargs="+", type=pathlib.Path)
    args = parser.parse_args()
    files = collect(args.paths)
    if args.half:
        files = files[args.half == "odd" :: 2]
    counts: collections.Counter[str] = collections.Counter()
    for path in files:
        doc = read_timeml(path, AR_SILVER_DCT if args.corpus == "ar-silver" else None)
        found = tag(doc.text, CORPORA[args.corpus], doc.dct)
        hit: set[int] = set()
        for g in doc.timexes:
            match = [i for i, s in enumerate(found) if s.start < g.end and g.start < s.end]
            if not match:
                counts[f"FN\t{g.type}\t{g.value}\t{g.text}"] += 1
                continue
            s = found[match[0]]
            hit.update(match)
            if (s.value or "").upper() != g.value.upper():
                line = f"VAL\t{doc.dct}\t{g.text!r}->{s.text!r}\tgold={g.value}\tsys={s.value}"
                if args.context:
                    around = doc.text[max(0, g.start - args.context) : g.end + args.context]
                    line += f"\t{doc.name}\t" + " ".join(around.split())
                counts[line] += 1
            if s.type != g.type:
                counts[f"TYPE\t{g.text!r}\tgold={g.type}\tsys={s.type}"] += 1
        for i, s in enumerate(found):
            if i not in hit:
                counts[f"FP\t{s.type}\t{s.value}\t{s.text}"] += 1
    for line, n in sorted(counts.items(), key=lambda kv: (kv[0][:3], -kv[1])):
        print(n, line, sep="\t")


if __name__ == "__main__":
    main()
