"""The gazetteer index: the one place that looks a name up (exact key, then fuzzy).

The index is a SQLite file built by `scripts/build_gazetteer.py` (names keyed by
`furat.geo.normalize.name_key`). SQLite is opened read-only and queried in batches, so loading
costs nothing and memory stays small; candidates are cached per key for the life of the object.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from furat.geo.normalize import has_arabic, name_key, skeleton

DEFAULT_INDEX = Path(__file__).resolve().parents[1] / "data" / "geo" / "gazetteer.sqlite"
_MAX_CANDIDATES = 60
_SQL_CHUNK = 900
CACHE_KEYS = 1 << 16  # keys kept per cache (hits, misses): ~10 MB each at most


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name may refer to."""

    pid: int
    gid: str
    name: str
    lat: float
    lon: float
    feature: str
    cc: str
    admin1: str
    admin2: str
    pop: int
    fuzzy: float = 1.0  # 1.0 for an exact key match, the rapidfuzz ratio/100 otherwise


_AREAS = frozenset({"PCLI", "CONT", "ADM1", "RGN", "SEA", "STM"})


def _rank(c: Candidate) -> int:
    """Sort key keeping areas (no population in the sources) among the candidates kept."""
    return -(c.pop or (1_000_000 if c.feature in _AREAS else 0))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Read-only access to the built index."""

    def __init__(self, path: str | Path = DEFAULT_INDEX) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path} missing: run scripts/build_gazetteer.py")
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        # Bounded caches, emptied when full: the Arabic matcher asks for every 1-4-word n-gram and
        # almost all are misses (412k of 418k keys on 600 documents), so caching misses without a
        # bound grew memory ~0.3 MB per document. Within a bound, repeated names stay cheap.
        self._found: dict[str, tuple[Candidate, ...]] = {}
        self._missing: set[str] = set()

    def lookup_keys(self, keys: Iterable[str]) -> dict[str, tuple[Candidate, ...]]:
        """Candidates for each key (already normalised) that the index holds; others are left out."""
        keys = list(keys)
        found_cache, missing = self._found, self._missing
        wanted = [k for k in dict.fromkeys(keys) if k and k not in found_cache and k not in missing]
        fresh: dict[str, tuple[Candidate, ...]] = {}
        for i in range(0, len(wanted), _SQL_CHUNK):
            chunk = wanted[i : i + _SQL_CHUNK]
            marks = ",".join("?" * len(chunk))
            found: dict[str, list[Candidate]] = {}  # only the keys the index holds: few
            for row in self._db.execute(
                "SELECT n.key, p.pid, p.gid, p.name, p.lat, p.lon, p.feature, p.cc, p.admin1, p.admin2,"
                f" p.pop FROM names n JOIN places p ON p.pid = n.pid WHERE n.key IN ({marks})",
                chunk,
            ):
                found.setdefault(row[0], []).append(Candidate(*row[1:]))
            for k, cands in found.items():
                cands.sort(key=_rank)
                fresh[k] = tuple(cands[:_MAX_CANDIDATES])
            if len(missing) + len(chunk) > CACHE_KEYS:
                missing.clear()
            missing.update(k for k in chunk if k not in found)
        if fresh:
            if len(found_cache) + len(fresh) > CACHE_KEYS:
                found_cache.clear()
            found_cache.update(fresh)
        return {k: v for k in keys if (v := fresh.get(k) or found_cache.get(k))}

    def areas(self, features: tuple[str, ...]) -> dict[str, Candidate]:
        """Every name key of the entries of these feature codes (countries, continents…)."""
        marks = ",".join("?" * len(features))
        out: dict[str, Candidate] = {}
        for row in self._db.execute(
            "SELECT n.key, p.pid, p.gid, p.name, p.lat, p.lon, p.feature, p.cc, p.admin1, p.admin2, p.pop"
            f" FROM names n JOIN places p ON p.pid = n.pid WHERE p.feature IN ({marks})", features
        ):
            c = Candidate(*row[1:])
            if row[0] not in out or c.pop > out[row[0]].pop:
                out[row[0]] = c
        return out

    def lookup(self, name: str) -> tuple[Candidate, ...]:
        """Candidates for a surface name (exact normalised key)."""
        key = name_key(name)
        return self.lookup_keys([key]).get(key, ())

    def fuzzy(self, name: str, min_ratio: float = 80.0) -> tuple[Candidate, ...]:
        """Candidates for a spelling the index lacks, via the consonant skeleton + rapidfuzz ratio."""
        return self._fuzzy(name_key(name), min_ratio)

    @lru_cache(maxsize=4096)  # noqa: B019 - one Gazetteer per stage; the cache dies with it
    def _fuzzy(self, key: str, min_ratio: float) -> tuple[Candidate, ...]:
        if has_arabic(key) or len(key) < 5:
            return ()
        sk = skeleton(key)
        if len(sk) < 3:
            return ()
        keys = [k for (k,) in self._db.execute("SELECT key FROM skel WHERE skel = ?", (sk,))]
        scored = [(fuzz.ratio(key, k), k) for k in keys]
        scored = [(s, k) for s, k in scored if s >= min_ratio]
        if not scored:
            return ()
        found = self.lookup_keys([k for _, k in scored])
        out: dict[int, Candidate] = {}
        for s, k in sorted(scored, reverse=True):
            for c in found.get(k, ()):
                if c.pid not in out:
                    out[c.pid] = Candidate(*[getattr(c, f) for f in Candidate.__slots__[:-1]], fuzzy=s / 100)
        return tuple(sorted(out.values(), key=lambda c: -c.pop))[:_MAX_CANDIDATES]


@lru_cache(maxsize=2)
def load_gazetteer(path: str = str(DEFAULT_INDEX)) -> Gazetteer:
    """The shared gazetteer object (one per process and path)."""
    return Gazetteer(path)
