"""Sentence-level event extraction: triggers → events with actors, place, date, tolls, certainty.

Rule-based over the per-language lexicons (`furat.events.lexicon`): a trigger gives the PLOVER
type/mode and ACLED type/subtype; cues in the same clause before it decide whether the event is
asserted, reported (and by whom), hedged (possible, future, conditional, threatened) or negated.
Actors, places and dates come from the earlier stages' output (`Document.actors`, `.places`,
`.times`) by position, so each stage stays replaceable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from furat.events.lexicon import Lexicon, Match, find_triggers, lexicon
from furat.model import Actor, Document, Event, Place, Span
from furat.textnorm import Normalised, normalise
from furat.time.govern import governing_time

# Event types that are things done (a hedge makes them not-happened); verbal ones (THREATEN,
# ACCUSE, DEMAND…) are statements, asserted even when their content is about the future.
MATERIAL = {"ASSAULT", "FIGHT", "SEIZE", "MOBILIZE", "RETREAT", "PROTEST", "AID", "SANCTION", "COERCE"}
_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"»”']?\s+|\n+")
_CLAUSE_BREAK = re.compile(r"[,;:،؛]|\s[-–—]\s")
CUE_WINDOW_WORDS = 8


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def sentences(doc: Document) -> Iterator[tuple[Sentence, str | None]]:
    """Sentences of each paragraph with the paragraph's language (a simple splitter on final
    punctuation: the same in the three languages, and 20x faster than loading a model)."""
    paragraphs = doc.paragraphs or []
    spans = [(p.start, p.end, p.language) for p in paragraphs] or [(0, len(doc.text), doc.language)]
    for p_start, p_end, lang in spans:
        pos = p_start
        for m in _SENTENCE_END.finditer(doc.text, p_start, p_end):
            if m.start() > pos:
                yield Sentence(pos, m.start()), lang or doc.language
            pos = m.end()
        if pos < p_end:
            yield Sentence(pos, p_end), lang or doc.language


def _clause_before(text: str, at: int) -> str:
    """The words before position `at` in its clause, at most CUE_WINDOW_WORDS of them."""
    head = text[:at]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    if breaks:
        head = head[breaks[-1].end():]
    return " ".join(head.split()[-CUE_WINDOW_WORDS:])


def _certainty(
    lex: Lexicon, norm: str, match: Match, raw: str, normalised: Normalised
) -> tuple[str, str | None]:
    """(certainty, reporter) of the event triggered by `match` in the normalised sentence."""
    before = _clause_before(norm, match.start)
    cancelled = lex.negation_cancel is not None and lex.negation_cancel.search(before)
    if lex.negation and lex.negation.search(before) and not cancelled:
        return "negated", None
    # a possibility, a plan, an order or a condition anywhere before it in the sentence
    if match.trigger.plover in MATERIAL and lex.hedge and lex.hedge.search(norm, 0, match.start):
        return "hedged", None
    if lex.reporting and lex.reporting.search(norm):
        return "reported", _reporter(lex, norm, raw, normalised)
    return "asserted", None


def _reporter(lex: Lexicon, norm: str, raw: str, normalised: Normalised) -> str | None:
    """Who reports it, when the sentence says so ("selon une source militaire, …")."""
    if lex.reporter_intro and (m := lex.reporter_intro.search(norm)):
        tail = norm[m.end():]
        cut = _CLAUSE_BREAK.search(tail)
        end = m.end() + (cut.start() if cut else len(tail))
        start, stop = normalised.to_original(m.end(), end)
        words = raw[start:stop].split()[:8]
        return " ".join(words) or None
    return None


def _number(lex: Lexicon, patterns: tuple[re.Pattern[str], ...], text: str) -> int | None:
    for pattern in patterns:
        for m in pattern.finditer(text):
            if "n" in pattern.groupindex and (value := lex.number(m.group("n"))) is not None:
                return value
    return None


def _actors_in(doc: Document, s: Sentence) -> list[Actor]:
    return [a for a in doc.actors if s.start <= a.start and a.end <= s.end and a.name]


# What may stand between two members of a list of actors: commas, "and", articles, acronyms in
# brackets, and other short names ("the Syrian Republican Guard (SRG), the …").
_LIST_GLUE = re.compile(r"^(?=.*(?:,|\band\b|\bet\b|\sو))[^.;:!?؟«»\"“”]{0,70}$", re.IGNORECASE)
_SAME_MENTION = re.compile(r"^\s*\(?\s*$")


def _coordinated_head(before: list[Actor], text: str) -> list[Actor]:
    """"The Syrian Arab Army (SAA), the Republican Guard and the NDF seized…": the source of a
    list of actors is its first one, not the one nearest the verb."""
    while len(before) >= 2:
        glue = text[before[-2].end:before[-1].start]
        if not (_LIST_GLUE.match(glue) or _SAME_MENTION.match(glue)) or _VERBISH.search(glue):
            break
        before = before[:-1]
    return before


# A list of actors does not span a verb: stop at obvious finite-verb endings and auxiliaries.
_VERBISH = re.compile(r"\b(?:is|are|was|were|has|have|had|said|says|ont|a|est|sont|qui|who|which|that)\b",
                      re.IGNORECASE)


AGENT_REACH_CHARS = 40


def _pick_actors(
    actors: list[Actor], at: int, text: str, passive: bool = False, agent_at: int | None = None
) -> tuple[Actor | None, Actor | None]:
    """Source: the nearest actor before the trigger (else the first after); target: the first
    actor after the trigger that is not the source. In the passive ("were targeted by X") the
    roles swap; a doer named right after the trigger ("backed by X", `agent_at`) is the source."""
    before = _coordinated_head([a for a in actors if a.end <= at], text)
    after = [a for a in actors if a.start >= at]
    if agent_at is not None:
        agent = next((a for a in after if agent_at <= a.start <= agent_at + AGENT_REACH_CHARS), None)
        if agent is not None:
            target = before[-1] if before else next((a for a in after if a.name != agent.name), None)
            return agent, target
    if passive and before:
        target = before[-1]
        source = next((a for a in after if a.name != target.name), None)
        return source, target
    source = before[-1] if before else (after.pop(0) if after else None)
    target = next((a for a in after if source is None or a.name != source.name), None)
    return source, target


PLACE_LOOKBACK_CHARS = 400


def _pick_place(doc: Document, s: Sentence, at: int) -> Place | None:
    """The place governing the trigger: the first resolved one after it in the sentence, else the
    last before it, else the last one told just before the sentence (same paragraph)."""
    inside = [p for p in doc.places if s.start <= p.start and p.end <= s.end]
    resolved = [p for p in inside if p.lat is not None] or inside
    after = [p for p in resolved if p.start >= at]
    before = [p for p in resolved if p.end <= at]
    if after or before:
        return after[0] if after else before[-1]
    named = [e for e in doc.entities
             if e.label in ("LOC", "GPE", "FAC") and s.start <= e.start and e.end <= s.end]
    if named:  # a place the NER saw but the gazetteer could not resolve: keep its name, no point
        first = next((e for e in named if e.start >= at), named[-1])
        return Place(text=first.text, start=first.start, end=first.end, confidence=0.3)
    paragraph_start = next((p.start for p in doc.paragraphs if p.start <= s.start < p.end), s.start)
    window_start = max(paragraph_start, s.start - PLACE_LOOKBACK_CHARS)
    earlier = [p for p in doc.places if window_start <= p.start < s.start and p.lat is not None]
    return earlier[-1] if earlier else None


def _dating(doc: Document, start: int, end: int) -> dict[str, str | None]:
    t = governing_time(doc, start, end)
    if t is None or not t.value:
        return {}
    value = t.value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return {"date": value, "date_precision": "day"}
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return {"date": value, "date_precision": "month"}
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return {"date": value, "date_precision": "week"}
    if re.fullmatch(r"\d{4}", value):
        return {"date": value, "date_precision": "year"}
    return {}


def extract_events(doc: Document, classify: bool = True) -> list[Event]:
    """The events of a document, one per trigger type per sentence. With `classify`, English
    events of an ACLED type take the trained classifier's sub-event type (furat.events.acled)."""
    events: list[Event] = []
    english: list[Event] = []
    for sentence, lang in sentences(doc):
        lex = lexicon(lang or "")
        if lex is None:
            continue
        raw = doc.text[sentence.start:sentence.end]
        norm = normalise(raw)
        seen_types: set[str] = set()
        for match in find_triggers(lex, norm.text):
            plover = match.trigger.plover
            if plover in seen_types:
                continue
            seen_types.add(plover)
            t_start, t_end = norm.to_original(match.start, match.end)
            start, end = sentence.start + t_start, sentence.start + t_end
            certainty, reporter = _certainty(lex, norm.text, match, raw, norm)
            passive = lex.passive is not None and lex.passive.search(_clause_before(norm.text, match.start))
            agent_at = None
            if lex.agent is not None:
                if agent := lex.agent.match(norm.text, match.end):
                    agent_at = sentence.start + norm.to_original(agent.end(), agent.end())[0]
                elif lex.agent.search(norm.text[match.start:match.end] + " "):  # "backed by" itself
                    agent_at = end
            source, target = _pick_actors(_actors_in(doc, sentence), start, doc.text, bool(passive), agent_at)
            event = Event(
                type=plover,
                mode=match.trigger.mode,
                acled_type=match.trigger.acled,
                acled_subtype=match.trigger.subtype,
                actor1=source,
                actor2=target,
                place=_pick_place(doc, sentence, start),
                trigger=Span(text=doc.text[start:end], start=start, end=end),
                evidence=doc.span(sentence.start, sentence.end),
                certainty=certainty,  # type: ignore[arg-type]
                reported_by=reporter,
                confidence=_confidence(certainty, source, target),
                **_dating(doc, start, end),
            )
            if plover in VIOLENT:
                event.fatalities = _number(lex, lex.killed, norm.text)
                event.injured = _number(lex, lex.injured, norm.text)
                anaphoric = lex.anaphora is not None and lex.anaphora.search(norm.text[:match.start])
                if anaphoric and _merge_into_antecedent(events, event):
                    continue
            events.append(event)
            if lang == "en" and event.acled_type and plover in MATERIAL:
                english.append(event)
    if classify and english:
        _classify_acled(english, events)
    return events


def _classify_acled(targets: list[Event], events: list[Event]) -> None:
    """Give the English events `targets` the classifier's ACLED subtype; the lexicon's votes for
    each sentence come from the events already found in it (no second pass)."""
    import numpy as np

    from furat.events.acled import classify, subtypes, votes_of

    def sentence_votes(event: Event) -> np.ndarray:
        assert event.evidence is not None
        start = event.evidence.start
        return votes_of([e.acled_subtype for e in events if e.evidence and e.evidence.start == start])

    texts = [e.evidence.text for e in targets if e.evidence is not None]
    labels = classify(texts, np.array([sentence_votes(e) for e in targets]))
    if labels is None:
        return
    for event, label in zip(targets, labels, strict=True):
        if label in subtypes():
            event.acled_subtype, event.acled_type = label, subtypes()[label]["type"]


VIOLENT = {"ASSAULT", "FIGHT"}
ANTECEDENT_WINDOW_CHARS = 600


def _merge_into_antecedent(events: list[Event], event: Event) -> bool:
    """"The attack killed three": give the toll to the violent event told just before, rather
    than count the same attack twice. True when merged."""
    assert event.evidence is not None
    recent = [
        e for e in events
        if e.evidence is not None and e.type in VIOLENT and e.evidence.start < event.evidence.start
        and event.evidence.start - e.evidence.end <= ANTECEDENT_WINDOW_CHARS
    ]
    same_type = [e for e in recent if e.type == event.type]
    if not recent:
        return False
    earlier = (same_type or recent)[-1]
    if earlier.fatalities is None:
        earlier.fatalities = event.fatalities
    if earlier.injured is None:
        earlier.injured = event.injured
    if earlier.certainty == "asserted" and event.certainty == "reported":
        earlier.certainty, earlier.reported_by = "reported", event.reported_by
    return True


def _confidence(certainty: str, source: Actor | None, target: Actor | None) -> float:
    base = {"asserted": 0.7, "reported": 0.6, "hedged": 0.3, "negated": 0.2}[certainty]
    return round(min(1.0, base + 0.1 * (source is not None) + 0.1 * (target is not None)), 2)
