"""Government forces named without their state: the forces of the country the story is in.

"Les forces gouvernementales", "government troops", "قوات النظام" name no country: the KB cannot
resolve them alone, and leaving them out lets the events stage take the next actor of the sentence
as the doer. The story's country is the one most of the document's resolved places lie in (the geo
stage runs first); the phrases and each country's forces are data
(`furat/data/actors/government_forces.toml`).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import cache
from importlib import resources

from furat.actors.kb import Record
from furat.model import Actor, Document

CONFIDENCE = 0.6


@cache
def _table() -> tuple[dict[str, re.Pattern[str]], dict[str, str]]:
    path = resources.files("furat").joinpath("data/actors/government_forces.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    def pattern(lang: str, words: list[str]) -> re.Pattern[str]:
        # an Arabic word may carry a one-letter clitic ("وقوات النظام", "لقوات النظام"), left outside
        before = r"(?:(?<!\w)|(?<=(?<!\w)[وفبل]))" if lang == "ar" else r"(?<!\w)"
        alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
        return re.compile(before + "(?:" + alternatives + r")(?!\w)", re.IGNORECASE)

    phrases = {lang: pattern(lang, ws) for lang, ws in data["phrases"].items()}
    return phrases, dict(data["forces"])


def story_country(doc: Document) -> str | None:
    """The country most of the document's resolved places are in (a strict majority of them)."""
    codes = Counter(p.country_code for p in doc.places if p.country_code and p.lat is not None)
    if not codes:
        return None
    code, n = codes.most_common(1)[0]
    return code if n * 2 > sum(codes.values()) else None


def government_forces(doc: Document, records: list[Record], segments: list[tuple[int, int, str]],
                      taken: list[Actor]) -> list[Actor]:
    """Mentions of unnamed government forces in `doc`, resolved to the story country's forces
    (none when that country is unknown or has none listed), outside the spans of `taken`."""
    phrases, forces = _table()
    name = forces.get(story_country(doc) or "")
    record = next((r for r in records if r.name == name), None) if name else None
    if record is None:
        return []
    out = []
    for start, end, lang in segments:
        pattern = phrases.get(lang)
        if pattern is None:
            continue
        for m in pattern.finditer(doc.text, start, end):
            if any(a.start < m.end() and m.start() < a.end for a in taken):
                continue
            out.append(Actor(text=m.group(), start=m.start(), end=m.end(), name=record.name,
                             country=record.country, sector=record.sector, ucdp_id=record.ucdp_id,
                             parent=record.parent, confidence=CONFIDENCE))
    return out
