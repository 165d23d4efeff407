"""Train furat's Arabic NER (spaCy CNN) on the NewsFANE train split, write it to furat/data/entities/ar_ner.

Why our own: no Arabic spaCy/NER weights ship on PyPI (see ../shared/MODELS.md). The split (80/10/10,
contiguous, from `furat.eval.ner.newsfane_split`) keeps the test part unseen; `furat eval ner --corpus
newsfane` scores on it. Run: `nice -n 10 python scripts/train_ner_ar.py ../shared/data/entities/newsfane_ar/
NewsFANE_Gold_2014_170K.txt` (one core, a few minutes).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import spacy
from spacy.cli.train import train
from spacy.tokens import Doc, DocBin
from spacy.training import biluo_tags_to_spans, iob_to_biluo

import furat.entities.arabic  # noqa: F401  (registers the furat_ar_norms component)
from furat.eval.ner import newsfane_split, read_newsfane

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "scripts" / "ner_ar.cfg"
OUT = ROOT / "furat" / "data" / "entities" / "ar_ner"


def to_docbin(sents: list, path: Path) -> None:
    nlp = spacy.blank("ar")
    db = DocBin()
    for words, tags in sents:
        doc = Doc(nlp.vocab, words=words, spaces=[True] * len(words))
        doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(tags))
        db.add(doc)
    db.to_disk(path)


def main(path: str) -> None:
    sents = read_newsfane(path)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        to_docbin(newsfane_split(sents, "train"), t / "train.spacy")
        to_docbin(newsfane_split(sents, "dev"), t / "dev.spacy")
        spacy.util.fix_random_seed(0)
        train(CONFIG, t / "out", overrides={"paths.train": str(t / "train.spacy"),
                                            "paths.dev": str(t / "dev.spacy")})
        if OUT.exists():
            shutil.rmtree(OUT)
        shutil.copytree(t / "out" / "model-best", OUT)
    print(f"wrote {OUT} ({sum(f.stat().st_size for f in OUT.rglob('*') if f.is_file()) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(sys.argv[1])
