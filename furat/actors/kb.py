"""The actor knowledge base as lookup tables, one set per language, built once from furat/data/actors.

Sources, by priority (the first to claim an alias keeps it): the curated Syria/Iraq table
(curated.tsv, one source per row), then kb.json.gz built by scripts/build_actor_kb.py (UCDP,
PETRARCH2/Phoenix, UniversalPetrarch Arabic, country names), then the per-language files
(en.toml, fr.toml, ar.toml: demonyms, agent nouns, capitals, locative words, short forms).
Dictionary records that share a UCDP id or their canonical name with a curated record are merged
into it, so that "ISLAMIC STATE OF IRAQ AND THE LEVANT" (PETRARCH) and "IS" (UCDP) are one actor.
"""

from __future__ import annotations

import csv
import gzip
import json
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from furat.actors import normalize
from furat.actors.normalize import is_acronym, key, phrase_key, starts_upper, surface, tokens
from furat.cache import cached

LANGS = ("en", "fr", "ar")
MAX_LEN = 10
STATE_SECTORS = {"GOV", "MIL", "COP"}


@dataclass
class Record:
    """One canonical actor."""

    name: str
    country: str | None
    sector: str | None
    ucdp_id: str | None = None
    parent: str | None = None
    allies: tuple[str, ...] = ()
    confidence: float = 0.9
    source: str = ""


@dataclass
class Alias:
    record: int
    confidence: float
    needs_cap: bool  # the first word must be capitalised in the text (single proper names)
    first: str = ""  # surface form of the alias's first word, to trim clitics off the span
    merged: bool = False  # a dictionary name merged into a curated record (often its leader's)


@dataclass
class LangTables:
    aliases: dict[tuple[str, ...], Alias] = field(default_factory=dict)
    acronyms: dict[tuple[str, ...], Alias] = field(default_factory=dict)  # raw-token keys
    demonyms: dict[tuple[str, ...], str] = field(default_factory=dict)
    agents: dict[tuple[str, ...], str] = field(default_factory=dict)
    capitals: dict[tuple[str, ...], str] = field(default_factory=dict)
    countries: dict[tuple[str, ...], str] = field(default_factory=dict)
    coref: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    locative: set[str] = field(default_factory=set)
    locative_prefixes: tuple[str, ...] = ()
    demonym_first: bool = True  # "Russian forces" (en) vs "forces russes", "القوات الروسية"
    first_words: set[str] = field(default_factory=set)  # surfaces, to keep Arabic clitics outside spans
    coref_heads: set[str] = field(default_factory=set)  # keys: a name's first word as its short form
    owner_words: set[str] = field(default_factory=set)  # "de", "of": "les forces de Damas"
    agents_qualifiers: set[str] = field(default_factory=set)  # "militaires": "les forces militaires de"


@dataclass
class KB:
    records: list[Record]
    tables: dict[str, LangTables]
    by_role: dict[tuple[str | None, str | None], int]
    country_names: dict[str, str]

    def role_record(self, country: str, sector: str | None) -> int:
        """The canonical record for "country's sector" (SYR MIL → Syrian Arab Army), made if absent."""
        k = (country, sector)
        if k not in self.by_role:
            base = self.country_names.get(country, country)
            self.records.append(Record(name=f"{base} ({sector})" if sector else base, country=country,
                                       sector=sector, source="role"))
            self.by_role[k] = len(self.records) - 1
        return self.by_role[k]


def _data_dir() -> Path:
    return Path(str(files("furat") / "data" / "actors"))


def _add(table: dict, k: tuple, value: Alias) -> None:
    if k and k not in table:
        table[k] = value


def _add_alias(t: LangTables, alias: str, rec: int, conf: float, curated: bool, merged: bool = False) -> None:
    if is_acronym(alias):
        _add(t.acronyms, tuple(tok for _, _, tok in tokens(alias)), Alias(rec, conf, False))
        return
    k = phrase_key(alias)
    if not k:
        return
    single = len(k) == 1
    arabic = any("\u0600" <= c <= "\u06ff" for c in alias)
    if not curated and single and (arabic or len(alias) <= 5):
        # One-word dictionary names without capitals to tell them apart are common words
        # (UniversalPetrarch "فتح", "حزب", "جيش"; UCDP "Arab", "Black"): only curated ones count.
        return
    # Dictionary names are written in capitals (PETRARCH) and UCDP translates names into plain
    # phrases ("The Nation"): they must be capitalised in the text; curated one-word names too.
    needs_cap = not arabic and (not curated or (single and starts_upper(alias)))
    first = surface(next(tokens(alias))[2])
    conf = conf if not single or curated else min(conf, 0.7)
    _add(t.aliases, k, Alias(rec, conf, needs_cap, first, merged))


def _read_curated(path: Path) -> list[tuple[Record, dict[str, list[str]]]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        rows = csv.reader((line for line in fh if line.strip() and not line.startswith("#")),
                          delimiter="\t")
        for r in rows:
            r += [""] * (11 - len(r))
            rec = Record(name=r[0], country=r[1] or None, sector=r[2] or None, ucdp_id=r[3] or None,
                         parent=r[4] or None, allies=tuple(a for a in r[5].split(";") if a),
                         confidence=float(r[10]) if r[10] else 0.95, source=r[9])
            out.append((rec, {lang: [a.strip() for a in col.split("|") if a.strip()]
                              for lang, col in zip(LANGS, r[6:9], strict=True)}))
    return out


@lru_cache(maxsize=2)
def load_kb(data_dir: str | None = None) -> KB:
    """Every lookup table: built (about a second) or, when neither the data files nor this code
    changed since, read from the user's cache folder (~0.1 s; furat.cache)."""
    d = Path(data_dir) if data_dir else _data_dir()
    sources = [*sorted(p for p in d.iterdir() if p.is_file()), Path(__file__), Path(normalize.__file__)]
    return cached("actor-kb", sources, lambda: _build_kb(d))


def _build_kb(d: Path) -> KB:
    with gzip.open(d / "kb.json.gz", "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    tables = {lang: LangTables() for lang in LANGS}
    records: list[Record] = []
    by_ucdp: dict[str, int] = {}
    by_name: dict[tuple[str, ...], int] = {}

    for rec, aliases in _read_curated(d / "curated.tsv"):
        records.append(rec)
        i = len(records) - 1
        if rec.ucdp_id:
            by_ucdp[rec.ucdp_id] = i
        for lang, als in aliases.items():
            for a in [rec.name] * (lang == "en") + als:
                _add_alias(tables[lang], a, i, rec.confidence, True)
                by_name.setdefault(phrase_key(a), i)
            if lang == "en":  # English proper names are used as such in French texts
                for a in als:
                    if a[:1].isupper():
                        _add_alias(tables["fr"], a, i, rec.confidence, True)

    for a in raw["actors"]:
        names = [n for als in a["aliases"].values() for n in als]
        i = by_ucdp.get(a.get("ucdp_id") or "") if a.get("ucdp_id") else None
        if i is None and names:
            k = phrase_key(names[0])
            i = by_name.get(k) or by_name.get(k[1:] if k[:1] == ("the",) else ())
        merged = i is not None
        if i is None:
            conf = 0.9 if a["source"].startswith("ucdp") else 0.85
            records.append(Record(name=a["name"].title() if a["name"].isupper() else a["name"],
                                  country=a["country"], sector=a["sector"], ucdp_id=a.get("ucdp_id"),
                                  parent=a.get("parent"), confidence=conf, source=a["source"]))
            i = len(records) - 1
        conf = records[i].confidence
        for lang, als in a["aliases"].items():
            for al in als:
                _add_alias(tables[lang], al, i, conf, False, merged)
                if lang == "en":
                    _add_alias(tables["fr"], al, i, conf, False, merged)

    by_role: dict[tuple[str | None, str | None], int] = {}
    for i, r in enumerate(records):  # "Syrian army" → the state's own record; rebels stay generic
        if r.country and r.sector in STATE_SECTORS and (r.source.startswith(("http", "UCDP", "ucdp"))):
            by_role.setdefault((r.country, r.sector), i)
    country_names = {c["iso3"]: c["name"] for c in raw["countries"]}

    for c in raw["countries"]:
        for lang in LANGS:
            for n in c["aliases"].get(lang, []):
                tables[lang].countries.setdefault(phrase_key(n), c["iso3"])
                if n.strip():
                    tables[lang].first_words.add(surface(next(tokens(n))[2]))
        for dem in c.get("demonyms_en", []):
            tables["en"].demonyms.setdefault(phrase_key(dem), c["iso3"])
    for lang in ("en", "ar"):
        for noun, sector in raw["agents"].get(lang, {}).items():
            tables[lang].agents.setdefault(phrase_key(noun), sector)
    for lang in LANGS:
        t = tables[lang]
        conf = tomllib.loads((d / f"{lang}.toml").read_text(encoding="utf-8"))
        for section in ("agents", "capitals", "countries", "coref"):
            t.first_words.update(surface(next(tokens(f))[2]) for f in conf.get(section, {}) if f.strip())
        for form, iso in conf.get("demonyms", {}).items():
            if iso:
                t.demonyms[phrase_key(form)] = iso
        for form, sector in conf.get("agents", {}).items():
            t.agents[phrase_key(form)] = sector
        for form, iso in conf.get("capitals", {}).items():
            if iso:
                t.capitals[phrase_key(form)] = iso
        for form, iso in conf.get("countries", {}).items():
            t.countries[phrase_key(form)] = iso
        for form, sectors in conf.get("coref", {}).items():
            t.coref[phrase_key(form)] = tuple(sectors)
        t.coref_heads = {key(w) for w in conf.get("short_forms", {}).get("heads", [])}
        by_capital = conf.get("forces_of_capital", {})
        t.owner_words = {key(w) for w in by_capital.get("owner_words", [])}
        t.agents_qualifiers = {key(w) for w in by_capital.get("qualifiers", [])}
        loc = conf.get("locative", {})
        t.locative = {k for w in loc.get("words", []) for k in phrase_key(w)}
        t.locative_prefixes = tuple(loc.get("prefixes", []))
        t.demonym_first = lang == "en"
        for k in t.demonyms:  # a demonym alone is not an actor name
            t.aliases.pop(k, None)
    return KB(records=records, tables=tables, by_role=by_role, country_names=country_names)
