"""The `time` stage: `Document.times`, each expression resolved against the publication date."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from furat.model import Document, TimeExpr
from furat.pipeline import stage
from furat.time.tagger import tag


def document_times(doc: Document, default_language: str = "en") -> list[TimeExpr]:
    """Time expressions of a document, each paragraph read with the rules of its language.

    Paragraphs are tagged on the whole text's offsets; without a publication date the anchor is
    inferred from the latest absolute date met so far, across paragraphs.
    """
    lang = doc.language or default_language
    spans = [(p.start, p.end, p.language or lang) for p in doc.paragraphs] or [(0, len(doc.text), lang)]
    if doc.published:
        out: list[TimeExpr] = []
        told: str | None = None  # the day last spoken of, for "the same day" in a later paragraph
        for start, end, plang in spans:
            for t in tag(doc.text[start:end], plang, doc.published, last_day=told):
                out.append(t.model_copy(update={"start": t.start + start, "end": t.end + start}))
                if t.type == "DATE" and t.precision == "day" and t.value:
                    told = t.value[:10]
        return out
    # No publication date: the anchor inferred in a paragraph carries over to the next ones.
    out = []
    anchor: str | None = None
    for start, end, plang in spans:
        for t in tag(doc.text[start:end], plang, anchor, anchor_inferred=True):
            out.append(t.model_copy(update={"start": t.start + start, "end": t.end + start}))
            if t.anchor is None and t.precision == "day" and t.value and (anchor is None or t.value > anchor):
                anchor = t.value[:10]
    return out


@stage("time")
def make_time_stage(config: dict[str, Any]):
    default_language = str(config.get("default_language", "en"))

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            doc.times = document_times(doc, default_language)
            yield doc

    return run
