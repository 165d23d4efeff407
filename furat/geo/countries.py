"""Countries: one convention (ISO 3166-1 alpha-3) for actors, places and filters.

The gazetteer speaks GeoNames' alpha-2, the actor KB alpha-3, analysts type "Syria", "Syrie" or
"سوريا": everything goes through this table (furat/data/geo/countries.tsv, built by
scripts/build_countries.py), which also gives the ACLED export its country names, ISO numeric
codes and regions.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from furat.actors.normalize import phrase_key


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    iso_numeric: int
    acled_name: str
    acled_region: str
    name_en: str
    name_fr: str
    name_ar: str


@dataclass(frozen=True)
class CountryTable:
    by_code: dict[str, Country]
    by_name: dict[tuple[str, ...], Country]

    def get(self, value: str | None) -> Country | None:
        """The country a code (alpha-2 or alpha-3, any case) or a name in en/fr/ar denotes."""
        if not value or not value.strip():
            return None
        text = value.strip()
        return self.by_code.get(text.upper()) or self.by_name.get(phrase_key(text))


@cache
def countries() -> CountryTable:
    path = resources.files("furat") / "data/geo/countries.tsv"
    by_code: dict[str, Country] = {}
    by_name: dict[tuple[str, ...], Country] = {}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            c = Country(r["iso2"], r["iso3"], int(r["iso_numeric"]), r["acled_name"], r["acled_region"],
                        r["name_en"], r["name_fr"], r["name_ar"])
            by_code[c.iso2] = by_code[c.iso3] = c
            for name in (c.acled_name, c.name_en, c.name_fr, c.name_ar, *r["aliases"].split("|")):
                if name:
                    by_name.setdefault(phrase_key(name), c)
    return CountryTable(by_code, by_name)


def iso3(code: str | None) -> str | None:
    """The alpha-3 code of an alpha-2 or alpha-3 code (unknown codes are returned as they are)."""
    if not code:
        return None
    country = countries().by_code.get(code.upper())
    return country.iso3 if country else code
