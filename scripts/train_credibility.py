"""Train furat's document credibility signal on FA-KES; ship claims/persuasion/credibility_en.npz.

Usage: nice -n 10 python scripts/train_credibility.py ../shared/data/news/fakes

FA-KES (Abu Salem et al., ICWSM 2019) labels English Syrian-war articles 1 (credible: its casualty
facts match the Violations Documentation Center) or 0 (fake). The model sees only the text (title
and body: the crowd-sourced fields of the CSV do not exist at run time): TF-IDF words and
characters, logistic regression; C chosen by 5-fold stratified cross-validation (fixed seed).
Duplicate articles are dropped. The benchmark test split is never read here: `furat eval fakes
TEST --train DATA` scores it, leaving out any test article whose text is also in the training data.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from furat.claims.persuasion.data import read_fakes  # noqa: E402
from furat.claims.persuasion.linear import features, fit_block, from_sklearn  # noqa: E402

OUT = ROOT / "furat" / "data" / "claims" / "persuasion" / "credibility_en.npz"
SEED = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    args = parser.parse_args()
    t0 = time.time()
    texts, labels, _ = read_fakes(args.data)
    seen: set[str] = set()
    keep = []
    for i, text in enumerate(texts):
        if text not in seen:
            keep.append(i)
        seen.add(text)
    texts, y = [texts[i] for i in keep], np.array([labels[i] for i in keep])
    print(f"FA-KES {args.data}: {len(labels)} rows, {len(texts)} kept after dropping duplicates; "
          f"credible {int(y.sum())} / fake {int(len(y) - y.sum())}")
    blocks = [fit_block(texts, "word", (1, 2), 20000), fit_block(texts, "char_wb", (2, 5), 30000)]
    x = features(blocks, texts)
    best = None
    for c in (0.25, 1.0, 4.0, 16.0):
        oof = np.zeros(len(y))
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=SEED).split(texts, y):
            est = LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit(x[tr], y[tr])
            oof[te] = est.predict_proba(x[te])[:, 1]
        acc, auc = float(((oof >= 0.5) == y).mean()), float(roc_auc_score(y, oof))
        print(f"  cv C={c}: accuracy {acc:.4f} AUC {auc:.4f}")
        if best is None or auc > best[0]:
            best = (auc, c, acc)
    assert best is not None
    auc, c, acc = best
    est = LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit(x, y)
    model = from_sklearn(["credible"], blocks, [est], "ovr", {
        "C": c, "cv_auc": round(auc, 4), "cv_accuracy": round(acc, 4), "task": "FA-KES",
        "majority": round(max(y.mean(), 1 - y.mean()), 4)})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    model.save(OUT)
    majority = max(y.mean(), 1 - y.mean())
    print(f"chose C={c} (cv AUC {auc:.4f}, accuracy {acc:.4f}; majority class {majority:.4f}); "
          f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
