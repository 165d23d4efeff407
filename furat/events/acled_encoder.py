"""ACLED sub-event type from furat's shared encoder (issue 16): low-rank adapters and a linear head
over the sentence vector, trained by `scripts/train_encoder_acled.py` on the CASE-2021 snippets
(+ project-annotated ones) → furat/data/encoder/acled_en.npz.

Why a second classifier beside the SVM of `furat.events.acled`: 500 snippets teach a bag of words
little about who acts and how much force (docs/QUALITY.md); a fine-tuned contextual encoder reads
that from the whole sentence, in any of e5's languages. Run time is onnxruntime + numpy: the
adapters are merged into their own int8 build of the encoder (furat.encoder.build, cached).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from furat.encoder import data_path
from furat.encoder.heads import log_softmax

HEAD = "acled_en"


class EncoderSubtypes:
    """The head of one .npz over the encoder built with that .npz's adapters."""

    def __init__(self, path: Path, encoder: Any = None) -> None:
        """`encoder`: a built `furat.encoder.Encoder` with these adapters (default: the process's)."""
        from furat.encoder.runtime import get_encoder

        with np.load(path) as z:
            self.weight = z["head.weight"].astype(np.float32)  # [classes, hidden]
            self.bias = z["head.bias"].astype(np.float32)
            self.labels = [str(x) for x in z["labels"]]
        self.encoder = encoder if encoder is not None else get_encoder(path)

    def logits(self, texts: list[str]) -> np.ndarray:
        """[texts, classes] scores of each label (`self.labels`)."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        vectors = np.stack([enc.vector for enc in self.encoder.encode(list(texts))])
        return vectors @ self.weight.T + self.bias

    def classify(self, texts: list[str]) -> list[str]:
        """The best label of each text: an ACLED subtype name or a CASE "unseen" type code."""
        return [self.labels[int(k)] for k in self.logits(texts).argmax(axis=1)]


@cache
def load(name: str = HEAD) -> EncoderSubtypes:
    """The shipped head (furat/data/encoder/`name`.npz) or the .npz file `name` (a candidate)."""
    path = Path(name) if name.endswith(".npz") else data_path(f"{name}.npz")
    if not path.exists():
        raise FileNotFoundError(f"encoder head {path} is missing (scripts/train_encoder_acled.py writes it)")
    return EncoderSubtypes(path)


BLEND_FILE = "data/events/acled_blend.json"


@cache
def blend_weights() -> dict[str, float | str]:
    """The weights of the blend (`scripts/acled_blend.py`, chosen by cross-validation)."""
    import json
    from importlib import resources

    return json.loads(resources.files("furat").joinpath(BLEND_FILE).read_text(encoding="utf-8"))


def blend(svm_classes: list[str], svm_scores: np.ndarray, head_labels: list[str], head_logits: np.ndarray,
          weights: dict[str, float | str]) -> list[str]:
    """The label of each row with the best weighted sum of the SVM's decision value and the head's
    log-probability (a label only one of them knows takes the other's lowest score)."""
    labels = sorted(set(svm_classes) | set(head_labels))
    total = np.zeros((len(svm_scores), len(labels)), dtype=np.float32)
    for names, scores, weight in ((svm_classes, svm_scores, float(weights["svm"])),
                                  (head_labels, log_softmax(head_logits), float(weights["encoder"]))):
        floor = scores.min(axis=1, keepdims=True)
        aligned = np.repeat(floor, len(labels), axis=1)
        for j, name in enumerate(names):
            aligned[:, labels.index(name)] = scores[:, j]
        total += weight * aligned
    return [labels[int(k)] for k in total.argmax(axis=1)]


def classify_blend(texts: list[str], votes: np.ndarray | None = None) -> list[str] | None:
    """ACLED subtypes (or CASE "unseen" codes) from the SVM and the encoder head together: on the
    CASE snippets by cross-validation each alone is under what both give (docs/QUALITY.md)."""
    from furat.events.acled import features, load_model

    model = load_model()
    if model is None or not texts:
        return None
    weights = blend_weights()
    svm_scores = model["svc"].decision_function(features(model, texts, votes))
    head = load(str(weights.get("head", HEAD)))
    classes = [str(c) for c in model["svc"].classes_]
    return blend(classes, svm_scores, head.labels, head.logits(texts), weights)
