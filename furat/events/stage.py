"""The `events` stage: `Document.events` from triggers, actors, places and times."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from furat.events.extract import extract_events
from furat.events.lexicon import lexicon
from furat.model import Document
from furat.pipeline import stage


@stage("events")
def make_events_stage(config: dict[str, Any]):
    for language in config.get("languages", ["en", "fr", "ar"]):
        lexicon(language)  # compile the rules once, up front

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            doc.events = extract_events(doc)
            yield doc

    return run
