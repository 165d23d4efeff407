"""`furat eval propaganda | persuasion | fakes`: the persuasion models on held-out data, each beside
its shared task's official baseline and best published system (docs/QUALITY.md).

- propaganda: SemEval-2020 task 11 (PTC, English) on furat's held-out fifth of the training
  articles (the task's dev/test labels are not public): TC micro-F1 (technique of a gold span) and
  SI span F1 (the task's partial-overlap measure), spans predicted sentence by sentence.
- persuasion: SemEval-2023 task 3 subtask 3 on the dev split (test labels are not public): micro-F1
  over (paragraph, technique) pairs, the task's ranking metric, and macro-F1.
- fakes: FA-KES credibility (1 credible / 0 fake): accuracy, F1, ROC AUC beside the majority class.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from furat.claims.persuasion.data import ptc_split, read_fakes, read_ptc, read_semeval2023, sentences
from furat.claims.persuasion.metrics import multilabel_counts, span_prf
from furat.claims.persuasion.ptc import tc_inputs
from furat.claims.persuasion.score import credibility_scores, load_model, paragraph_model
from furat.eval.common import EvalResult, prf

# Official figures on the tasks' test sets (the task overview papers), for the table and docs.
PUBLISHED = {
    "tc": {"baseline": 0.25196, "best": 0.62067, "best_system": "ApplicaAI"},
    "si": {"baseline": 0.00345, "best": 0.51552, "best_system": "Hitachi"},
}


def _missing(name: str) -> RuntimeError:
    return RuntimeError(f"no model {name}: run scripts/train_persuasion.py or train_credibility.py")


def evaluate_propaganda(path: Path) -> EvalResult:
    """TC and SI on the held-out PTC articles."""
    _, heldout = ptc_split(read_ptc(path))
    tc, si = load_model("ptc_tc_en.npz"), load_model("ptc_si_en.npz")
    if tc is None or si is None:
        raise _missing("ptc_tc_en.npz / ptc_si_en.npz")
    items = [(a.text, s, e) for a in heldout for _, s, e in a.spans]
    gold = [t for a in heldout for t, _, _ in a.spans]
    inputs, dense = tc_inputs(items)
    pred = [tc.labels[j] for j in np.argmax(tc.scores(inputs, dense), axis=1)]
    rows = []
    for technique in sorted(set(gold) | set(pred)):
        tp = sum(g == p == technique for g, p in zip(gold, pred, strict=True))
        p, r, f = prf(tp, pred.count(technique) - tp, gold.count(technique) - tp)
        rows.append({"task": "TC", "technique": technique, "gold": gold.count(technique),
                     "P": p, "R": r, "F1": f})
    tc_f1 = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0
    threshold = float(si.meta.get("threshold", 0.5))
    spans_pred: dict[str, list[tuple[int, int]]] = {}
    for a in heldout:
        sents = sentences(a.text)
        if not sents:
            continue
        probs = si.scores([a.text[s:e] for s, e in sents])[:, 0]
        spans_pred[a.id] = [se for se, p in zip(sents, probs, strict=True) if p >= threshold]
    si_p, si_r, si_f = span_prf(spans_pred, {a.id: [(s, e) for _, s, e in a.spans] for a in heldout})
    rows.append({"task": "SI", "technique": "(any span)", "gold": sum(len(a.spans) for a in heldout),
                 "P": si_p, "R": si_r, "F1": si_f})
    summary = {
        "eval": "propaganda", "corpus": "SemEval-2020 task 11 PTC", "split": "furat held-out fifth of train",
        "articles": len(heldout), "spans": len(gold),
        "tc_micro_f1": round(tc_f1, 4), "si_precision": round(si_p, 4), "si_recall": round(si_r, 4),
        "si_f1": round(si_f, 4),
        "published_test": PUBLISHED,
    }
    return EvalResult("SemEval-2020 task 11 (held-out PTC articles)", rows, summary)


PUBLISHED_2023 = {  # subtask 3 test micro-F1 (task leaderboard, Piskorski et al., SemEval 2023;
    # recalled, not re-checked offline: see docs/QUALITY.md)
    "en": {"baseline": 0.19517, "best": 0.37562},
    "fr": {"baseline": 0.24679, "best": 0.46859},
}


def evaluate_persuasion(path: Path, lang: str, split: str = "dev") -> EvalResult:
    """Subtask 3 on the `split` paragraphs of `lang`, at the model's own threshold."""
    model = paragraph_model(lang)
    if model is None:
        raise _missing(f"paragraphs_{lang}.npz")
    paras = read_semeval2023(path, lang, split)
    threshold = float(model.meta.get("threshold", 0.5))
    probs = model.scores([p.text for p in paras])
    pred = [[model.labels[j] for j in np.flatnonzero(row >= threshold)] for row in probs]
    gold = [p.labels for p in paras]
    counts = multilabel_counts(gold, pred, model.labels)
    rows, f1s = [], []
    for label in model.labels:
        tp, fp, fn = counts[label]
        p, r, f = prf(tp, fp, fn)
        if tp + fn:
            f1s.append(f)
        rows.append({"technique": label, "gold": tp + fn, "predicted": tp + fp, "P": p, "R": r, "F1": f})
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    p, r, f = prf(tp, fp, fn)
    summary = {
        "eval": "persuasion", "corpus": "SemEval-2023 task 3 subtask 3", "lang": lang, "split": split,
        "paragraphs": len(paras), "articles": len({x.article for x in paras}), "threshold": threshold,
        "micro_precision": round(p, 4), "micro_recall": round(r, 4), "micro_f1": round(f, 4),
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "cv_micro_f1_train": model.meta.get("cv_micro_f1"),
        "published_test": PUBLISHED_2023.get(lang),
    }
    return EvalResult(f"SemEval-2023 subtask 3, {lang} {split}", rows, summary)


def evaluate_fakes(path: Path, train: Path | None = None) -> EvalResult:
    """The English credibility model on FA-KES articles (the benchmark's test split); with `train`
    (the training data), test articles whose text is also there are left out (and counted)."""
    texts, labels, _ = read_fakes(path)
    seen = set(read_fakes(train)[0]) if train is not None else set()
    kept = [i for i, text in enumerate(texts) if text not in seen]
    overlap = len(texts) - len(kept)
    texts, labels = [texts[i] for i in kept], [labels[i] for i in kept]
    scores = credibility_scores("en", texts)
    if scores is None:
        raise _missing("credibility_en.npz")
    from sklearn.metrics import roc_auc_score

    y = np.array(labels)
    pred = (scores >= 0.5).astype(int)
    rows = []
    f1s = []
    for cls, name in ((1, "credible"), (0, "fake")):
        tp = int(((pred == cls) & (y == cls)).sum())
        p, r, f = prf(tp, int((pred == cls).sum()) - tp, int((y == cls).sum()) - tp)
        f1s.append(f)
        rows.append({"class": name, "gold": int((y == cls).sum()), "predicted": int((pred == cls).sum()),
                     "P": p, "R": r, "F1": f})
    majority = max(y.mean(), 1 - y.mean())
    summary = {
        "eval": "fakes", "corpus": "FA-KES", "articles": len(y),
        "accuracy": round(float((pred == y).mean()), 4), "f1_credible": round(f1s[0], 4),
        "macro_f1": round(sum(f1s) / 2, 4), "auc": round(float(roc_auc_score(y, scores)), 4),
        "majority_accuracy": round(float(majority), 4), "left_out_also_in_train": overlap,
    }
    return EvalResult("FA-KES credibility", rows, summary)
