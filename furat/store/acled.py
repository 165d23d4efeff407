"""furat's events in ACLED's export format, so that a file loads into an ACLED workflow unchanged.

Columns and value sets follow the ACLED codebook (the 31 columns of ACLED's data export):
country names, ISO numeric codes and regions come from furat/data/geo/countries.tsv; `inter1/2`
and `interaction` from the actors' sectors; `geo_precision` from the place's feature class;
`disorder_type` and `civilian_targeting` from the event type. What ACLED has no column for —
furat's certainty, who reported the event, furat's own event id — goes into `tags` and `notes`,
so that nothing reported is exported as plain fact.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from furat.geo.countries import Country, countries

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
EVENT_TYPES = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                   "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
INTER_CODES = range(0, 9)  # 0 no actor2, 1 state forces … 8 external/other forces
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}

# ACLED actor types by PLOVER/CAMEO sector: 1 state forces, 2 rebel groups, 3 political militias,
# 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces. ACLED codes
# unidentified armed groups and gangs as political militias, and journalists, aid workers and
# businesses as civilians; UN and other international forces as external forces.
_INTER = {"GOV": 1, "MIL": 1, "COP": 1, "SPY": 1, "JUD": 1, "LEG": 1, "REB": 2, "INS": 2, "PTY": 3, "OPP": 3,
          "RAD": 3, "UAF": 3, "CRM": 3, "CVL": 7, "REF": 7, "MED": 7, "EDU": 7, "HLH": 7, "BUS": 7, "ELI": 7,
          "NGO": 7, "HRI": 7, "DEV": 7, "IGO": 8}
# Feature classes/codes (GeoNames) → ACLED geo_precision: 1 the place itself (a town, a site),
# 2 near it or part of a district / a local natural feature, 3 a province, region or country.
_PRECISION_3 = {"ADM1", "ADM1H", "PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR", "CONT", "RGN",
                "RGNE", "ZN", "DSRT", "PLAT", "PLN", "SEA", "GULF", "OCN", "AREA", "MTS"}


def geo_precision(feature: str | None, has_point: bool) -> int | str:
    if not has_point:
        return ""
    if not feature:
        return 2
    if feature in _PRECISION_3:
        return 3
    if feature.startswith(("PPL", "AIRP", "MLB", "MILB", "INSM", "GASF", "OILR", "BDG", "DAM", "HSP", "PRN",
                           "CMP", "BLDG", "PT", "ST", "STNB", "FT", "CSTL", "ADMF")):
        return 1
    return 2


def inter_code(name: str | None, sector: str | None, event_type: str | None, first: bool) -> int:
    if not name:
        return 0
    if first and event_type == "Protests":
        return 6
    if first and event_type == "Riots":
        return 5
    if sector in _INTER:
        return _INTER[sector]
    # a state named as an actor ("Israel struck…") is its forces
    return 1 if countries().get(name) is not None else 3


def disorder_type(event_type: str, subtype: str | None) -> str:
    if subtype == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if event_type == "Protests" or (event_type == "Riots" and subtype != "Mob violence"):
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


def event_country(row: dict[str, Any]) -> Country | None:
    """Where it happened: the place's country, else (no place) the first actor's."""
    return countries().get(row["place_country"] or row["actor1_country"] or "")


def _unidentified(event_type: str, country: Country) -> str:
    """ACLED names a side the source does not name by its kind and country."""
    kind = {"Protests": "Protesters", "Riots": "Rioters"}.get(event_type, "Unidentified Armed Group")
    return f"{kind} ({country.acled_name})"


def acled_row(row: dict[str, Any], timestamp: datetime | None = None) -> list[Any] | None:
    """One events row in ACLED's columns, or None when it cannot be one (no ACLED type, no country
    or no date: ACLED has no such records)."""
    country = event_country(row)
    day = row["date_start"]
    if not row["acled_type"] or country is None or day is None:
        return None
    event_type = row["acled_type"]
    subtype = row["acled_subtype"] or ""
    actor1 = row["actor1"] or _unidentified(event_type, country)
    inter1 = inter_code(actor1, row["actor1_sector"], event_type, first=True)
    inter2 = inter_code(row["actor2"], row["actor2_sector"], event_type, first=False)
    interaction = int(f"{min(inter1, inter2)}{max(inter1, inter2)}") if inter2 else inter1 * 10
    civilians = inter2 == 7 or event_type == "Violence against civilians"
    has_point = row["latitude"] is not None and row["longitude"] is not None
    tags = [f"certainty={row['certainty']}"]
    if row["reported_by"]:
        tags.append(f"reported by={row['reported_by']}")
    ingested = timestamp or datetime.now()
    return [
        f"{country.iso3}{_number(row['event_id'])}", day.isoformat(), day.year,
        TIME_PRECISION.get(row["date_precision"] or "", 3), disorder_type(event_type, subtype), event_type,
        subtype, actor1, "", inter1, row["actor2"] or "", "", inter2, interaction,
        "Civilian targeting" if civilians else "", country.iso_numeric, country.acled_region,
        country.acled_name,
        row["admin1"] or "", row["admin2"] or "", "", row["place"] or "",
        round(row["latitude"], 4) if has_point else "", round(row["longitude"], 4) if has_point else "",
        geo_precision(row["place_feature"], has_point), row["outlet"] or row["source"] or "",
        # furat does not know an outlet's reach (local, national, international…)
        "Other",
        f"{row['evidence'] or ''} [furat {row['event_id']}; {'; '.join(tags)}]".strip(),
        row["fatalities"] or 0, "; ".join(tags), int(ingested.timestamp()),
    ]


def _number(event_id: str) -> int:
    """A stable number for furat's event id (ACLED ids are a country prefix and digits)."""
    return int(hashlib.sha1(event_id.encode()).hexdigest()[:12], 16) % 10**9
