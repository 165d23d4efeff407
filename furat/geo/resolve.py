"""Toponym resolution: pick each mention's gazetteer entry by the document's context.

Score of a candidate = prior (population, feature type, exact canonical name, fuzzy ratio)
+ focus (the document's main country and admin-1 region, voted by the unambiguous mentions)
+ qualifier ("Shaddadi, in the southern Hasakah countryside": a following admin/country mention
contains it) + cue ("the province of X" prefers admin areas, "the city of X" towns)
+ spatial minimality (close to the other mentions' current picks). Two rounds: the second sees
the first round's picks. Hand-written because no library does context resolution offline.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from furat.geo.gazetteer import Candidate, haversine_km
from furat.geo.normalize import name_key
from furat.geo.recognize import Mention

FEATURE_PRIOR = {
    "PCLI": 1.5, "CONT": 1.5, "ADM1": 0.5, "PPLC": 0.45, "PPL": 0.3, "ADM2": 0.15, "ADM3": 0.0,
    "AIRB": 0.1, "MILB": 0.25, "AIRP": -0.4, "RGN": 0.3, "STM": 0.3, "SEA": 0.5, "LOC": 0.3,
}
TOWNS = frozenset({"PPL", "ADM3", "LOC"})
HINT_FEATURES = {
    "admin": {"ADM1", "ADM2", "ADM3", "RGN", "PCLI"},
    "ppl": {"PPL", "PPLC", "ADM3"},
    "base": {"MILB", "AIRB", "AIRP"},
}


@dataclass(frozen=True)
class _Context:
    """What the document's resolved places say, for one round of scoring: its focus country and
    admin-1, and the countries and admin-1 areas it names."""

    focus_cc: str | None
    focus_a1: str | None
    named_cc: frozenset[str]
    named_a1: frozenset[tuple[str, str]]


@dataclass
class Resolution:
    """The chosen candidate (or None) and a confidence in [0, 1]."""

    candidate: Candidate | None
    confidence: float


# Areas have no population in the sources: a pseudo-population ranks them among cities.
PSEUDO_POP = {"ADM1": 2_000_000, "CONT": 500_000_000, "RGN": 100_000, "STM": 100_000, "SEA": 1_000_000}


def _prior(c: Candidate, key: str, w_pop: float = 0.2) -> float:
    pop = c.pop or PSEUDO_POP.get(c.feature, 0)
    score = w_pop * math.log10(pop + 1) + FEATURE_PRIOR.get(c.feature, 0.2)
    if name_key(c.name) == key:
        score += 0.35  # the entry's own name, not an alternate (Alexandria is not Mashhad)
    return score - 2.0 * (1.0 - c.fuzzy)


def _contains(outer: Candidate, inner: Candidate) -> bool:
    if outer.feature == "PCLI":
        return inner.cc == outer.cc
    if outer.feature in ("ADM1", "ADM2"):
        return (inner.cc == outer.cc and bool(inner.admin1)
                and name_key(inner.admin1) == name_key(outer.admin1))
    return False


class Resolver:
    """Context resolution with tunable weights (defaults measured on LGL/GeoVirus/TR-News)."""

    def __init__(self, config: dict | None = None) -> None:
        cfg = config or {}
        self.w_country = float(cfg.get("w_country", 0.5))
        self.w_admin1 = float(cfg.get("w_admin1", 0.5))
        self.w_near = float(cfg.get("w_near", 0.6))
        self.w_qualifier = float(cfg.get("w_qualifier", 1.5))
        self.w_hint = float(cfg.get("w_hint", 0.4))
        self.near_km = float(cfg.get("near_km", 300.0))
        self.w_pop = float(cfg.get("w_pop", 0.2))
        self.area_names_win = bool(cfg.get("area_names_win", True))
        self.area_town_pop = int(cfg.get("area_town_pop", 5000))
        self.w_in_country = float(cfg.get("w_in_country", 0.6))
        self.w_in_admin1 = float(cfg.get("w_in_admin1", 0.8))

    def resolve(self, mentions: Sequence[Mention], text: str) -> list[Resolution]:
        picks: list[Candidate | None] = [
            max(m.candidates, key=lambda c: _prior(c, m.key, self.w_pop)) if m.candidates else None
            for m in mentions
        ]
        for _ in range(2):
            ctx = _Context(*self._focus(mentions, picks),
                           frozenset(p.cc for p in picks if p is not None and p.feature == "PCLI"),
                           frozenset((p.cc, name_key(p.admin1)) for p in picks
                                     if p is not None and p.feature == "ADM1" and p.admin1))
            quals = self._qualifiers(mentions, picks, text)
            new: list[Resolution] = []
            # distinct places picked, with the names that picked them (a name is not its own context)
            placed: dict[int, tuple[Candidate, set[str]]] = {}
            for mj, p in zip(mentions, picks, strict=True):
                if p is not None:
                    placed.setdefault(p.pid, (p, set()))[1].add(mj.key)
            memo: dict[tuple, Resolution] = {}
            for i, m in enumerate(mentions):
                if not m.candidates:
                    new.append(Resolution(None, 0.0))
                    continue
                q = quals.get(i)
                memo_key = (m.key, m.hint, q.pid if q is not None else None, m.candidates[0].pid)
                if memo_key in memo:  # the same name in the same setting: the same answer
                    new.append(memo[memo_key])
                    continue
                others = [p for p, keys in placed.values() if keys != {m.key}]
                spots = [o for o in others if o.feature != "PCLI"]  # countries are no neighbours
                scored = sorted(((self._score(c, m, ctx, q, spots), c) for c in m.candidates),
                                key=lambda x: -x[0])
                best, top = scored[0][1], scored[0][0]
                if best.feature in ("ADM1", "ADM2", "ADM3") and m.hint != "admin":
                    best = self._town_of_area(best, m) or best
                if best.fuzzy < 1.0 and self._far_from_all(best, others):
                    memo[memo_key] = Resolution(None, 0.0)  # a fuzzy guess on another continent: no
                    new.append(memo[memo_key])
                    continue
                margin = top - scored[1][0] if len(scored) > 1 else 1.0
                conf = (1 / (1 + math.exp(-3 * margin))) * (best.fuzzy ** 2)
                memo[memo_key] = Resolution(best, round(conf, 3))
                new.append(memo[memo_key])
            picks = [r.candidate for r in new]
        return new

    def _score(self, c: Candidate, m: Mention, ctx: _Context, qual: Candidate | None,
               spots: list[Candidate]) -> float:
        """A candidate's score in the document's context; `spots`: the other places picked, but
        countries."""
        focus_cc, focus_a1 = ctx.focus_cc, ctx.focus_a1
        s = _prior(c, m.key, self.w_pop)
        if self.area_names_win and c.feature in TOWNS and c.pop < self.area_town_pop and any(
                o.feature in ("PCLI", "ADM1") and name_key(o.name) == m.key for o in m.candidates):
            return s  # "California", "Georgia": the area of that name, not a namesake village nearby
        if c.feature not in ("PCLI", "CONT") and c.cc in ctx.named_cc:
            s += self.w_in_country  # the text names the country it lies in
        if c.feature not in ("PCLI", "ADM1", "CONT") and c.admin1 and \
                (c.cc, name_key(c.admin1)) in ctx.named_a1:
            s += self.w_in_admin1  # … or its state / governorate
        if focus_cc and c.cc == focus_cc:
            s += self.w_country
            if focus_a1 and c.admin1 and name_key(c.admin1) == focus_a1 and c.feature != "PCLI":
                s += self.w_admin1
        if qual is not None and qual.pid != c.pid and _contains(qual, c):
            s += self.w_qualifier
        if m.hint and m.hint in HINT_FEATURES and c.feature in HINT_FEATURES[m.hint]:
            s += self.w_hint
        if spots and c.feature != "PCLI":
            d = min(haversine_km(c.lat, c.lon, o.lat, o.lon) for o in spots)
            s += self.w_near * max(0.0, 1.0 - d / self.near_km)
        return s

    @staticmethod
    def _far_from_all(c: Candidate, others: list[Candidate], km: float = 1000.0) -> bool:
        spots = [o for o in others if o.feature not in ("PCLI", "CONT")]
        return bool(spots) and all(haversine_km(c.lat, c.lon, o.lat, o.lon) > km for o in spots)

    @staticmethod
    def _town_of_area(area: Candidate, m: Mention, max_km: float = 150.0) -> Candidate | None:
        """The town an area is named after, when it lies in the area not far from its centre:
        "à Deir ez-Zor", "in Homs" is the city unless a cue says province."""
        a1 = name_key(area.admin1 or area.name)
        towns = [c for c in m.candidates if c.feature in ("PPL", "PPLC") and c.cc == area.cc
                 and (c.pop >= 100_000 or haversine_km(c.lat, c.lon, area.lat, area.lon) <= 50)
                 and name_key(c.admin1 or "") == a1
                 and haversine_km(c.lat, c.lon, area.lat, area.lon) <= max_km]
        return max(towns, key=lambda c: c.pop) if towns else None

    @staticmethod
    def _focus(mentions: Sequence[Mention],
               picks: Sequence[Candidate | None]) -> tuple[str | None, str | None]:
        """The country and admin-1 most mentions point to (each distinct name votes once)."""
        cc: Counter[str] = Counter()
        a1: Counter[str] = Counter()
        seen: set[str] = set()
        for m, p in zip(mentions, picks, strict=True):
            if p is None or m.key in seen:
                continue
            seen.add(m.key)
            cc[p.cc] += 1
            if p.admin1 and p.feature != "PCLI":
                a1[name_key(p.admin1)] += 1
        focus_cc = cc.most_common(1)[0][0] if cc else None
        focus_a1 = a1.most_common(1)[0][0] if a1 and a1.most_common(1)[0][1] >= 2 else None
        return focus_cc, focus_a1

    @staticmethod
    def _qualifiers(mentions: Sequence[Mention], picks: Sequence[Candidate | None],
                    text: str) -> dict[int, Candidate]:
        """Mention i is qualified by the next mention when it follows within the same clause
        ("Alexandria, Louisiana", "Shaddadi, in the southern Hasakah countryside")."""
        out: dict[int, Candidate] = {}
        for i in range(len(mentions) - 1):
            nxt = picks[i + 1]
            if nxt is None or nxt.feature not in ("PCLI", "ADM1", "ADM2"):
                continue
            gap = text[mentions[i].end:mentions[i + 1].start]
            if len(gap) <= 60 and not any(ch in gap for ch in ".;\n") and ("," in gap or len(gap) <= 4
                                                                         or "(" in gap):
                out[i] = nxt
        return out
