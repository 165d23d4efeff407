"""The `persuasion` stage: `Document.persuasion` and `Document.credibility` (scores, never
verdicts). Its own stage, so that it can be left out of a run (`[persuasion]` in defaults.toml)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from furat.claims.persuasion.score import PARAGRAPH_MODELS, paragraph_model, score_document
from furat.model import Document
from furat.pipeline import stage


@stage("persuasion")
def make_persuasion_stage(config: dict[str, Any]):
    for language in PARAGRAPH_MODELS:
        paragraph_model(language)  # load once, up front
    floor = float(config.get("floor", 0.1))
    credibility = bool(config.get("credibility", False))

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield score_document(doc, floor=floor, credibility=credibility)

    return run
