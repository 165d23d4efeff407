"""One linked event from its mentions: consensus fields, sources, and the versions reports disagree on.

Each group of fields (who acted, whom, where, when, the toll) comes whole from one mention: the
value most mentions give, ties to the surest, earliest report. Where reports differ for real (other
actor and not the same side, other toll, dates or places that cannot both hold) every version is
kept with its sources and the event is `disputed`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from furat.link.features import CERTAINTY_RANK, dated_by_publication, km
from furat.store.events import EVENT_COLUMNS

GROUPS: dict[str, tuple[str, ...]] = {
    "actor1": ("actor1", "actor1_country", "actor1_sector"),
    "actor2": ("actor2", "actor2_country", "actor2_sector"),
    "place": ("place", "latitude", "longitude", "place_country", "admin1", "admin2", "place_feature"),
    "date": ("date", "date_precision", "date_start", "date_end"),
    "fatalities": ("fatalities",),
    "injured": ("injured",),
}
DISPUTE_KM = 25.0


def event_id(mention_ids: list[str]) -> str:
    """Canonical id of the event its member mentions make (the same set → the same id)."""
    return "ev-" + hashlib.sha1("\n".join(sorted(mention_ids)).encode()).hexdigest()[:16]


def _rank(m: dict[str, Any]) -> tuple[Any, ...]:
    return (CERTAINTY_RANK.get(m.get("certainty") or "", 9), m.get("published") or "9999", m["mention_id"])


def _conflict(field: str, a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two stated values that cannot both be true of one occurrence."""
    if field in ("actor1", "actor2"):
        country = f"{field}_country"
        return not (a[country] and a[country] == b[country])
    if field == "place":
        dist = km(a, b)
        return dist is None or dist > DISPUTE_KM
    if field == "date":
        if None in (a["date_start"], b["date_start"]) or dated_by_publication(a) or dated_by_publication(b):
            return False  # a date taken from the publication alone contradicts no stated one
        apart = max(a["date_start"], b["date_start"]) - min(a["date_end"], b["date_end"])
        return apart.days > 1
    return True  # tolls: another number is another version


def versions(members: list[dict[str, Any]]) -> tuple[dict[str, list[dict[str, Any]]], bool]:
    """Each field's distinct stated values with the mentions and outlets that give them, and whether
    any two of them conflict."""
    out: dict[str, list[dict[str, Any]]] = {}
    disputed = False
    for field in ("actor1", "actor2", "place", "date", "fatalities", "injured"):
        by_value: dict[Any, list[dict[str, Any]]] = {}
        for m in members:
            if m.get(field) not in (None, ""):
                by_value.setdefault(m[field], []).append(m)
        if len(by_value) < 2:
            continue
        out[field] = [{"value": v, "mentions": [m["mention_id"] for m in ms],
                       "sources": sorted({m.get("outlet") or m.get("source") or "" for m in ms})}
                      for v, ms in sorted(by_value.items(), key=lambda kv: str(kv[0]))]
        firsts = [ms[0] for ms in by_value.values()]
        disputed |= any(_conflict(field, x, y) for i, x in enumerate(firsts) for y in firsts[i + 1:])
    return out, disputed


def event_row(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The `events` row (furat/store/events.py LINKED_COLUMNS) of the mentions of one occurrence."""
    members = sorted(members, key=_rank)
    lead = members[0]
    row = {c: lead.get(c) for c in EVENT_COLUMNS}
    for field, columns in GROUPS.items():
        stated = [m for m in members if m.get(field) not in (None, "")]
        if field == "date":  # a date the report states before one taken from its publication
            stated = [m for m in stated if not dated_by_publication(m)] or stated
        if not stated:
            continue
        votes = Counter(m[field] for m in stated)
        best = max(votes.values())
        source = next(m for m in stated if votes[m[field]] == best)  # members are in rank order
        row.update({c: source.get(c) for c in columns})
    type_votes = Counter(m["type"] for m in members)
    row["type"] = max(type_votes, key=lambda t: (type_votes[t], t == lead["type"]))
    ids = [m["mention_id"] for m in members]
    row["event_id"] = event_id(ids)
    row["n"] = len(members)
    outlets = sorted({m.get("outlet") or m.get("source") or "" for m in members})
    languages = sorted({m["language"] for m in members if m.get("language")})
    published = sorted(m["published"] for m in members if m.get("published"))
    vers, disputed = versions(members)
    row.update(
        mention_id=lead["mention_id"], n_sources=len({m["doc_id"] for m in members}),
        n_languages=len(languages), languages=json.dumps(languages),
        outlets=json.dumps(outlets, ensure_ascii=False),
        mentions=json.dumps(sorted(ids)), first_report=published[0] if published else None,
        last_report=published[-1] if published else None, disputed=disputed,
        versions=json.dumps(vers, ensure_ascii=False, default=str),
        outlet="; ".join(o for o in outlets if o) or lead.get("outlet"),
    )
    return row
