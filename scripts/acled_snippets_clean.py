"""Clean the project-annotated ACLED snippets (annotations/acled/*.tsv) in place.

Drops a snippet that shares any 8-word sequence (lower-cased, punctuation as spaces) with a snippet
of an `--exclude` file (the CASE-2021 training snippets, so cross-validation never scores a snippet
whose near-copy it trained on; the CASE-2021 test snippets, so no test text is trained on), and
repeats of a snippet already kept (the annotators worked in parallel on the same corpora; the first
file in name order keeps it). Prints what it dropped.
Usage: python scripts/acled_snippets_clean.py annotations/acled/helper_*.tsv --exclude A.tsv B.tsv
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

N = 8


def words(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def grams(text: str) -> set[str]:
    w = words(text).split()
    return {" ".join(w[i : i + N]) for i in range(len(w) - N + 1)}


def snippets(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [r["EventSnippet"] for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if r.get("EventSnippet")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--exclude", nargs="*", type=Path, default=[])
    args = ap.parse_args()
    excluded: dict[Path, set[str]] = {p: set().union(*map(grams, snippets(p))) for p in args.exclude}
    seen: set[str] = set()
    for path in sorted(args.files):
        lines = path.read_text(encoding="utf-8").splitlines()
        kept, dropped = [lines[0]], {"repeat": 0, **{str(p): 0 for p in args.exclude}}
        for line in lines[1:]:
            if not line.strip():
                continue
            text = line.split("\t")[1]
            hit = next((p for p, g in excluded.items() if grams(text) & g), None)
            if hit is not None:
                dropped[str(hit)] += 1
            elif words(text) in seen:
                dropped["repeat"] += 1
            else:
                seen.add(words(text))
                kept.append(line)
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        print(f"{path}: kept {len(kept) - 1}, dropped {dropped}")


if __name__ == "__main__":
    main()
