"""Sentences to annotate for attribution (source / cue / content), from the PTC training articles.

Why this corpus: SemEval-2020 task 11's articles (`../shared/data/news/propaganda_semeval2020_en`) are
English political news of 2017-2019, the register of the attribution benchmark, and they are training
data (no benchmark text is used). Whole articles are taken, in a fixed order (a hash of their file
name), so an annotator sees each sentence in its context; each batch is one JSONL of
`{"id", "article", "n", "text", "tokens"}`.

    python scripts/attribution_sentences.py ../shared/data/news/propaganda_semeval2020_en/datasets \
        --batches 3 --per-batch 550 --out annotations/attribution/todo
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import spacy


def article_sentences(nlp: spacy.language.Language, text: str) -> list[str]:
    """The article's sentences, paragraph by paragraph (PTC keeps one paragraph per line)."""
    out: list[str] = []
    for para in text.splitlines():
        para = para.strip()
        if not para:
            continue
        out.extend(s.text.strip() for s in nlp(para).sents if s.text.strip())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("datasets", type=Path, help="the PTC `datasets` folder")
    ap.add_argument("--batches", type=int, default=3)
    ap.add_argument("--per-batch", type=int, default=550)
    ap.add_argument("--out", type=Path, default=Path("annotations/attribution/todo"))
    args = ap.parse_args()

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    files = sorted((args.datasets / "train-articles").glob("*.txt"),
                   key=lambda p: hashlib.sha1(p.name.encode()).hexdigest())
    args.out.mkdir(parents=True, exist_ok=True)
    batch, rows, total = 0, [], 0
    for path in files:
        if batch >= args.batches:
            break
        article = path.stem
        for n, sent in enumerate(article_sentences(nlp, path.read_text(encoding="utf-8"))):
            rows.append({"id": f"{article}-{n}", "article": article, "n": n, "text": sent,
                         "tokens": [t.text for t in nlp.make_doc(sent)]})
        if len(rows) >= args.per_batch:
            (args.out / f"batch{batch}.jsonl").write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
            total += len(rows)
            print(f"batch{batch}: {len(rows)} sentences")
            batch, rows = batch + 1, []
    print(f"{total} sentences in {batch} batches")


if __name__ == "__main__":
    main()
