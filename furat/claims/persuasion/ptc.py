"""Inputs of the SemEval-2020 technique classifier for a span: the span, its sentence, and a few
numbers the words cannot carry (how often the span recurs in the article, for Repetition; its
length, for Slogans and Loaded Language, which are short)."""

from __future__ import annotations

import numpy as np


def _sentence(text: str, start: int, end: int) -> str:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return text[left:right if right >= 0 else len(text)]


def tc_inputs(items: list[tuple[str, int, int]]) -> tuple[dict[str, list[str]], np.ndarray]:
    """For each (article text, start, end): the texts by source ("span", "context") and the dense
    columns (log recurrences, log characters, log words, in the title)."""
    spans, contexts, dense = [], [], []
    for text, start, end in items:
        span = text[start:end]
        low = span.lower().strip()
        recurs = text.lower().count(low) if low else 0
        spans.append(span)
        contexts.append(_sentence(text, start, end))
        dense.append([np.log1p(recurs), np.log1p(len(span)) / 3, np.log1p(len(span.split())) / 2,
                      1.0 if text.find("\n") > start or text.find("\n") < 0 else 0.0])
    return {"span": spans, "context": contexts}, np.array(dense, dtype=np.float32)
