"""A nationality adjective on an act names its doer: "une frappe aérienne israélienne", "Turkish
drone strikes", "غارة إسرائيلية", "قصف تركي" are Israel's and Turkey's acts.

The adjective alone is no actor mention (the actors stage needs demonym + agent, "forces russes");
the events stage asks here when the act's own phrase carries one. The demonym tables are the
actors KB's, per language (`furat/data/actors/<lang>.toml`, `[demonyms]`).
"""

from __future__ import annotations

from furat.actors.normalize import phrase_key
from furat.actors.resolve import shared_resolver
from furat.model import Actor

CONFIDENCE = 0.6  # a country read off an adjective: the state, not a named force


def demonym_actor(text: str, start: int, end: int, lang: str) -> Actor | None:
    """The country whose demonym `text` (at [start, end) of the document) is, as an actor; None
    when it is no demonym of `lang`."""
    kb = shared_resolver().kb
    table = kb.tables.get(lang)
    iso = table.demonyms.get(phrase_key(text)) if table is not None else None
    if iso is None:
        return None
    record = kb.records[kb.role_record(iso, None)]
    return Actor(text=text, start=start, end=end, name=record.name, country=record.country,
                 sector=record.sector, confidence=CONFIDENCE)
