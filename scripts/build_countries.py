"""Build furat/data/geo/countries.tsv: one row per country with its ISO 3166-1 codes (alpha-2,
alpha-3, numeric), ACLED's country name and region, and its names in en/fr/ar.

furat keeps one country convention in its model (alpha-3); this table converts the gazetteer's
alpha-2 codes, resolves `--country Syria / Syrie / سوريا / SY / SYR`, and gives the ACLED export
its `country`, `iso` and `region` columns.

Sources (../shared/data/kb): geonames_meta/iso3166_1_names_en_fr_ar.tsv (codes and names),
geonames_meta/countryInfo.txt (ISO numeric), gazetteer/ne_admin0_countries.tsv (Natural Earth
short names and UN sub-regions, mapped to ACLED's regions below).

    python scripts/build_countries.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "furat/data/geo/countries.tsv"

# ACLED's country names where they differ from Natural Earth's English short name.
ACLED_NAMES = {
    "United States of America": "United States", "People's Republic of China": "China",
    "Democratic Republic of the Congo": "Democratic Republic of Congo",
    "Republic of the Congo": "Republic of Congo", "Eswatini": "eSwatini", "The Gambia": "Gambia",
    "The Bahamas": "Bahamas", "Federated States of Micronesia": "Micronesia",
    "Czechia": "Czech Republic",
}
# UN sub-region (as Natural Earth gives it) → ACLED region; exceptions by alpha-3 below.
REGIONS = {
    "Western Asia": "Middle East", "Southern Asia": "South Asia", "Central Asia": "Caucasus and Central Asia",
    "Eastern Asia": "East Asia", "South-Eastern Asia": "Southeast Asia", "Northern Africa": "Northern Africa",
    "Eastern Africa": "Eastern Africa", "Middle Africa": "Middle Africa",
    "Southern Africa": "Southern Africa",
    "Western Africa": "Western Africa", "Northern Europe": "Europe", "Southern Europe": "Europe",
    "Eastern Europe": "Europe", "Western Europe": "Europe", "Northern America": "North America",
    "Central America": "Central America", "Caribbean": "Caribbean", "South America": "South America",
    "Polynesia": "Oceania", "Micronesia": "Oceania", "Melanesia": "Oceania",
    "Australia and New Zealand": "Oceania", "Antarctica": "Antarctica",
    "Seven seas (open ocean)": "Oceania",
}
REGION_EXCEPTIONS = {
    "ARM": "Caucasus and Central Asia", "AZE": "Caucasus and Central Asia",
    "GEO": "Caucasus and Central Asia",
    "CYP": "Europe", "IRN": "Middle East", "XKX": "Europe", "SJM": "Europe", "GLP": "Caribbean",
    "MTQ": "Caribbean", "BES": "Caribbean", "GUF": "South America", "REU": "Eastern Africa",
    "MYT": "Eastern Africa", "BVT": "Antarctica", "CCK": "Oceania", "CXR": "Oceania", "TKL": "Oceania",
}
# Not in ISO 3166-1 but coded by ACLED (numeric 0 as in ACLED's data).
EXTRA = [{"alpha_2": "XK", "alpha_3": "XKX", "name_en": "Kosovo", "name_fr": "Kosovo", "name_ar": "كوسوفو",
          "official_name_en": "Republic of Kosovo", "official_fr": "", "official_ar": ""}]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def build(shared: Path) -> list[list[str]]:
    kb = shared / "data/kb"
    codes = read_tsv(kb / "geonames_meta/iso3166_1_names_en_fr_ar.tsv") + EXTRA
    info = {r["ISO3"]: r for r in read_tsv(kb / "geonames_meta/countryInfo.txt")}
    natural = {}
    for r in read_tsv(kb / "gazetteer/ne_admin0_countries.tsv"):
        code = r["ISO_A3"] if r["ISO_A3"] != "-99" else r["ISO_A3_EH"]
        # the country's own row (not an overseas territory sharing its code) comes first
        natural.setdefault(code, r)
    rows = []
    for c in codes:
        a3 = c["alpha_3"]
        ne = natural.get(a3, {})
        english = ne.get("NAME_EN") or c["name_en"]
        region = REGION_EXCEPTIONS.get(a3) or REGIONS.get(ne.get("SUBREGION", ""), "")
        aliases = {c["official_name_en"], c["official_fr"], c["official_ar"], ne.get("NAME", ""),
                   ne.get("NAME_LONG", ""), ne.get("NAME_FR", ""), ne.get("NAME_AR", ""), english}
        aliases -= {"", c["name_en"], c["name_fr"], c["name_ar"]}
        numeric = info.get(a3, {}).get("ISO-Numeric", "0")
        rows.append([c["alpha_2"], a3, str(int(numeric or 0)), ACLED_NAMES.get(english, english), region,
                     c["name_en"], c["name_fr"], c["name_ar"], "|".join(sorted(aliases))])
    return sorted(rows, key=lambda r: r[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = parser.parse_args()
    rows = build(args.shared)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["iso2", "iso3", "iso_numeric", "acled_name", "acled_region", "name_en", "name_fr",
                         "name_ar", "aliases"])
        writer.writerows(rows)
    missing = [r[1] for r in rows if not r[4]]
    print(f"{len(rows)} countries -> {OUT}; without an ACLED region: {', '.join(missing) or 'none'}")


if __name__ == "__main__":
    main()
