"""Train furat's ACLED sub-event classifier on the CASE-2021 task-2 snippets and ship it.

Usage: python scripts/train_acled.py ../shared/data/events/case2021_acled_types/snippets.tsv \
           [--extra annotations/acled/*.tsv]
Writes furat/data/events/acled_svc.joblib (labels are ACLED sub-event type names, plus the CASE
codes of the "unseen" non-ACLED types, e.g. NATURAL_DISASTER).
Held-out quality: `furat eval acled PATH` (5-fold cross-validation of this same recipe).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import joblib
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from furat.eval.acled import read_snippets, training_sets  # noqa: E402
from furat.events.acled import MODEL_FILE, fit  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("snippets", type=Path)
    ap.add_argument("--extra", nargs="*", type=Path, default=[],
                    help="project-annotated snippets (annotations/acled/*.tsv, the same columns)")
    args = ap.parse_args()
    texts, labels = read_snippets(args.snippets, unseen=True)  # unseen types too, as negatives
    _, _, own = training_sets(args.snippets, args.extra)
    texts, labels = texts + own[0], labels + own[1]
    model = fit(texts, labels)
    model["svc"].coef_ = model["svc"].coef_.astype(np.float32)
    out = ROOT / "furat" / MODEL_FILE
    joblib.dump(model, out, compress=3)
    print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size / 1024:.0f} KB, {len(texts)} snippets)")


if __name__ == "__main__":
    main()
