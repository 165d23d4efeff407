"""`furat eval acled`: ACLED sub-event types on the CASE-2021 task-2 snippets.

The snippets are all the labelled data there is, so the shipped recipe is scored by stratified
5-fold cross-validation (trained on four folds, scored on the fifth, never on what it saw), beside
the trigger lexicon alone (no training at all). Macro, micro and weighted F1 over the subtypes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from furat.eval.common import EvalResult

FOLDS = 5


def read_snippets(path: Path) -> tuple[list[str], list[str]]:
    """Texts and ACLED sub-event type names of a CASE-2021 task-2 `snippets.tsv`."""
    from furat.events.acled import subtypes

    by_code = {v["case"]: name for name, v in subtypes().items()}
    texts, labels = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row.get("EventSnippet") and row.get("SubType") in by_code:
                texts.append(row["EventSnippet"])
                labels.append(by_code[row["SubType"]])
    return texts, labels


def _scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    from sklearn.metrics import f1_score

    return {
        "macro_f1": round(float(f1_score(gold, pred, average="macro", zero_division=0)), 4),
        "micro_f1": round(float(f1_score(gold, pred, average="micro", zero_division=0)), 4),
        "weighted_f1": round(float(f1_score(gold, pred, average="weighted", zero_division=0)), 4),
    }


def lexicon_only(texts: list[str]) -> list[str]:
    """The first ACLED-typed event's subtype the trigger lexicon finds, else "Other"."""
    from furat.events.acled import lexicon_votes, subtypes

    names = list(subtypes())
    return [names[int(np.argmax(v))] if v.any() else "Other" for v in map(lexicon_votes, texts)]


def cross_validated(texts: list[str], labels: list[str], folds: int = FOLDS) -> list[str]:
    from sklearn.model_selection import StratifiedKFold

    from furat.events.acled import features, fit

    pred = [""] * len(texts)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, labels):
        model = fit([texts[i] for i in train], [labels[i] for i in train])
        out = model["svc"].predict(features(model, [texts[i] for i in test]))
        for i, label in zip(test, out, strict=True):
            pred[i] = str(label)
    return pred


def evaluate(path: Path) -> EvalResult:
    texts, labels = read_snippets(path)
    rows = []
    lexicon = _scores(labels, lexicon_only(texts))
    rows.append({"approach": "trigger lexicon only (no training)", **lexicon})
    shipped = _scores(labels, cross_validated(texts, labels))
    rows.append({"approach": f"TF-IDF + lexicon votes + linear SVM ({FOLDS}-fold CV)", **shipped})
    summary = {"snippets": len(texts), "subtypes": len(set(labels)), "folds": FOLDS, **shipped,
               "lexicon_only": lexicon}
    return EvalResult(title=f"ACLED sub-event types, CASE-2021 task 2 ({len(texts)} snippets)",
                      rows=rows, summary=summary)
