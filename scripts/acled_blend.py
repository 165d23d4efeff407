"""Choose the blend of the ACLED SVM and the encoder head by cross-validation; write its weights.

Reads the encoder's out-of-fold logits of every epoch (`scripts/train_encoder_acled.py --cv K
--oof FILE`), computes the SVM's out-of-fold decision values over the same folds
(`furat.eval.acled.cross_validated_scores`, the shipped recipe with the same extra snippets), and
scores weight × SVM decision + log-probability of the head for a grid of weights and every epoch,
each matrix scaled to unit standard deviation first (so the weight is a ratio). The best (epoch,
weight) by the mean of weighted and macro F1 is written to furat/data/events/acled_blend.json: fit the
shipped head for that many epochs (`train_encoder_acled.py` without --cv) and the SVM on the same data.
Usage: python scripts/acled_blend.py SNIPPETS.tsv --oof /tmp/acled_oof.npz [--extra annotations/acled/*.tsv]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from furat.encoder.heads import log_softmax
from furat.eval.acled import _scores, cross_validated_scores, training_sets
from furat.events.acled import subtypes
from furat.events.acled_encoder import BLEND_FILE, HEAD, blend

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = (0.0, 0.25, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, float("inf"))  # SVM : head; inf = SVM alone


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("snippets", type=Path)
    ap.add_argument("--oof", type=Path, required=True)
    ap.add_argument("--extra", nargs="*", type=Path, default=[])
    ap.add_argument("--head", default=HEAD, help="the head's name the blend file names")
    ap.add_argument("--out", type=Path, default=ROOT / "furat" / BLEND_FILE)
    args = ap.parse_args()
    (texts, labels), unseen, own = training_sets(args.snippets, args.extra)
    train_extra = (unseen[0] + own[0], unseen[1] + own[1])
    oof = np.load(args.oof)
    assert [str(x) for x in oof["labels"]] == labels, "the OOF file was made from other snippets"
    names = [str(x) for x in oof["names"]]
    classes, svm = cross_validated_scores(texts, labels, extra=train_extra)
    svm_scale = 1.0 / float(svm[np.isfinite(svm)].std())
    svm = np.where(np.isfinite(svm), svm, np.nanmin(np.where(np.isfinite(svm), svm, np.nan)))

    def scored(pred: list[str]) -> dict[str, float]:
        return _scores(labels, [p if p in subtypes() else "Other" for p in pred])

    rows, best = [], None
    for epoch, logits in enumerate(oof["logits"], start=1):
        head_scale = 1.0 / float(log_softmax(logits).std())
        for w in WEIGHTS:
            weights = {"svm": 1.0, "encoder": 0.0} if w == float("inf") else \
                {"svm": w * svm_scale, "encoder": head_scale}
            f = scored(blend(classes, svm, names, logits, weights))
            rows.append({"epoch": epoch, "svm_weight": w, **f})
            key = (f["weighted_f1"] + f["macro_f1"]) / 2
            if w != float("inf") and (best is None or key > best[0]):
                best = (key, epoch, w, weights, f)
            print(json.dumps(rows[-1]), flush=True)
    assert best is not None
    _, epoch, w, weights, f = best
    out = {"head": args.head, "epochs": epoch, "svm_weight_ratio": w, **weights,
           "cv": {"folds": int(oof["folds"]) if "folds" in oof.files else 5, **f,
                  "svm_alone": scored([classes[int(k)] for k in svm.argmax(1)]),
                  "head_alone": scored([names[int(k)] for k in oof["logits"][epoch - 1].argmax(1)])},
           "extra": [p.name for p in args.extra]}
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
