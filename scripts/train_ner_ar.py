"""Train furat's Arabic NER (a CRF, furat.entities.arabic_crf) on NewsFANE → furat/data/entities/ar_crf.

Why our own: no Arabic NER weights ship on PyPI (see ../shared/MODELS.md). The split (80/10/10,
contiguous, from `furat.eval.ner.newsfane_split`) keeps the last 10 % (`test`) unseen: the shipped
model trains on train + dev (a CRF needs no early stopping), `--train-only` on train alone to
compare with other models on dev. `furat eval ner --corpus newsfane` scores on `test`.
Run: python scripts/train_ner_ar.py ../shared/data/entities/newsfane_ar/NewsFANE_Gold_2014_170K.txt
(one core, about a minute).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from pathlib import Path

import pycrfsuite

from furat.actors.normalize import key, surface
from furat.entities.arabic_crf import clean, read_lines, token_features
from furat.eval.ner import newsfane_split, read_newsfane

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "furat" / "data" / "entities" / "ar_crf"
PLACES = ROOT / "furat" / "data" / "entities" / "ar_places.txt"  # scripts/build_ner_gazetteer.py
KB = ROOT / "furat" / "data" / "actors" / "kb.json.gz"  # scripts/build_actor_kb.py
ARABIC = re.compile(r"[\u0621-\u064A]")
# L1/L2 penalties: c1 = 0.05, c2 = 0.01 scored best on dev of the four settings tried
# (0.05/0.01, 0.1/0.05, 0.2/0.1, with and without embedding clusters); see docs/QUALITY.md.
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True}


def kb_words() -> list[str]:
    """Keys of the words of every Arabic actor alias in the actor knowledge base."""
    with gzip.open(KB) as f:
        kb = json.loads(f.read())
    words = {key(w) for a in kb["actors"] for alias in a["aliases"].get("ar", []) for w in alias.split()}
    return sorted(w for w in words if len(w) >= 3 and ARABIC.search(w))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("newsfane")
    ap.add_argument("--train-only", action="store_true", help="train on the train split only")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sents = read_newsfane(args.newsfane)
    train = newsfane_split(sents, "train") + ([] if args.train_only else newsfane_split(sents, "dev"))
    places = frozenset(surface(p) for p in read_lines(PLACES))
    kb = kb_words()
    (out / "places.txt").write_text("\n".join(sorted(places)) + "\n", encoding="utf-8")
    (out / "kb_words.txt").write_text("\n".join(kb) + "\n", encoding="utf-8")
    vocab = sorted({surface(clean(t)) for toks, _ in train for t in toks})
    (out / "vocabulary.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in train:
        trainer.append(token_features(toks, places, frozenset(kb)), tags)
    trainer.set_params(PARAMS)
    t0 = time.perf_counter()
    trainer.train(str(out / "model.crfsuite"))
    size = sum(f.stat().st_size for f in out.iterdir()) / 1e6
    print(f"{len(train)} sentences, {time.perf_counter() - t0:.0f} s -> {out} ({size:.1f} MB)")


if __name__ == "__main__":
    main()
