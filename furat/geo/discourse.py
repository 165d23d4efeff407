"""One sense per discourse: a place name keeps one reading throughout a document.

A news story names its town again and again; the NER sees it once in three ("liberated Mayadeen"
untagged, "Victory in Mayadeen" tagged), and context may resolve two tellings of "Raqqa" to two
gazetteer entries, so that two reports of one bombing look like two places. Gale, Church and
Yarowsky's observation (1992) that a word keeps one sense within a discourse holds well for
toponyms: every occurrence of a confidently resolved name takes its best reading of its class
(a town, an area: a cue word may tell a province from its town), and
occurrences the recogniser missed are added. A name that the entity stage found in furat's armed
group or weapon lexicons ("IS") is not a place there. Written here
because no library does document-level toponym consistency.
"""

from __future__ import annotations

import re

from furat.model import Place

# Entity labels that say a span names who, not where: those of furat's own lexicons (the actor KB's
# armed groups, weapons). The statistical NER's ORG/PER are too often wrong on towns ("Khasham"
# ORG, "Baghoz" PER in the small English model) to overrule the gazetteer.
NOT_PLACES = frozenset({"ARMED_GROUP", "WEAPON"})
# What the statistical NER calls a town it names confidently elsewhere in the document
MISTAKEN_LABELS = frozenset({"ORG", "PER", "PERSON", "NORP", "MISC"})
# Below this a reading is not trusted enough to spread; shorter names ("US", "IS") are too ambiguous.
MIN_CONFIDENCE = 0.6
MIN_CHARS = 4


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole name: not inside a longer word or hyphenated name
    ("Mayadeen" in "Al-Mayadeen" is the channel, not the town)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-‐'’_" or after.isalnum() or after in "-‐_")


def _kind(p: Place) -> str:
    """A reading's class: a cue may tell a province from its town ("ريف دير الزور", "مدينة دير
    الزور"), so only readings of one class are made one; a town's own admin-3 unit is a town."""
    feature = p.feature or ""
    if feature.startswith(("PCL", "ADM1", "ADM2")):
        return "area"
    if feature.startswith(("PPL", "ADM3", "LOC")):
        return "town"
    return feature


def _copy(place: Place, start: int, end: int, text: str) -> Place:
    return place.model_copy(update={"start": start, "end": end, "text": text})


def consistent_places(text: str, places: list[Place], entities: list[tuple[int, int, str]]) -> list[Place]:
    """`places` with the document's one reading per name, unseen occurrences added, and names the
    entity stage tagged as actors dropped; in text order."""
    not_places = [(s, e) for s, e, label in entities if label in NOT_PLACES]

    def named_actor(p: Place) -> bool:
        return any(s <= p.start and p.end <= e for s, e in not_places)

    kept = [p for p in places if not named_actor(p)]
    best: dict[tuple[str, str], Place] = {}
    for p in kept:
        key = (p.text, _kind(p))
        if p.lat is not None and (key not in best or p.confidence > best[key].confidence):
            best[key] = p
    out = [
        _copy(best[(p.text, _kind(p))], p.start, p.end, p.text) if p.lat is not None else p
        for p in kept
    ]
    taken = [(p.start, p.end) for p in places]
    # the statistical NER's label on exactly the name ("retake Rawa and Qaim": ORG, PER) does not
    # stand against the document's own reading of it; a longer entity ("Raqqa Post") or one of
    # furat's lexicons does
    tagged = [(s, e) for s, e, label in entities if label not in MISTAKEN_LABELS]
    mistaken = {(s, e) for s, e, label in entities if label in MISTAKEN_LABELS}
    for (name, _), p in best.items():
        if len(name) < MIN_CHARS or p.confidence < MIN_CONFIDENCE or name.isupper():
            continue  # "AMMAN —" is a dateline in capitals; the text names it otherwise
        for m in re.finditer(re.escape(name), text):
            s, e = m.span()
            inside = [(a, b) for a, b in mistaken if a < e and s < b and (a, b) != (s, e)]
            if _bounded(text, s, e) and not any(a < e and s < b for a, b in taken + tagged + inside):
                out.append(_copy(p, s, e, name))
                taken.append((s, e))
    return sorted(out, key=lambda p: p.start)
