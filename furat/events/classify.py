"""Did it happen? The trained classifier that weighs a candidate trigger's cues.

The rules of `furat.events.decide` catch the clear cases ("will attack", "threatened to
strike", "did not shell"), but a trigger often carries several weak cues at once, or none the
rules know: a noun used as a topic, a relation ("US-backed"), a word that only looks like a
trigger. This logistic regression weighs those cues as learnt from hand-annotated sentences
(`annotations/event_decisions`, trained by `scripts/train_event_decision.py`): the rule's own
verdict and every feature of its `Decision`, plus the words and character 3-5-grams of a short
window around the trigger, each prefixed by the language so that the three languages share one
model without their words colliding.

The model ships as JSON (`furat/data/events/decision_model.json`: feature names, coefficients,
intercept and the feature settings), so it runs with plain Python and numpy. When the file is
absent `event_probability` returns None and the rules decide alone.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

MODEL_FILE = "data/events/decision_model.json"
FORMAT = 1
WORDS_BEFORE = 6  # words of the window before the trigger
WORDS_AFTER = 3  # and after it
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s\s+")


def window_text(norm_text: str, start: int, end: int) -> str:
    """The words around the trigger at [start, end) of the normalised sentence `norm_text`: up to
    WORDS_BEFORE words before it, the trigger's words (whole, when the match cuts a word, as an
    Arabic trigger may after a prefix) and up to WORDS_AFTER words after it, joined by spaces."""
    while start > 0 and not norm_text[start - 1].isspace():
        start -= 1
    while end < len(norm_text) and not norm_text[end].isspace():
        end += 1
    before = norm_text[:start].split()[-WORDS_BEFORE:] if WORDS_BEFORE else []
    trigger = norm_text[start:end].split()
    after = norm_text[end:].split()[:WORDS_AFTER] if WORDS_AFTER else []
    return " ".join([*before, *trigger, *after])


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space, exactly as scikit-learn's
    `CountVectorizer(analyzer="char_wb", lowercase=False)` makes them."""
    grams: list[str] = []
    for word in _SPACES.sub(" ", text).split():
        w = f" {word} "
        for n in range(min_n, max_n + 1):
            offset = 0
            grams.append(w[offset:offset + n])
            while offset + n < len(w):
                offset += 1
                grams.append(w[offset:offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


def feature_values(language: str, features: list[str], rule_event: bool, window: str,
                   settings: dict[str, Any]) -> dict[str, float]:
    """The classifier's input for one candidate: feature name → value (0 values left out).
    `settings` is the model's "settings" block (weights of each feature group, n-gram range)."""
    lang = language or "-"
    values: dict[str, float] = {}
    cue_w = float(settings["cue_weight"])
    for f in [*features, f"rule={'event' if rule_event else 'trap'}"]:
        values[f"{lang}|d={f}"] = cue_w
        if settings["shared_cues"]:  # the same cue across languages ("type=ASSAULT", "neg")
            values[f"d={f}"] = cue_w
    word_w = float(settings["word_weight"])
    if word_w:
        for w in _WORD.findall(window):
            values[f"{lang}|w={w}"] = word_w
    char_w = float(settings["char_weight"])
    if char_w:
        lo, hi = settings["char_ngrams"]
        for g in char_wb_ngrams(window, lo, hi):
            values[f"{lang}|c={g}"] = char_w
    return values


@cache
def model() -> dict[str, Any] | None:
    """The shipped model, loaded once: {"settings", "models": {language or "*": (weights by
    feature name, intercept)}}; None when the file is absent or of another format or window."""
    path = resources.files("furat").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    settings = data.get("settings", {})
    if data.get("format") != FORMAT or settings.get("window") != [WORDS_BEFORE, WORDS_AFTER]:
        return None
    models = {key: (dict(zip(m["features"], m["coef"], strict=True)), float(m["intercept"]))
              for key, m in data["models"].items()}
    return {"settings": settings, "models": models}


def event_probability(language: str, features: list[str], rule_event: bool, window: str) -> float | None:
    """Probability that the candidate is an event, from its `Decision.features`, the rules' verdict
    (`rule_event`: Decision.label == "event") and its `window_text`; None without a model for
    `language`."""
    m = model()
    if m is None:
        return None
    fitted = m["models"].get(language) or m["models"].get("*")
    if fitted is None or language not in m["settings"]["languages"]:
        return None
    weights, intercept = fitted
    values = feature_values(language, features, rule_event, window, m["settings"])
    known = [k for k in values if k in weights]
    coef = np.array([weights[k] for k in known], dtype=float)
    x = np.array([values[k] for k in known], dtype=float)
    score = intercept + float(coef @ x)
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    z = math.exp(score)  # the same, without overflow for a very negative score
    return z / (1.0 + z)
