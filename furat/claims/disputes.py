"""In-document disputes: claims about one event that disagree (CLAIMS.md §3).

Two claims by different speakers about the same event (`Claim.about`) are in dispute on
- `occurred` when one denies it and the other does not;
- `toll` when they give different numbers of dead (or injured);
- `actor` when the actors they name share no country and no name (the Conoco airdrop: "سوري
  روسي" against "أميركي").
Each dispute keeps every version with its speaker; the event is flagged `disputed`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from furat.claims.lexicon import claim_lexicon
from furat.model import Claim, Dispute, Document, Version
from furat.textnorm import normalise

_NUMBER = re.compile(r"\d+")


def _numbers(claim: Claim) -> set[int]:
    return {int(n) for n in _NUMBER.findall(claim.content.text) if 0 < int(n) < 10000}


def _actors(doc: Document, claim: Claim) -> set[str]:
    """Countries (else names) of the actors named in a claim's content, the speaker excluded."""
    c = claim.content
    return {a.country or a.name or a.text for a in doc.actors if c.start <= a.start and a.end <= c.end}


def _conflict(doc: Document, event_index: int) -> bool:
    """The text itself says that reports of the event conflict ("تضاربت الأنباء")."""
    event = doc.events[event_index]
    for span in [event.evidence, *event.mentions]:
        if span is None:
            continue
        lang = doc.language or ""
        lex = claim_lexicon(lang)
        if lex is not None and lex.conflict is not None and lex.conflict.search(normalise(span.text).text):
            return True
    return False


def _speaker(claim: Claim) -> str:
    return (claim.speaker.name or claim.speaker.text) if claim.speaker is not None else ""


def find_disputes(doc: Document) -> list[Dispute]:
    by_event: dict[int, list[int]] = defaultdict(list)
    for j, claim in enumerate(doc.claims):
        for i in claim.about:
            trigger = doc.events[i].trigger
            at = trigger.start if trigger is not None else -1
            if claim.cue is None or not claim.cue.start <= at < claim.cue.end:  # its own act: no version
                by_event[i].append(j)
    disputes = []
    for i, js in sorted(by_event.items()):
        on = None
        pair: set[int] = set()
        for a, b in combinations(js, 2):
            ca, cb = doc.claims[a], doc.claims[b]
            if _speaker(ca) == _speaker(cb):
                continue
            if (ca.stance == "deny") != (cb.stance == "deny"):
                on = on or "occurred"
                pair |= {a, b}
            elif on in (None, "actor") and (na := _numbers(ca)) and (nb := _numbers(cb)) and not na & nb:
                on = "toll"
                pair |= {a, b}
            elif on is None and (xa := _actors(doc, ca)) and (xb := _actors(doc, cb)) and not xa & xb:
                on = "actor"
                pair |= {a, b}
        if on is None and _conflict(doc, i) and len({_speaker(doc.claims[j]) for j in js}) > 1:
            on = "actor" if any(_actors(doc, doc.claims[j]) for j in js) else "occurred"
            pair = set(js)
        if on is None:
            continue
        value = {"occurred": lambda c: "denied" if c.stance == "deny" else "asserted",
                 "toll": lambda c: ",".join(map(str, sorted(_numbers(c)))),
                 "actor": lambda c: ",".join(sorted(_actors(doc, c)))}[on]
        versions = [Version(claim=j, speaker=doc.claims[j].speaker.text if doc.claims[j].speaker else None,
                            value=value(doc.claims[j])) for j in sorted(pair)]
        disputes.append(Dispute(event=i, on=on, versions=versions))  # type: ignore[arg-type]
        doc.events[i].disputed = True
    return disputes
