"""Where an act took place: the place a sentence tells as where ("in", "à", "في"), not a place named
as who ("warned Iran"), as a reference point ("450 km east of Damascus"), as a reporter's location or
inside an operation's name; and the side of its place an act is told on ("شرق الفرات").

Split from `furat.events.extract` (which picks among these for each act) so that the reading of
places stays one small module; the per-language words are the lexicon's `[roles]`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from furat.events.lexicon import Lexicon
from furat.model import Document, Place
from furat.textnorm import normalise

if TYPE_CHECKING:
    from furat.events.extract import Sentence

PLACE_LOOKBACK_CHARS = 400


def told_as_where(doc: Document, sentence_start: int, p: Place, lex: Lexicon) -> bool:
    """Whether the sentence introduces `p` as where ("in", "à", "في"), not as who ("warned Iran")."""
    before = normalise(doc.text[max(sentence_start, p.start - 24):p.start]).text
    return lex.locative is not None and bool(lex.locative.search(before))


def pick_place(doc: Document, s: Sentence, at: int, lex: Lexicon,
                skip: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset()) -> Place | None:
    """The place governing the trigger: among the sentence's places that are not actors ("the US
    said") nor modifiers (`skip`: "US-backed"), those introduced as where ("in", "à", "في") and
    those finer than a country first; the first after the trigger, else the last before it, else
    the last one told just before the sentence (same paragraph)."""
    actor_spans = {(a.start, a.end) for a in doc.actors}

    def where(p: Place) -> bool:
        return told_as_where(doc, s.start, p, lex)

    inside = [p for p in doc.places if s.start <= p.start and p.end <= s.end and (p.start, p.end) not in skip
              and ((p.start, p.end) not in actor_spans or where(p))]
    resolved = [p for p in inside if p.lat is not None] or inside
    resolved = [p for p in resolved if where(p)] or resolved
    resolved = [p for p in resolved if not (p.feature or "").startswith("PCL")] or resolved
    after = [p for p in resolved if p.start >= at]
    before = [p for p in resolved if p.end <= at]
    if after or before:
        return after[0] if after else before[-1]
    named = [e for e in doc.entities
             if e.label in ("LOC", "GPE", "FAC") and s.start <= e.start and e.end <= s.end
             and not any(a < e.end and e.start < b for a, b in skip)]
    if named:  # a place the NER saw but the gazetteer could not resolve: keep its name, no point
        first = next((e for e in named if e.start >= at), named[-1])
        return Place(text=first.text, start=first.start, end=first.end, confidence=0.3)
    paragraph_start = next((p.start for p in doc.paragraphs if p.start <= s.start < p.end), s.start)
    window_start = max(paragraph_start, s.start - PLACE_LOOKBACK_CHARS)
    # a country or a capital told before names a side more often than where ("les forces turques …
    # Ankara a annoncé"): only a finer place is carried over
    earlier = [p for p in doc.places if window_start <= p.start < s.start and p.lat is not None
               and not (p.feature or "").startswith(("PCL", "PPLC")) and not reference_point(doc, p, lex)]
    return earlier[-1] if earlier else None


@cache
def _distance_regex(units: frozenset[str]) -> re.Pattern[str]:
    """A distance ending just before a place, its last words captured: "450 km à l'est de la "."""
    unit = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
    return re.compile(r"\d[\d\s.,]*\s*(?:" + unit + r")(?!\w)([^.;!?\n]{0,32})$")


NOT_WHERE_CHARS = 40  # how far before a place a reporter's noun or a naming word is looked for


def not_where(doc: Document, p: Place, lex: Lexicon) -> bool:
    """A place named where a reporter is ("un correspondant de l'AFP à Raqqa", "لمراسلة سبوتنيك في
    العراق": the speaker's location, EVENTS.md) or inside a name given to an operation ("baptisée
    « Colère de l'Euphrate »", "dubbed 'Operation Euphrates Shield'"): never where the act was."""
    before = normalise(doc.text[max(0, p.start - NOT_WHERE_CHARS):p.start]).text
    reporter, naming = lex.roles.get("reporter_nouns"), lex.roles.get("naming_words")
    if reporter:
        # the reporter's noun, its outlet at most, then the place's preposition
        ends = [m.end() for m in any_word(reporter).finditer(before)]
        if ends and len(before[ends[-1]:].split()) <= 4:
            return True
    quoted = r"\s*[«\"“'‘][^»\"”’]*$"  # the naming word, then an opening quote not yet closed
    return bool(naming) and re.search(any_word(naming).pattern + quoted, before) is not None


@cache
def any_word(words: frozenset[str], prefix: str = "") -> re.Pattern[str]:
    """Any of `words` as a whole word (longest first), after an optional `prefix` pattern (Arabic
    "و"/"ف"); compiled once per word list, not once per act."""
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"(?<!\w){prefix}(?:{alternatives})(?!\w)", re.IGNORECASE)


def reference_point(doc: Document, p: Place, lex: Lexicon) -> bool:
    """A place told after a distance and a side ("450 km east of Damascus", "à 450 km à l'est de la
    capitale Damas", "30 كم شمال"): where something else lies from it, never where the act was. A
    distance with no side ("la zone de 15 km autour d'Abu Kamal") names an area around the place."""
    units = lex.roles.get("distance_units")
    before = doc.text[max(0, p.start - 45):p.start].lower()
    if not units or not any(ch.isdigit() for ch in before):
        return False
    m = _distance_regex(units).search(before)
    if m is None:
        return False
    # a side may be part of a compound: "southeast", "nord-est"
    sides = [w for s in _SIDES for w in lex.roles.get(f"side_{s}", ())]
    return any(side in word for word in _WORDS.findall(m.group(1)) for side in sides)


_SIDES = ("east", "west", "north", "south")
_WORDS = re.compile(r"\w+")


def side_named(word: str, lex: Lexicon) -> str | None:
    """The side a word names ("شرق", "western", "ouest"), per the language's `side_*` lists."""
    return next((s for s in _SIDES if word in lex.roles.get(f"side_{s}", ())), None)


def side_of(doc: Document, place: Place | None, lex: Lexicon) -> str | None:
    """The side of its place an act is told on ("شرق الفرات", "la rive ouest de l'Euphrate", "the
    western countryside of Deir ez-Zor"): a side word just before the name, only glue words
    (`side_glue`: "of the", "de l'", "ل") between them; else None."""
    if place is None:
        return None
    glue = lex.roles.get("side_glue", frozenset())
    for word in reversed(_WORDS.findall(doc.text[max(0, place.start - 40):place.start].lower())[-4:]):
        side = side_named(word, lex)
        if side is not None or word not in glue:
            return side
    return None
