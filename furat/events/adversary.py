"""The other side of a fight the sentence does not name: "the army retook the town" (from whom?),
"les forces turques sont entrées dans la ville" (against whom?). A coder reads it off the story:
the actor the document keeps naming that is neither the doer, nor its ally (the KB's `allies`,
its parent), nor on its state's side, nor a speaker's kind of actor (outlets, NGOs, the UN).
Only a clear favourite is taken: named at least twice and more often than any other candidate.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from furat.model import Actor, Document

STATE_SECTORS = {"GOV", "MIL", "COP"}
BYSTANDER_SECTORS = {"NGO", "IGO", "MED"}
MIN_MENTIONS = 2


@cache
def _relations() -> dict[str, set[str]]:
    """Each KB actor's friends: its allies and parent, both ways."""
    from furat.actors.resolve import shared_resolver

    friends: dict[str, set[str]] = {}
    for r in shared_resolver().kb.records:
        for other in (*r.allies, *((r.parent,) if r.parent else ())):
            friends.setdefault(r.name, set()).add(other)
            friends.setdefault(other, set()).add(r.name)
    return friends


def _same_side(a: Actor, b: Actor) -> bool:
    if a.name == b.name or b.name in _relations().get(a.name or "", set()):
        return True
    return one_state(a, b)


def one_state(a: Actor | None, b: Actor | None) -> bool:
    """A country, its government and its forces are one side ("the US", "a US jet", "US forces")."""
    return a is not None and b is not None and bool(a.country) and a.country == b.country and \
        {a.sector, b.sector} <= STATE_SECTORS | {None}


def adversary(doc: Document, doer: Actor) -> Actor | None:
    """The actor the document most names that could be the doer's opponent (see module doc). Only
    among the whole document's actors: restricted to the title, lead and the act's paragraph it
    found fewer of the gold's opponents (dev actor2 0.497 -> 0.481)."""
    if not doer.name:
        return None
    candidates = [a for a in doc.actors if a.name and a.sector not in BYSTANDER_SECTORS
                  and not _same_side(doer, a)]
    counts = Counter(a.name for a in candidates).most_common(2)
    if not counts or counts[0][1] < MIN_MENTIONS or (len(counts) > 1 and counts[1][1] == counts[0][1]):
        return None
    return next(a for a in candidates if a.name == counts[0][0])
