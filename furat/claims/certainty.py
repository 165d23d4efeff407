"""Events take their certainty from the claims that tell them (EVENTS.md §3, CLAIMS.md).

An event whose evidence lies inside a claim's content is told through that claim: `reported`
with the claim's speaker, `hedged` when the claim is hedged, `denied` when the claim denies it.
An event the outlet tells in its own voice stays `asserted`; one the events stage found told as
unconfirmed ("allegedly") stays `hedged`.
"""

from __future__ import annotations

from furat.claims.lexicon import claim_lexicon
from furat.model import Claim, Document, Event
from furat.textnorm import normalise


def _hedged(doc: Document, event: Event) -> bool:
    """The sentence telling the event marks it uncertain ("reportedly", "auraient", "يرجح")."""
    lex = claim_lexicon(doc.language or "")
    if lex is None or lex.hedges is None or event.evidence is None:
        return False
    return bool(lex.hedges.search(normalise(event.evidence.text).text))


def telling(doc: Document, event: Event) -> list[Claim]:
    """The claims whose content holds the event's trigger (not those whose cue is the trigger:
    "X accused Y" is X's act, asserted by the outlet)."""
    t = event.trigger
    if t is None or any(c.cue is not None and c.cue.start < t.end and t.start < c.cue.end
                        for c in doc.claims):
        return []  # the statement itself ("a affirmé", "ont démenti"): the outlet tells it was made
    return [c for c in doc.claims if c.content.start <= t.start and t.end <= c.content.end]


def apply_certainty(doc: Document) -> None:
    for event in doc.events:
        claims = telling(doc, event)
        if not claims:
            if event.certainty == "reported":  # the events stage's guess from a reporting word
                event.certainty = "asserted"
                event.reported_by = None
            if event.certainty == "asserted" and _hedged(doc, event):
                event.certainty = "hedged"  # "عقب استهداف يرجّح أنه من طائرة مسيرة تركية"
            continue
        claim = claims[-1]  # the innermost: the last opened around the trigger
        speaker = claim.speaker.text if claim.speaker is not None else None
        if claim.stance == "deny":
            event.certainty = "denied"
        elif claim.hedged or event.certainty == "hedged":
            event.certainty = "hedged"
        else:
            event.certainty = "reported"
        event.reported_by = speaker
