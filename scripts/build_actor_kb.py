"""Build furat's compact actor knowledge base, furat/data/actors/kb.json.gz, from ../shared/data.

Sources (each actor row keeps the name of the one it came from):
- UCDP actor list 22.1 (ids, names, alliances, location → ISO-3 through NGEC's cow2iso table);
- PETRARCH2/Phoenix actor dictionaries (Countries with roles, International, MilNonState): CAMEO
  codes give country + sector; entries that are a bare country code are skipped because their
  synonyms list cities and provinces (Kabul → AFG) which are places, not actors;
- UniversalPetrarch Arabic actor dictionary (lemmatised multi-word names);
- PETRARCH2 + UniversalPetrarch Arabic agent dictionaries (generic nouns → sector: "soldiers" → MIL),
  used by the actors stage after a demonym ("Syrian soldiers" → SYR MIL);
- country names en/fr/ar (geonames_meta iso3166 table, Natural Earth admin-0 short names from
  kb/gazetteer) and English nationalities (NGEC countries.csv).

The curated Syria/Iraq table (furat/data/actors/curated.tsv) and per-language files
(furat/data/actors/{en,fr,ar}.toml) are read at run time and win over this file.

Run: python scripts/build_actor_kb.py ../shared/data
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "furat" / "data" / "actors" / "kb.json.gz"
SECTORS = {"GOV", "MIL", "REB", "INS", "OPP", "PTY", "COP", "JUD", "SPY", "UAF", "IGO", "NGO", "CVL",
           "MED", "EDU", "BUS", "CRM", "LAB", "LEG", "ELI", "HLH", "REF", "AGR", "HRI", "RAD", "SEP",
           "DEV", "ENV", "MOD", "REL"}
PSEUDO = {"IGO": "IGO", "NGO": "NGO", "IMG": "INS", "MNC": "BUS", "UNO": "IGO"}
RECENT = 2011  # dictionary codes that ended before this year describe past roles: dropped


def _year(d: str) -> int:
    d = d.strip()
    if len(d) == 6:
        yy = int(d[:2])
        return 1900 + yy if yy > 30 else 2000 + yy
    return int(d[:4]) if d[:4].isdigit() else 0


def parse_code(code: str, isos: set[str]) -> tuple[str | None, str | None, bool] | None:
    """CAMEO code 'SYRGOVMIL 120101-180101' → (country, sector, current)."""
    parts = code.split()
    if not parts:
        return None
    c = parts[0].lstrip("~")
    current = True
    if len(parts) > 1:
        rng = parts[1]
        if "-" in rng:
            end = rng.split("-")[1]
            current = _year(end) >= RECENT or _year(end) < 1000
        elif rng.startswith("<"):
            current = _year(rng[1:]) >= RECENT
    country = sector = None
    head = c[:3]
    if head in isos:
        country, rest = head, c[3:]
    elif head in PSEUDO:
        sector, rest = PSEUDO[head], c[3:]
    else:
        rest = c
    for i in range(0, len(rest), 3):
        if rest[i : i + 3] in SECTORS:
            sector = sector or rest[i : i + 3]
            break
    return country, sector, current


def phrase(entry: str) -> str:
    """'ISLAMIC_STATE_OF_IRAQ_' → 'ISLAMIC STATE OF IRAQ' (PETRARCH joins words with _)."""
    entry = entry.split("#")[0].strip().lstrip("+").strip()
    entry = re.sub(r"\{.*?\}|!\w+!", "", entry)
    return " ".join(w for w in entry.replace("_", " ").split() if w)


def parse_petrarch_actors(path: Path, isos: set[str], lang: str) -> list[dict]:
    """Blocks of a name, '+' synonyms and [CODE] lines (inline or tab-indented)."""
    actors: list[dict] = []
    block: dict | None = None

    def close() -> None:
        if block and block["codes"]:
            cur = [c for c in block["codes"] if c[2]]
            if not cur:
                return
            country, sector, _ = cur[-1]
            if sector is None and country is not None:
                return  # a bare country code: synonyms are places (see module docstring)
            actors.append({"name": block["names"][0], "country": country, "sector": sector,
                           "aliases": {lang: block["names"]}, "source": path.name})

    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].rstrip()
        if not line.strip():
            continue
        codes = re.findall(r"\[([^\]]+)\]", line)
        text = re.sub(r"\[[^\]]*\]", "", line)
        if raw[:1] in ("\t", " ") and not text.strip():
            if block is not None:
                block["codes"] += [p for c in codes if (p := parse_code(c, isos))]
            continue
        if line.startswith("+"):
            if block is not None and (n := phrase(text)):
                block["names"].append(n)
            continue
        close()
        n = phrase(text)
        block = {"names": [n] if n else [], "codes": [p for c in codes if (p := parse_code(c, isos))]}
        if not n:
            block = None
    close()
    return actors


def parse_agents(path: Path) -> dict[str, str]:
    """Generic agent nouns → sector ('SOLDIER [~MIL]' → soldier: MIL); plural forms added."""
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0]
        m = re.search(r"\[~?([A-Z]{3,})", line)
        if not m or line.startswith("\t"):
            continue
        sector = next((m.group(1)[i : i + 3] for i in range(0, len(m.group(1)), 3)
                       if m.group(1)[i : i + 3] in SECTORS), None)
        n = phrase(re.sub(r"\[[^\]]*\]", "", line))
        if sector and n:
            out.setdefault(n.lower(), sector)
    return out


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def ucdp_actors(path: Path, cow2iso: dict[str, str], name2iso: dict[str, str]) -> list[dict]:
    """UCDP actors; a government's country comes from its name (its first location can be abroad:
    "Government of Grenada" is listed in the USA), a rebel group's from its first location."""
    rows = read_csv(path)
    out = []
    for r in rows:
        gw = [g.strip() for g in r["GWNOLoc"].split(",") if g.strip()]
        country = cow2iso.get(gw[0]) if gw else None
        is_gov = r["Org"] == "4"
        if is_gov:
            m = re.match(r"Government of (.+?)(?: \((.*)\))?$", r["NameData"])
            country = None
            if m:
                country = name2iso.get(m.group(1).lower()) or name2iso.get((m.group(2) or "").lower())
        names = [r["NameData"], r["NameOrigFullEng"], r["NameOrig"], r["NewNameFullEng"]]
        names = [n.strip() for n in names if n and n.strip() and n.strip() != "n/a"]
        if is_gov:
            m = re.match(r"Government of (.+?)(?: \(.*\))?$", r["NameData"])
            if m:
                names.append(f"{m.group(1)} government")
        out.append({"name": r["NameData"].strip(), "country": country,
                    "sector": "GOV" if is_gov else "REB", "ucdp_id": r["ActorId"],
                    "parent": (r["NameAlliance"] or r["GroupName"] or "").strip() or None,
                    "aliases": {"en": list(dict.fromkeys(names))}, "source": "ucdp-actor-221"})
    return out


def main(shared: str) -> None:
    root = Path(shared)
    names = read_csv(root / "kb/geonames_meta/iso3166_1_names_en_fr_ar.tsv", "\t")
    isos = {r["alpha_3"] for r in names}
    cow2iso: dict[str, str] = {}
    name2iso: dict[str, str] = {}
    for r in read_csv(root / "events/ngec/NGEC/assets/cow2iso.txt"):
        if r["iso3"] and r["cow_id"]:
            cow2iso[r["cow_id"]] = r["iso3"]
            for k in ("cname", "statenme"):
                name2iso.setdefault(re.sub(r" \(.*\)", "", r[k]).lower(), r["iso3"])
    for r in names:
        for k in ("name_en", "official_name_en"):
            if r[k]:
                name2iso.setdefault(r[k].lower(), r["alpha_3"])
    nationality: dict[str, list[str]] = {}
    short_name: dict[str, str] = {}  # NGEC's "Iran" rather than ISO's "Iran, Islamic Republic of"
    for r in read_csv(root / "events/ngec/NGEC/assets/countries.csv"):
        nationality[r["CCA3"]] = [n.strip() for n in r["Nationality"].split(",") if n.strip()]
        short_name[r["CCA3"]] = r["Name"].strip()

    ne: dict[str, dict[str, list[str]]] = {}  # Natural Earth short names: Syrie, سوريا, Russia
    for r in read_csv(root / "kb/gazetteer/ne_admin0_countries.tsv", "\t"):
        for iso in {r["ISO_A3"], r["ISO_A3_EH"], r["ADM0_A3"]} - {"-99"}:
            ne[iso] = {"en": [r["NAME_EN"], r["NAME"], r["NAME_LONG"]], "fr": [r["NAME_FR"]],
                       "ar": [r["NAME_AR"]]}
    countries = []
    for r in names:
        al = {lang: [v for k in (f"name_{lang}", f"official_{lang}" if lang != "en" else "official_name_en")
                     if (v := (r.get(k) or "").strip()) and "," not in v] for lang in ("en", "fr", "ar")}
        for lang, extra in ne.get(r["alpha_3"], {}).items():
            al[lang] = list(dict.fromkeys(al[lang] + [v.strip() for v in extra if v and v.strip()]))
        countries.append({"iso3": r["alpha_3"], "name": short_name.get(r["alpha_3"]) or r["name_en"],
                          "aliases": al,
                          "demonyms_en": nationality.get(r["alpha_3"], [])})

    dicts = root / "events/petrarch2/petrarch2/data/dictionaries"
    ar = root / "events/universalpetrarch/arabic_branch/UniversalPetrarch/data/dictionaries/arabic"
    actors = ucdp_actors(root / "kb/ucdp_actors/ucdp-actor-221.csv", cow2iso, name2iso)
    for f in ("Phoenix.MilNonState.actors.txt", "Phoenix.International.actors.txt",
              "Phoenix.Countries.actors.txt"):
        actors += parse_petrarch_actors(dicts / f, isos, "en")
    actors += parse_petrarch_actors(ar / "actor_dict_ar_v4.txt", isos, "ar")
    agents = {"en": parse_agents(dicts / "Phoenix.agents.txt"),
              "ar": parse_agents(ar / "agents.all.ar_v3.txt") | parse_agents(ar / "agents.all.ar.txt")}
    for a in actors:
        for lang, als in a["aliases"].items():
            a["aliases"][lang] = [x for x in dict.fromkeys(als) if len(x) > 1]
    kb = {"version": 1, "actors": actors, "countries": countries, "agents": agents}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(kb, fh, ensure_ascii=False, separators=(",", ":"))
    print(f"{len(actors)} actors, {len(countries)} countries, "
          f"{sum(map(len, agents.values()))} agent nouns → {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
