"""Persuasion cues of a document, as scores, never verdicts: for each French or English paragraph
the probability of each SemEval-2023 persuasion technique, and for an English document a
credibility score learnt from FA-KES. A language without a model (Arabic) gets nothing rather
than another language's guesses. Models: `scripts/train_persuasion.py`, `scripts/train_credibility.py`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import numpy as np

from furat.claims.persuasion.linear import LinearTextModel
from furat.model import Document, PersuasionCue, Span

MODEL_DIR = "data/claims/persuasion"
PARAGRAPH_MODELS = {"fr": "paragraphs_fr.npz", "en": "paragraphs_en.npz"}
CREDIBILITY_MODELS = {"en": "credibility_en.npz"}
MIN_WORDS = 3  # shorter lines (datelines, captions) carry no technique the models can see
_WORD = re.compile(r"\w+")


@cache
def load_model(name: str) -> LinearTextModel | None:
    """A shipped model by file name, or None when it has not been built."""
    path = resources.files("furat").joinpath(f"{MODEL_DIR}/{name}")
    if not path.is_file():
        return None
    with resources.as_file(path) as file:
        return LinearTextModel.load(file)


def paragraph_model(language: str) -> LinearTextModel | None:
    name = PARAGRAPH_MODELS.get(language)
    return load_model(name) if name else None


def technique_scores(language: str, texts: list[str]) -> tuple[list[str], np.ndarray] | None:
    """(technique names, one row of probabilities per text), or None without a model."""
    model = paragraph_model(language)
    if model is None:
        return None
    return model.labels, model.scores(texts) if texts else np.zeros((0, len(model.labels)))


def credibility_scores(language: str, texts: list[str]) -> np.ndarray | None:
    """P(credible) per document text, or None without a model for the language."""
    name = CREDIBILITY_MODELS.get(language)
    model = load_model(name) if name else None
    return None if model is None else model.scores(texts)[:, 0]


def units(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, language) of each non-empty line of each paragraph whose language is known:
    SemEval-2023 labels one line of an article at a time."""
    out = []
    for start, end, lang in doc.segments(default_lang=""):
        if not lang:
            continue
        pos = start
        for line in doc.text[start:end].split("\n"):
            stripped = line.strip()
            if len(_WORD.findall(stripped)) >= MIN_WORDS:
                s = pos + line.index(stripped)
                out.append((s, s + len(stripped), lang))
            pos += len(line) + 1
    return out


def score_document(doc: Document, floor: float = 0.1, credibility: bool = True) -> Document:
    """Fill `doc.persuasion` (paragraphs with a technique scored at or above `floor`, scores
    highest first) and `doc.credibility` (English documents, when `credibility`)."""
    cues: list[PersuasionCue] = []
    by_lang: dict[str, list[tuple[int, int]]] = {}
    for s, e, lang in units(doc):
        by_lang.setdefault(lang, []).append((s, e))
    for lang, spans in by_lang.items():
        scored = technique_scores(lang, [doc.text[s:e] for s, e in spans])
        if scored is None:
            continue
        labels, probs = scored
        for (s, e), row in zip(spans, probs, strict=True):
            order = np.argsort(-row)
            found = {labels[j]: round(float(row[j]), 3) for j in order if row[j] >= floor}
            if found:
                cues.append(PersuasionCue(text=doc.text[s:e], start=s, end=e, language=lang, scores=found))
    doc.persuasion = sorted(cues, key=lambda c: c.start)
    doc.credibility = None
    if credibility and doc.language:
        text = f"{doc.title}\n\n{doc.text}" if doc.title else doc.text
        scores = credibility_scores(doc.language, [text])
        if scores is not None:
            doc.credibility = round(float(scores[0]), 3)
    return doc


def cues_at(doc: Document, span: Span) -> dict[str, float]:
    """The technique scores of the scored paragraph(s) overlapping `span` (a claim's content, an
    event's evidence), highest score per technique: what to show beside a claim."""
    out: dict[str, float] = {}
    for cue in doc.persuasion:
        if cue.start < span.end and span.start < cue.end:
            for name, score in cue.scores.items():
                out[name] = max(score, out.get(name, 0.0))
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))
