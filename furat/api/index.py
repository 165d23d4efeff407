"""The events of one database generation in memory, so that a filtered list costs microseconds.

A filtered `/events` page through DuckDB costs ~15 ms of one core (the query, 45 columns into Python
dicts, JSON): 200 different requests at once then wait seconds. The served database changes only
when an ingest or a POST writes it, so the server reads the events table once per generation (the
same rows, in the same order as `Store.events`) and keeps:

- the columns the common filters test, as numpy arrays: type, countries and certainty as codes of
  DuckDB's own `upper()`, the period as days, the point, the number of sources, `disputed`;
- each event already encoded as JSON, three ways: the `/events` record, its GeoJSON feature with
  every property and with the map's properties.

A query then is a few array comparisons and a join of bytes. The filters that read other tables
or match text (actor, source, language) still go through `Store.events`, whose rows pick their
encoded events here. SQL semantics are kept: a NULL matches no comparison, the order is
`date_start NULLS LAST, event_id`, and the near filter is the same haversine.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from typing import Any

import numpy as np

from furat.store.db import Store
from furat.store.events import geojson_feature

try:  # ~10x faster than json; the bytes parse to the same values
    import orjson

    def dumps(value: Any) -> bytes:
        return orjson.dumps(value)
except ImportError:  # pragma: no cover - orjson is optional
    def dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

MAX_EVENTS = 100_000  # ~3 KB each in memory; a larger store is queried through DuckDB only
JSON_COLUMNS = ("languages", "outlets", "mentions", "versions", "events")
MAP_PROPERTIES = ("event_id", "type", "date", "date_start", "date_end", "place", "place_country", "latitude",
                  "longitude", "fatalities", "certainty", "n_sources", "actor1", "actor2")
ORDER = "date_start NULLS LAST, event_id"  # Store.events' order
# the filters that read other tables or match text: answered by DuckDB (Store.events)
NOT_INDEXED = ("actor", "source", "language")


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON values: dates as ISO text, the JSON columns parsed."""
    out = {}
    for key, value in row.items():
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif key in JSON_COLUMNS and isinstance(value, str):
            value = json.loads(value)
        out[key] = value
    return out


def days(values: list[Any]) -> np.ndarray:
    """Dates as numpy days (NULL: NaT, which no comparison matches)."""
    return np.array([np.datetime64("NaT") if d is None else d for d in values], dtype="datetime64[D]")


class Codes:
    """A text column as integer codes (NULL: -1), for equality tests on arrays."""

    def __init__(self, values: list[str | None]) -> None:
        self.code: dict[str, int] = {}
        self.array = np.fromiter((-1 if v is None else self.code.setdefault(v, len(self.code))
                                  for v in values), dtype=np.int32, count=len(values))
        self.masks: dict[tuple[str, ...], np.ndarray] = {}  # at most a few per value: read, never written

    def isin(self, values: list[str] | tuple[str, ...]) -> np.ndarray:
        """Rows whose value is one of `values` (NULL is none)."""
        key = tuple(sorted(set(values)))
        mask = self.masks.get(key)
        if mask is None:
            wanted = np.zeros(len(self.code) + 1, dtype=bool)  # the last one: NULL's -1
            wanted[[self.code[v] for v in key if v in self.code]] = True
            mask = wanted[self.array]
            if len(self.masks) < 256:
                self.masks[key] = mask
        return mask

    def equals(self, value: str) -> np.ndarray:
        return self.isin((value,))


class EventIndex:
    """The events table of one generation: filter columns and each event's encoded JSON."""

    def __init__(self, store: Store) -> None:
        start = time.perf_counter()
        cursor = store.conn.execute(
            f"SELECT *, upper(type) AS _type, upper(actor1_country) AS _c1, upper(actor2_country) AS _c2, "
            f"upper(place_country) AS _c3 FROM events ORDER BY {ORDER}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        columns = {name: [r[i] for r in rows] for i, name in enumerate(names)}
        self.ids: list[str] = columns["event_id"]
        self.position = {event_id: i for i, event_id in enumerate(self.ids)}
        self.types = {t for t in columns["type"] if t}
        self.type = Codes(columns["_type"])
        self.countries = [Codes(columns[c]) for c in ("_c1", "_c2", "_c3")]
        self.certainty = Codes(columns["certainty"])
        self.start = days(columns["date_start"])
        self.end = days(columns["date_end"])
        self.lat = np.array([np.nan if v is None else v for v in columns["latitude"]], dtype=float)
        self.lon = np.array([np.nan if v is None else v for v in columns["longitude"]], dtype=float)
        self.n_sources = np.array([np.nan if v is None else v for v in columns["n_sources"]], dtype=float)
        self.disputed = Codes([None if v is None else str(bool(v)) for v in columns["disputed"]])
        keep = [n for n in names if not n.startswith("_")]
        self.record: list[bytes] = []
        self.feature: list[bytes] = []
        self.map_feature: list[bytes] = []
        for r in rows:
            row = plain(dict(zip(keep, r, strict=False)))
            self.record.append(dumps(row))
            self.feature.append(dumps(geojson_feature(row)))
            self.map_feature.append(dumps(geojson_feature({k: row[k] for k in MAP_PROPERTIES})))
        self.seconds = time.perf_counter() - start

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, query: dict[str, Any]) -> np.ndarray:
        """Positions (in Store.events' order) of the events matching `query`'s indexed filters; the
        same rows as Store.events' SQL."""
        mask = np.ones(len(self.ids), dtype=bool)
        if query.get("min_sources"):
            mask &= self.n_sources >= query["min_sources"]
        if query.get("disputed") is not None:
            mask &= self.disputed.equals(str(bool(query["disputed"])))
        if query.get("type"):
            mask &= self.type.equals(query["type"].upper())
        if query.get("country"):
            country = query["country"].upper()
            first, second, place = (c.equals(country) for c in self.countries)
            mask &= first | second | place
        if query.get("since"):
            mask &= self.end >= np.datetime64(query["since"], "D")
        if query.get("until"):
            mask &= self.start <= np.datetime64(query["until"], "D")
        if query.get("certainty"):
            mask &= self.certainty.isin(query["certainty"])
        if query.get("near") is not None:
            mask &= self._near(*query["near"], query["km"])
        return np.flatnonzero(mask)

    def _near(self, lat: float, lon: float, km: float) -> np.ndarray:
        """Store.events' haversine test (same formula, same operand order), evaluated only on the
        events whose latitude alone keeps within reach: a great-circle distance is at least the
        radius times the latitude difference."""
        reach = np.degrees(km / 6371) * (1 + 1e-9) + 1e-9
        with np.errstate(invalid="ignore"):
            candidates = np.flatnonzero(np.abs(self.lat - lat) <= reach)  # NaN (NULL): never
        near = np.zeros(len(self.ids), dtype=bool)
        if len(candidates):
            la, lo = self.lat[candidates], self.lon[candidates]
            with np.errstate(invalid="ignore"):
                a = (np.sin(np.radians(la - lat) / 2) ** 2
                     + np.cos(np.radians(lat)) * np.cos(np.radians(la))
                     * np.sin(np.radians(lo - lon) / 2) ** 2)
                near[candidates] = 2 * 6371 * np.arcsin(np.sqrt(a)) <= km
        return near

    def positions(self, event_ids: list[str]) -> list[int] | None:
        """Where these events are here (None: one is missing, the index is stale)."""
        try:
            return [self.position[e] for e in event_ids]
        except KeyError:
            return None


def indexed(query: dict[str, Any]) -> bool:
    """Whether every filter given is one EventIndex.select answers (as Store.events, an empty
    value is no filter)."""
    return not any(query.get(key) for key in NOT_INDEXED)
