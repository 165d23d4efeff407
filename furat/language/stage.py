"""The `language` stage: `Document.language`, `languages` and each paragraph's language."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from furat.language.detect import paragraph_languages, preload
from furat.model import Document
from furat.pipeline import stage


@stage("language")
def make_language_stage(config: dict[str, Any]):
    candidates = tuple(config.get("candidates", ["fr", "en", "ar"]))
    min_letters = int(config.get("min_letters", 20))
    preload(candidates)

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            texts = [doc.text[p.start : p.end] for p in doc.paragraphs] or [doc.text]
            langs, shares = paragraph_languages(texts, candidates, min_letters)
            for paragraph, lang in zip(doc.paragraphs, langs, strict=False):
                paragraph.language = lang
            doc.languages = shares
            doc.language = max(shares, key=shares.__getitem__) if shares else None
            yield doc

    return run
