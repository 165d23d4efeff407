"""`furat eval acled`: ACLED sub-event types on the CASE-2021 task-2 snippets.

The snippets are all the labelled data there is, so the shipped recipe is scored by stratified
5-fold cross-validation (trained on four folds, scored on the fifth, never on what it saw), beside
the trigger lexicon alone (no training at all). The snippets of the "unseen" (non-ACLED) types
join every training fold as negatives but are not scored. Macro, micro and weighted F1 over the subtypes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from furat.eval.common import EvalResult

FOLDS = 5


def read_snippets(path: Path, unseen: bool = False) -> tuple[list[str], list[str]]:
    """Texts and ACLED sub-event type names of a CASE-2021 task-2 `snippets.tsv`; with `unseen`,
    also the snippets of the "unseen" (non-ACLED) types, labelled with their CASE code."""
    from furat.events.acled import subtypes

    by_code = {v["case"]: name for name, v in subtypes().items()}
    texts, labels = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            code = row.get("SubType") or ""
            if row.get("EventSnippet") and (code in by_code or (unseen and code)):
                texts.append(row["EventSnippet"])
                labels.append(by_code.get(code, code))
    return texts, labels


Snippets = tuple[list[str], list[str]]  # texts, labels


def training_sets(path: Path, extra_files: list[Path] | None = None) -> tuple[Snippets, Snippets, Snippets]:
    """What the ACLED classifiers train on: the snippets of `path` that are scored (ACLED
    subtypes), its "unseen"-type snippets (labelled with their CASE code, never scored) and the
    snippets annotated in this project (`extra_files`, annotations/acled/*.tsv: CASE's columns +
    `source`), each once and none already among the scored ones (the first label of a repeat kept)."""
    texts, labels = read_snippets(path)
    every_text, every_label = read_snippets(path, unseen=True)
    scored = set(labels)
    unseen = [(t, lab) for t, lab in zip(every_text, every_label, strict=True) if lab not in scored]
    seen = set(texts)
    own: list[tuple[str, str]] = []
    for extra in extra_files or []:
        for text, label in zip(*read_snippets(extra), strict=True):
            if text.strip() not in seen:
                seen.add(text.strip())
                own.append((text.strip(), label))
    return (texts, labels), _columns(unseen), _columns(own)


def _columns(pairs: list[tuple[str, str]]) -> Snippets:
    return [t for t, _ in pairs], [lab for _, lab in pairs]


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


def cross_validated(texts: list[str], labels: list[str], folds: int = FOLDS,
                    extra: tuple[list[str], list[str]] = ([], [])) -> list[str]:
    """Out-of-fold predictions; `extra` snippets (the unseen types) join every training fold and
    are never scored. A prediction outside the ACLED subtypes counts as "Other"."""
    from furat.events.acled import subtypes

    classes, scores = cross_validated_scores(texts, labels, folds, extra)
    return [c if c in subtypes() else "Other" for c in (classes[int(k)] for k in scores.argmax(axis=1))]


def cross_validated_scores(texts: list[str], labels: list[str], folds: int = FOLDS,
                           extra: tuple[list[str], list[str]] = ([], [])) -> tuple[list[str], np.ndarray]:
    """The SVM's out-of-fold decision values [texts, classes] and its classes (the same in every
    fold: `extra` holds every class the folds may miss, else a missing one scores -inf)."""
    from sklearn.model_selection import StratifiedKFold

    from furat.events.acled import features, fit

    classes = sorted(set(labels) | set(extra[1]))
    scores = np.full((len(texts), len(classes)), -np.inf, dtype=np.float32)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, labels):
        model = fit([texts[i] for i in train] + extra[0], [labels[i] for i in train] + extra[1])
        decision = model["svc"].decision_function(features(model, [texts[i] for i in test]))
        for j, c in enumerate(model["svc"].classes_):
            scores[test, classes.index(str(c))] = decision[:, j]
    return classes, scores


def evaluate(path: Path, extra_files: list[Path] | None = None) -> EvalResult:
    """Cross-validation of the SVM recipe on `path`; `extra_files` (annotations/acled/*.tsv) join
    every training fold, never scored, as the shipped model trains on them."""
    (texts, labels), unseen, own = training_sets(path, extra_files)
    extra = (unseen[0] + own[0], unseen[1] + own[1])
    rows = []
    lexicon = _scores(labels, lexicon_only(texts))
    rows.append({"approach": "trigger lexicon only (no training)", **lexicon})
    shipped = _scores(labels, cross_validated(texts, labels, extra=extra))
    with_own = f" + {len(own[0])} project snippets" if own[0] else ""
    rows.append({"approach": f"TF-IDF + lexicon votes + cues + USE, linear SVM{with_own} ({FOLDS}-fold CV)",
                 **shipped})
    summary = {"snippets": len(texts), "subtypes": len(set(labels)), "folds": FOLDS,
               "extra_snippets": len(own[0]), **shipped, "lexicon_only": lexicon}
    return EvalResult(title=f"ACLED sub-event types, CASE-2021 task 2 ({len(texts)} snippets)",
                      rows=rows, summary=summary)


def evaluate_shipped(path: Path, model: str = "shipped", head: str | None = None) -> EvalResult:
    """A shipped classifier on `path` as it is, no retraining: the figure for a held-out test file
    such as ../shared/benchmarks'. `model` "shipped" is the SVM (furat/data, `scripts/train_acled.py`),
    "encoder" the fine-tuned encoder's head (`furat.events.acled_encoder`; `head` names another .npz),
    "blend" both together (the weights of `scripts/acled_blend.py`).
    A prediction outside the ACLED subtypes (an "unseen" type code) counts as "Other"."""
    from furat.events.acled import classify, subtypes

    texts, labels = read_snippets(path)
    if model == "encoder":
        from furat.events.acled_encoder import HEAD, load

        pred = load(head or HEAD).classify(texts)
        name = f"encoder head {head or HEAD}, as shipped (no retraining)"
    elif model == "blend":
        from furat.events.acled_encoder import classify_blend

        pred = classify_blend(texts)
        name = "SVM + encoder head blend, as shipped (no retraining)"
    else:
        pred = classify(texts)
        name = "shipped classifier, as shipped (no retraining)"
    if pred is None:
        raise RuntimeError("no shipped ACLED model (scripts/train_acled.py builds it)")
    pred = [p if p in subtypes() else "Other" for p in pred]
    shipped = _scores(labels, pred)
    lexicon = _scores(labels, lexicon_only(texts))
    rows = [{"approach": "trigger lexicon only (no training)", **lexicon},
            {"approach": name, **shipped}]
    summary = {"snippets": len(texts), "subtypes": len(set(labels)), "model": model, **shipped,
               "lexicon_only": lexicon}
    return EvalResult(title=f"ACLED sub-event types, {model} model ({len(texts)} snippets)",
                      rows=rows, summary=summary)
