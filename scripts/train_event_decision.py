"""Train the event-decision classifier (`furat.events.classify`) and ship it as JSON.

Usage: python scripts/train_event_decision.py

Data: the hand-annotated candidate triggers of `annotations/event_decisions/{en,fr,ar}.jsonl`
(one row per candidate: sentence, trigger, trigger_start, label "event" or a trap label or
not_trigger, source document; how they were chosen and labelled is told in NOTES_<lang>.md there).
Each sentence goes through the current events stage (`candidate_decisions` on a one-paragraph
Document); the candidate whose trigger overlaps the annotated one gives the rules' Decision
(its features and its label) and the window of words around the trigger (`window_text`). Rows
whose trigger the current lexicon no longer proposes are skipped and counted.

Target: label == "event". Features (`feature_values`): the Decision's features one-hot, the rules'
verdict, word unigrams and char_wb 3-5-grams of the window, prefixed by the language. A logistic
regression, one joint model for the three languages unless per-language models are clearly
better. C (and the weight of the character n-grams) are chosen by 5-fold cross-validation grouped
by source document; the printed table compares the rules alone with the classifier in a nested
cross-validation (the setting chosen inside each outer training part only). The final model is fit
on all rows and written to furat/data/events/decision_model.json (no pickle), then checked
against `event_probability`. Runs offline in under two minutes.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from furat.events import classify  # noqa: E402
from furat.events.classify import (  # noqa: E402
    FORMAT,
    MODEL_FILE,
    WORDS_AFTER,
    WORDS_BEFORE,
    char_wb_ngrams,
    event_probability,
    feature_values,
    window_text,
)
from furat.events.decide import EVENT  # noqa: E402
from furat.events.extract import candidate_decisions  # noqa: E402
from furat.model import Document, Paragraph  # noqa: E402

LANGUAGES = ("en", "fr", "ar")
DATA = ROOT / "annotations" / "event_decisions"
FOLDS = 5
SEED = 0
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
CHAR_WEIGHTS = (0.5, 1.0)
MODES = ("joint", "per_language")
PER_LANGUAGE_MARGIN = 0.01  # per-language models only when their CV accuracy is this much better
MIN_DF = 2
BASE_SETTINGS = {"window": [WORDS_BEFORE, WORDS_AFTER], "char_ngrams": [3, 5], "word_weight": 1.0,
                 "cue_weight": 1.0, "shared_cues": True, "min_df": MIN_DF, "languages": list(LANGUAGES)}


@dataclass(frozen=True)
class Example:
    language: str
    features: tuple[str, ...]
    rule_event: bool
    window: str
    y: bool
    group: str


def load(language: str) -> tuple[list[Example], list[dict]]:
    """The annotated rows of `language` as examples, and the rows skipped (no current candidate)."""
    rows = [json.loads(line) for line in (DATA / f"{language}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    decided: dict[str, list] = {}
    examples, skipped = [], []
    for row in rows:
        text = row["sentence"]
        if text not in decided:
            doc = Document(id="x", source="train", raw_sha256="", text=text, language=language,
                           paragraphs=[Paragraph(start=0, end=len(text), language=language)])
            decided[text] = candidate_decisions(doc)
        a, b = row["trigger_start"], row["trigger_start"] + len(row["trigger"])
        overlapping = [(c, d) for c, d, _ in decided[text] if c.start < b and c.end > a]
        if not overlapping:
            skipped.append(row)
            continue
        c, d = max(overlapping, key=lambda cd: min(b, cd[0].end) - max(a, cd[0].start))
        examples.append(Example(language, tuple(d.features), d.label == EVENT,
                                window_text(c.norm.text, c.match.start, c.match.end),
                                row["label"] == EVENT, f"{language}:{row['source']}"))
    return examples, skipped


def check_char_ngrams(examples: list[Example]) -> None:
    """classify.char_wb_ngrams is scikit-learn's char_wb analyzer."""
    lo, hi = BASE_SETTINGS["char_ngrams"]
    sk = CountVectorizer(analyzer="char_wb", ngram_range=(lo, hi), lowercase=False).build_analyzer()
    for e in examples:
        assert char_wb_ngrams(e.window, lo, hi) == sk(e.window), e.window


def settings_for(char_weight: float, C: float = 1.0, mode: str = "joint") -> dict:
    return {**BASE_SETTINGS, "char_weight": char_weight, "C": C, "mode": mode}


def all_values(examples: list[Example], char_weight: float) -> list[dict[str, float]]:
    s = settings_for(char_weight)
    return [feature_values(e.language, list(e.features), e.rule_event, e.window, s) for e in examples]


def int32(X: csr_matrix) -> csr_matrix:
    """`X` with 32-bit indices (liblinear takes no others)."""
    X = csr_matrix(X)
    X.indices, X.indptr = X.indices.astype(np.int32), X.indptr.astype(np.int32)
    return X


def vectorise(values: list[dict[str, float]], train: np.ndarray) -> tuple[DictVectorizer, csr_matrix]:
    """The rows `train` as a matrix of the features seen in at least MIN_DF of them."""
    df = Counter(k for i in train for k in values[i])
    vec = DictVectorizer()
    X = vec.fit_transform([{k: v for k, v in values[i].items() if df[k] >= MIN_DF} for i in train])
    return vec, int32(X)


def logistic(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=1000)


def fit_predict(values: list[dict[str, float]], y: np.ndarray, langs: np.ndarray, train: np.ndarray,
                test: np.ndarray, mode: str, Cs: tuple[float, ...]) -> dict[float, np.ndarray]:
    """P(event) of the rows `test` for each C, trained on the rows `train` (one model, or one per
    language)."""
    parts = [(train, test)] if mode == "joint" else \
        [(train[langs[train] == lang], test[langs[test] == lang]) for lang in LANGUAGES]
    out = {C: np.zeros(len(y)) for C in Cs}
    for tr, te in parts:
        if len(te) == 0:
            continue
        vec, X = vectorise(values, tr)
        Xt = int32(vec.transform([values[i] for i in te]))
        for C in Cs:
            out[C][te] = logistic(C).fit(X, y[tr]).predict_proba(Xt)[:, 1]
    return {C: p[test] for C, p in out.items()}


def folds(y: np.ndarray, langs: np.ndarray, groups: np.ndarray, idx: np.ndarray
          ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified (language x label) folds of the rows `idx`, grouped by source document."""
    strat = np.char.add(langs[idx], y[idx].astype(str))
    split = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED).split(idx, strat, groups[idx])
    return [(idx[tr], idx[te]) for tr, te in split]


def select(values_by_w: dict[float, list], y: np.ndarray, langs: np.ndarray, groups: np.ndarray,
           idx: np.ndarray) -> tuple[dict, dict]:
    """The setting with the best CV accuracy on the rows `idx` (joint unless per-language is
    PER_LANGUAGE_MARGIN better), and the CV accuracy of every setting."""
    scores: dict[tuple[str, float, float], float] = {}
    splits = folds(y, langs, groups, idx)
    for w, values in values_by_w.items():
        for mode in MODES:
            pred = {C: np.zeros(len(y), bool) for C in C_GRID}
            for tr, te in splits:
                for C, p in fit_predict(values, y, langs, tr, te, mode, C_GRID).items():
                    pred[C][te] = p >= 0.5
            for C in C_GRID:
                scores[(mode, w, C)] = accuracy_score(y[idx], pred[C][idx])
    # best accuracy, then the smaller C (the stronger prior) on a tie
    best = {mode: max((k for k in scores if k[0] == mode), key=lambda k: (scores[k], -k[2]))
            for mode in MODES}
    gain = scores[best["per_language"]] - scores[best["joint"]]
    mode, w, C = best["per_language"] if gain >= PER_LANGUAGE_MARGIN else best["joint"]
    return settings_for(w, C, mode), scores


def metrics(y: np.ndarray, pred: np.ndarray) -> tuple[int, float, float, float, float]:
    p, r, f, _ = precision_recall_fscore_support(y, pred, average="binary", zero_division=0)
    return len(y), accuracy_score(y, pred), p, r, f


def table(y: np.ndarray, langs: np.ndarray, rules: np.ndarray, model: np.ndarray) -> None:
    print(f"{'lang':<5} {'n':>4}  {'':<10} {'acc':>6} {'P(ev)':>6} {'R(ev)':>6} {'F1(ev)':>6}")
    for lang in (*LANGUAGES, "all"):
        m = np.ones(len(y), bool) if lang == "all" else langs == lang
        for name, pred in (("rules", rules), ("classifier", model)):
            n, acc, p, r, f = metrics(y[m], pred[m])
            print(f"{lang:<5} {n:>4}  {name:<10} {acc:6.3f} {p:6.3f} {r:6.3f} {f:6.3f}")


def main() -> None:
    examples: list[Example] = []
    for lang in LANGUAGES:
        got, skipped = load(lang)
        examples += got
        shown = ": " + ", ".join(repr(r["trigger"]) for r in skipped[:12]) if skipped else ""
        print(f"{lang}: {len(got)} candidates matched, {len(skipped)} rows skipped "
              f"(trigger no longer a candidate){shown}")
    check_char_ngrams(examples)
    y = np.array([e.y for e in examples])
    langs = np.array([e.language for e in examples])
    groups = np.array([e.group for e in examples])
    rules = np.array([e.rule_event for e in examples])
    values_by_w = {w: all_values(examples, w) for w in CHAR_WEIGHTS}
    everything = np.arange(len(examples))

    # nested CV: the setting is chosen on each outer training part alone
    nested = np.zeros(len(y), bool)
    for k, (tr, te) in enumerate(folds(y, langs, groups, everything)):
        s, _ = select(values_by_w, y, langs, groups, tr)
        proba = fit_predict(values_by_w[s["char_weight"]], y, langs, tr, te, s["mode"], (s["C"],))[s["C"]]
        nested[te] = proba >= 0.5
        print(f"outer fold {k + 1}: chose {s['mode']}, C={s['C']}, char_weight={s['char_weight']}")
    print(f"\n{FOLDS}-fold CV grouped by source document (classifier: nested, threshold 0.5)")
    table(y, langs, rules, nested)

    settings, scores = select(values_by_w, y, langs, groups, everything)
    print("\nCV accuracy by setting (all rows):")
    for mode in MODES:
        for w in CHAR_WEIGHTS:
            row = "  ".join(f"C={C:g}: {scores[(mode, w, C)]:.3f}" for C in C_GRID)
            print(f"  {mode:<12} char_weight={w:<4g} {row}")
    print(f"chosen: {settings['mode']}, C={settings['C']}, char_weight={settings['char_weight']}")

    values = values_by_w[settings["char_weight"]]
    keys = ["*"] if settings["mode"] == "joint" else list(LANGUAGES)
    models, fitted = {}, {}
    for key in keys:
        idx = everything if key == "*" else everything[langs == key]
        vec, X = vectorise(values, idx)
        lr = logistic(settings["C"]).fit(X, y[idx])
        lr.coef_ = np.array([[float(f"{c:.6g}") for c in lr.coef_[0]]])  # what the JSON holds
        lr.intercept_ = np.array([float(f"{lr.intercept_[0]:.6g}")])
        names = vec.get_feature_names_out()
        models[key] = {"features": [str(n) for n in names], "coef": lr.coef_[0].tolist(),
                       "intercept": float(lr.intercept_[0])}
        fitted[key] = (vec, lr, idx)
    out = ROOT / "furat" / MODEL_FILE
    data = {"format": FORMAT, "trained_on": f"annotations/event_decisions ({len(examples)} candidates)",
            "target": "label == event", "settings": settings, "models": models}
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")

    # the run-time code (pure Python + numpy) gives the sklearn model's probabilities
    classify.model.cache_clear()
    worst = 0.0
    for key, (vec, lr, idx) in fitted.items():
        sk = lr.predict_proba(int32(vec.transform([values[i] for i in idx])))[:, 1]
        for i, p in zip(idx, sk, strict=True):
            e = examples[i]
            q = event_probability(e.language, list(e.features), e.rule_event, e.window)
            assert q is not None and abs(q - p) < 1e-9, (key, e, p, q)
            worst = max(worst, abs(q - p))
    n_features = sum(len(m["features"]) for m in models.values())
    print(f"event_probability == sklearn predict_proba on all {len(examples)} rows (max diff {worst:.1e})")
    print(f"wrote {out.relative_to(ROOT)}: {n_features} features, {out.stat().st_size / 1024:.0f} KB "
          f"({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
