"""Statements are events too: a claim whose stance is an accusation, a warning or a demand is the
speaker's ACCUSE, THREATEN or REQUEST (EVENTS.md §1, verbal acts), even when no trigger word of
the events stage says so ("the Coalition said the Houthi acts are in defiance of international
laws", "«la Turquie cherche des prétextes»", "we are ready to confront"): the claims stage reads
the stance off the statement's content (`[content_stance]` of the claims lexicons).
"""

from __future__ import annotations

from furat.events.extract import date_fields
from furat.model import Actor, Claim, Document, Event
from furat.time.govern import sentence_bounds

STANCE_TYPES = {"accuse": "ACCUSE", "warn": "THREATEN", "demand": "REQUEST"}
# the PLOVER mode the events stage gives the same act told by its verb ("accused", "threatened")
STANCE_MODES = {"ACCUSE": "allege", "THREATEN": "violence"}


def _told(events: list[Event], plover: str, lo: int, hi: int) -> bool:
    """An event of this type already told in the sentence [lo, hi) (as evidence or retelling)."""
    return any(e.type == plover and any(s is not None and s.start < hi and lo < s.end
                                        for s in [e.evidence, *e.mentions])
               for e in events)


def _said_before(events: list[Event], plover: str, speaker: str) -> Event | None:
    """The event of this type the same named speaker was already told making: a statement that
    goes on ("the Russian side warned … It said fire positions will be suppressed") is one act."""
    return next((e for e in events
                 if e.type == plover and e.actor1 is not None and e.actor1.name == speaker), None)


def statement_events(doc: Document) -> list[Event]:
    """The verbal events of `doc`'s claims that the events stage did not code, one per claim and
    sentence; a named speaker's statement of a type it was already told making is that event's
    retelling (a mention), not a new one. Only claims whose speaker is a known actor: "the unrest
    threatens stability", "a source said" code no act of anyone's."""
    out: list[Event] = []
    for claim in doc.claims:
        plover = STANCE_TYPES.get(claim.stance)
        if plover is None or claim.cue is None or claim.hedged or claim.speaker is None or \
                not claim.speaker.name:
            continue
        lo, hi = sentence_bounds(doc.text, claim.cue.start, claim.cue.end)
        events = [*doc.events, *out]
        if _told(events, plover, lo, hi):
            continue
        earlier = _said_before(events, plover, claim.speaker.name)
        if earlier is not None:
            earlier.mentions.append(doc.span(lo, hi))
            continue
        out.append(_event(doc, claim, plover, lo, hi))
    return out


def _addressee(doc: Document, claim: Claim) -> Actor | None:
    """Whom the statement accuses, warns or summons: the first actor its content names, other than
    its speaker ("«la Turquie cherche des prétextes»", "accusing Syrian tiger forces of …")."""
    speaker = claim.speaker.name if claim.speaker is not None else None
    return next((a for a in doc.actors if claim.content.start <= a.start and a.end <= claim.content.end
                 and a.name and a.name != speaker), None)


def _event(doc: Document, claim: Claim, plover: str, lo: int, hi: int) -> Event:
    assert claim.cue is not None
    return Event(
        type=plover,
        mode=STANCE_MODES.get(plover),
        actor1=claim.speaker,
        actor2=_addressee(doc, claim),
        trigger=doc.span(claim.cue.start, claim.cue.end),
        evidence=doc.span(lo, hi),
        certainty="asserted",
        confidence=0.5,
        **date_fields(doc, claim.cue.start, claim.cue.end),
    )


DENIAL_TYPES = {"REJECT"}
ANSWER_WINDOW_CHARS = 400  # a denial answers a claim told at most a few sentences before it


def answer_denials(doc: Document) -> None:
    """Whom a denial with no target named answers: the speaker of the last claim told before it by
    someone else ("le ministère de la Défense a affirmé que … Mais les forces kurdes ont démenti";
    "Hakan Fidan a affirmé que … Mazloum Abdi a démenti ces accusations"): the denied is its target."""
    for event in doc.events:
        if event.type not in DENIAL_TYPES or event.actor2 is not None or event.trigger is None:
            continue
        at = event.trigger.start
        denier = event.actor1
        answered = [c for c in doc.claims
                    if c.cue is not None and c.speaker is not None and c.stance != "deny"
                    and at - ANSWER_WINDOW_CHARS <= c.cue.end <= at
                    and not _same_speaker(c.speaker, denier)]
        if answered:
            event.actor2 = _person_named(doc, answered[-1].speaker)


def _person_named(doc: Document, speaker: Actor) -> Actor:
    """"Le ministre turc des Affaires étrangères Hakan Fidan": the person the title names, as a target."""
    person = next((e for e in reversed(doc.entities) if e.label == "PER"
                   and speaker.start <= e.start and e.end <= speaker.end), None)
    if person is None:
        return speaker
    return speaker.model_copy(update={"text": person.text, "start": person.start, "end": person.end})


def _same_speaker(a: Actor, b: Actor | None) -> bool:
    if b is None:
        return False
    return (bool(a.name) and a.name == b.name) or (a.start < b.end and b.start < a.end)
