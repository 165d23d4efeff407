"""ACLED sub-event type of an English event sentence: a linear classifier trained on the
CASE-2021 task-2 snippets by `scripts/train_acled.py` (TF-IDF words and characters plus the
trigger lexicon's votes). It scored better than the lexicon alone on held-out snippets
(docs/QUALITY.md), so English events take its answer; French and Arabic keep the lexicon's.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack

from furat.model import Document, Paragraph

MODEL_FILE = "data/events/acled_svc.joblib"
LEXICON_WEIGHT = 0.5  # scale of the lexicon votes beside the TF-IDF features (chosen by CV)


@cache
def subtypes() -> dict[str, dict[str, str]]:
    """ACLED sub-event type → {"type": ACLED event type, "case": CASE-2021 code}."""
    text = resources.files("furat").joinpath("data/events/acled.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["subtypes"]


def votes_of(found_subtypes: list[str | None]) -> np.ndarray:
    """One weight per ACLED subtype (in `subtypes()` order) from the subtypes the lexicon's
    triggers gave, in text order: earlier ones weigh more."""
    names = list(subtypes())
    votes = np.zeros(len(names))
    for rank, subtype in enumerate(found_subtypes):
        if subtype in subtypes():
            votes[names.index(subtype)] += 1.0 / (1 + rank)
    return votes


def lexicon_votes(text: str, language: str = "en") -> np.ndarray:
    """`votes_of` the lexicon's events in `text`."""
    from furat.events.extract import extract_events  # late: extract imports this module

    doc = Document(id="-", source="-", raw_sha256="-", text=text, language=language,
                   paragraphs=[Paragraph(start=0, end=len(text), language=language)])
    return votes_of([e.acled_subtype for e in extract_events(doc, classify=False)])


def fit(texts: list[str], labels: list[str]) -> dict[str, Any]:
    """Fit the recipe: word 1-2-gram and character 2-5-gram TF-IDF, lexicon votes, linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    model: dict[str, Any] = {
        "words": TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32),
        "chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                                 dtype=np.float32),
    }
    model["words"].fit(texts)
    model["chars"].fit(texts)
    model["svc"] = LinearSVC(C=0.5).fit(features(model, texts), labels)
    return model


def features(model: dict[str, Any], texts: list[str], votes: np.ndarray | None = None):
    """The classifier's input; `votes` (one row per text) when the lexicon has already run."""
    if votes is None:
        votes = np.array([lexicon_votes(t) for t in texts])
    votes = votes * LEXICON_WEIGHT
    words, chars = model["words"].transform(texts), model["chars"].transform(texts)
    return hstack([words, chars, csr_matrix(votes)]).tocsr()


@cache
def load_model() -> dict[str, Any] | None:
    """The trained classifier, or None when it has not been built (`scripts/train_acled.py`)."""
    import joblib

    path = resources.files("furat").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    with resources.as_file(path) as file:
        return joblib.load(file)


def classify(texts: list[str], votes: np.ndarray | None = None) -> list[str] | None:
    """ACLED sub-event types for English texts, or None without a model."""
    model = load_model()
    if model is None or not texts:
        return None
    return [str(label) for label in model["svc"].predict(features(model, texts, votes))]
