"""Validation of the event filters, shared by `furat events` and the HTTP API.

Each function turns what a person typed into what `Store.events` takes, or raises `FilterError`
with a message that says what to give instead: the CLI prints it with exit status 2, the API
answers 422 with it. One place, so the two front ends accept exactly the same filters.
"""

from __future__ import annotations

LANGUAGES = ("fr", "ar", "en")
CERTAINTIES = ("asserted", "reported", "hedged", "denied", "negated")


class FilterError(ValueError):
    """A filter value furat cannot use; the message names the option and what to give."""


def day(option: str, value: str | None, last: bool) -> str | None:
    """A since/until value (YYYY, YYYY-MM or YYYY-MM-DD) as the first or last day it covers."""
    if value is None:
        return None
    from furat.store.events import period

    start, end = period(value.strip())
    if start is None or end is None:
        raise FilterError(f"{option} {value!r}: give a date as YYYY-MM-DD (or YYYY-MM, YYYY)")
    return str(end if last else start)


def country_code(value: str | None, option: str = "--country") -> str | None:
    """A country name in en/fr/ar or an ISO code, as ISO 3166-1 alpha-3."""
    if value is None:
        return None
    from furat.geo.countries import countries

    country = countries().get(value)
    if country is None:
        raise FilterError(f"{option} {value!r}: not a country furat knows (give a name in English, French "
                          "or Arabic, or an ISO code: Syria, Syrie, سوريا, SY, SYR)")
    return country.iso3


def event_type(value: str | None, stored: set[str], option: str = "--type") -> str | None:
    """A PLOVER type (any case), or one of the types stored in the database."""
    if value is None:
        return None
    from furat.events.lexicon import MATERIAL, VERBAL

    known = MATERIAL | VERBAL | stored
    if value.upper() not in known:
        raise FilterError(f"{option} {value!r}: not an event type; PLOVER types are "
                          f"{', '.join(sorted(known))}")
    return value.upper()


def certainty(value: str | None, option: str = "--certainty") -> list[str] | None:
    """Comma-separated certainty levels."""
    if value is None:
        return None
    levels = [v.strip().lower() for v in value.split(",") if v.strip()]
    wrong = [v for v in levels if v not in CERTAINTIES]
    if wrong or not levels:
        raise FilterError(f"{option} {value!r}: give one or more of {', '.join(CERTAINTIES)}, "
                          "comma-separated")
    return levels


def language(value: str | None, option: str = "--language") -> str | None:
    if value is not None and value not in LANGUAGES:
        raise FilterError(f"{option} {value!r}: give one of {', '.join(LANGUAGES)}")
    return value


def point(value: str | None, option: str = "--near") -> tuple[float, float] | None:
    """A point from "lat,lon" or a place name (resolved by the gazetteer, most populous first)."""
    if not value or not value.strip():
        return None
    parts = value.split(",")
    if len(parts) == 2:
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            pass
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise FilterError(f"{option} {value!r}: latitude must be within ±90 and longitude "
                                  "within ±180")
            return lat, lon
    from furat.geo.gazetteer import load_gazetteer

    candidates = load_gazetteer().lookup(value) or load_gazetteer().fuzzy(value)
    if not candidates:
        raise FilterError(f"{option} {value!r}: give 'lat,lon' or a place name furat knows")
    return candidates[0].lat, candidates[0].lon


def actor_names(query: str | None) -> list[str]:
    """Canonical names an actor query denotes, through the actor KB's aliases in en/fr/ar."""
    if not query:
        return []
    from furat.actors.resolve import shared_resolver

    resolver = shared_resolver()
    names = {resolver.kb.records[m.record].name for lang in ("en", "fr", "ar")
             for m in resolver.find(query, lang) if m.end - m.start >= len(query.strip()) - 1}
    return sorted(names)
