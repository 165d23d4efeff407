"""The `actors` stage: `Document.actors`, each mention resolved to a canonical actor.

Reads the paragraphs' languages (set by the `language` stage) to pick the per-language tables;
acronyms defined in a document and the antecedents of short forms carry across its paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from furat.actors.government import government_forces
from furat.actors.resolve import Resolver, shared_resolver
from furat.model import Actor, Document
from furat.pipeline import stage


def resolve_document(resolver: Resolver, doc: Document, default_lang: str = "fr",
                     min_confidence: float = 0.0) -> list[Actor]:
    """All actor mentions of `doc`, in text order (reused from the entities stage when it ran)."""
    actors: list[Actor] = []
    segments = doc.segments(default_lang)
    for m in resolver.find_document(doc.text, segments):
        if m.confidence < min_confidence:
            continue
        rec = resolver.kb.records[m.record]
        actors.append(Actor(text=doc.text[m.start : m.end], start=m.start, end=m.end, name=rec.name,
                            country=rec.country, sector=rec.sector, ucdp_id=rec.ucdp_id,
                            parent=rec.parent, confidence=round(m.confidence, 2)))
    actors += government_forces(doc, resolver.kb.records, segments, actors)
    return sorted(actors, key=lambda a: a.start)


@stage("actors")
def make_actors_stage(config: dict[str, Any]):
    resolver = shared_resolver(config.get("data_dir"))
    default_lang = str(config.get("default_language", "fr"))
    min_conf = float(config.get("min_confidence", 0.0))

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            doc.actors = resolve_document(resolver, doc, default_lang, min_conf)
            yield doc

    return run
