"""The `claims` stage: `Document.claims`, events' certainty from them, and in-document disputes.

It runs after `events`: the sentences it reads are the events stage's, the parses it reads are
those the events stage left on the document (`Document._parses`), and what it sets on events
(certainty, reported_by, disputed) is its own field of the contract, not the events stage's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from furat.claims.acts import answer_denials, statement_events
from furat.claims.certainty import apply_certainty
from furat.claims.disputes import find_disputes
from furat.claims.extract import Found, find_claims
from furat.claims.lexicon import claim_lexicon
from furat.geo.normalize import fold
from furat.model import Actor, Claim, Document
from furat.pipeline import stage
from furat.textnorm import normalise


@stage("claims")
def make_claims_stage(config: dict[str, Any]):
    for language in config.get("languages", ["en", "fr", "ar"]):
        claim_lexicon(language)  # compile the rules once, up front
    certainty = bool(config.get("event_certainty", True))
    parse_missing = bool(config.get("parse_unparsed", False))
    tagger = None
    if config.get("tagger"):  # the accurate profile's English attribution tagger (furat.claims.tagger)
        from furat.claims.tagger import load

        tagger = (load(config["tagger"]), tuple(config.get("tagger_roles", ["content"])))

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            annotate(doc, certainty=certainty, parse_missing=parse_missing, tagger=tagger)
            yield doc

    return run


def annotate(doc: Document, certainty: bool = True, parse_missing: bool = False,
             tagger: tuple[Any, tuple[str, ...]] | None = None) -> Document:
    """Fill `doc.claims` and `doc.disputes`, and the certainty of `doc.events` from the claims; the
    accusations, warnings and demands no trigger word coded become events (furat.claims.acts).
    With `tagger` (the attribution tagger and its roles), the English claims take those roles'
    spans from it (furat.claims.tagger.refine)."""
    found = find_claims(doc, getattr(doc, "_parses", None), parse_missing=parse_missing)
    if tagger is not None:
        from furat.claims.tagger import refine

        refine(doc, found, tagger[0], tagger[1])
    doc.claims = [to_claim(doc, f) for f in found]
    doc.events = sorted([*doc.events, *statement_events(doc)],
                        key=lambda e: e.evidence.start if e.evidence is not None else 0)
    link_events(doc)
    answer_denials(doc)
    if certainty:
        apply_certainty(doc)
    doc.disputes = find_disputes(doc)
    return doc


def to_claim(doc: Document, f: Found) -> Claim:
    speaker = None
    if f.speaker is not None:
        speaker = _speaker_actor(doc, f.speaker)
    hedged = f.hedge is not None
    return Claim(
        speaker=speaker,
        speaker_kind=_kind(doc, speaker, f.lang) if speaker is not None else "anonymous",
        cue=doc.span(*f.cue),
        content=doc.span(*f.content),
        stance=f.stance,  # type: ignore[arg-type]
        hedged=hedged,
        hedge=doc.span(*f.hedge) if f.hedge else None,
        via=doc.span(*f.via) if f.via else None,
        confidence=0.5 if hedged else 0.7,
    )


def _speaker_actor(doc: Document, span: tuple[int, int]) -> Actor:
    """The speaker span, with the canonical actor the actors stage found inside it (the longest)."""
    start, end = span
    inside = [a for a in doc.actors if start <= a.start and a.end <= end and a.name]
    base = Actor(text=doc.text[start:end], start=start, end=end)
    if inside:
        best = max(inside, key=lambda a: a.end - a.start)
        base.name, base.country, base.sector = best.name, best.country, best.sector
        base.ucdp_id, base.parent, base.confidence = best.ucdp_id, best.parent, best.confidence
    return base


_DOMAIN = re.compile(r"[^\W_][\w-]*\.(?:[a-z]{2,4})", re.IGNORECASE)


def _kind(doc: Document, speaker: Actor, lang: str) -> str:
    """person, organisation, state, outlet, anonymous or document, from the head words and the
    entities stage's labels."""
    lex = claim_lexicon(lang)
    norm = normalise(speaker.text).text
    if lex is not None:
        for kind in ("anonymous", "document", "outlet", "person"):
            pattern = lex.kinds.get(kind)
            if pattern is not None and (m := pattern.search(norm)) and m.start() <= len(norm) // 2 + 2:
                return kind
    if _DOMAIN.fullmatch(speaker.text.strip()):
        return "outlet"  # "Avia.pro écrit", "Sputnik.com reported": a site, whatever the NER saw
    labels = {e.label for e in doc.entities if speaker.start <= e.start and e.end <= speaker.end}
    if "PER" in labels or "PERSON" in labels:
        return "person"
    if labels & {"LOC", "GPE"} and not labels & {"ORG", "NORP", "ARMED_GROUP"}:
        return "state"
    return "organisation"


NEAR_CHARS = 400


def link_events(doc: Document) -> None:
    """`Claim.about`: the events whose trigger lies in the claim's content or is its cue, and
    those told just before whose trigger word the content repeats ("reports conflict about an
    airdrop. Some sources said the airdrop was Russian")."""
    for claim in doc.claims:
        about = []
        content = normalise(claim.content.text).text
        for i, event in enumerate(doc.events):
            t = event.trigger
            if t is None:
                continue
            inside = claim.content.start <= t.start and t.end <= claim.content.end
            is_cue = claim.cue is not None and claim.cue.start <= t.start < claim.cue.end
            if inside or is_cue or _retold(event, claim.content.start, content):
                about.append(i)
        claim.about = about


def _retold(event: Any, at: int, content: str) -> bool:
    words = [w for w in normalise(event.trigger.text).text.split() if len(w) >= 4]
    # folded ("attaqué" → "attaque"): the verb that told the act and the noun that retells it
    head = fold(words[0].removeprefix("ال")) if words else ""
    if not head or head not in fold(content):
        return False
    spans = [s for s in [event.evidence, *event.mentions] if s is not None]
    return any(0 <= at - s.end <= NEAR_CHARS or s.start <= at <= s.end for s in spans)
