"""Dictionary taggers that fill what the statistical models miss: weapons and armed groups.

Weapons come from furat/data/entities/weapons.tsv plus one pattern for model designations
(Su-35, MiG-29, F-16, T-72, MQ-9…); armed groups are the actor knowledge base's mentions whose
sector is an armed one (MIL, REB, INS, UAF), found by the actors' own resolver so both stages
agree on names; over a whole document, the resolver's mentions are cached and the actors stage
reuses them instead of matching the text a second time.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from furat.actors.normalize import key, phrase_key, surface, tokens
from furat.actors.resolve import Mention, Resolver, shared_resolver

ARMED_SECTORS = {"MIL", "REB", "INS", "UAF"}
# Military model designations: letters, a hyphen, digits ("Su-35", "MiG-29", "F-16", "Mi-24").
_DESIGNATION = re.compile(
    r"\b(?:Su|MiG|Mi|Mil|Ka|Tu|Il|F|B|A|AH|UH|CH|MQ|RQ|T|BMP|BTR|BM|S|M)-\d{1,3}[A-Z]?\b")
_BOUND = r"(?<![\w-]){}({})(?![\w-])"


@lru_cache(maxsize=1)
def _weapon_patterns(path: str | None = None) -> dict[str, list[tuple[re.Pattern, str]]]:
    p = Path(path) if path else Path(str(files("furat") / "data" / "entities" / "weapons.tsv"))
    rows: dict[str, list[tuple[str, str]]] = {"en": [], "fr": [], "ar": []}
    with open(p, encoding="utf-8") as fh:
        for r in csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t"):
            term, label, langs = r[0], r[1], r[2]
            for lang in rows if langs == "any" else langs.split(","):
                rows[lang].append((term, label))
    out: dict[str, list[tuple[re.Pattern, str]]] = {}
    for lang, terms in rows.items():
        pats = []
        for label in ("WEAPON", "MIL_PLATFORM"):
            ts = sorted({t for t, lab in terms if lab == label}, key=len, reverse=True)
            exact = [re.escape(t) for t in ts if any(c.isdigit() for c in t) or t.isupper()]
            loose = [re.escape(t) for t in ts if t not in exact and re.escape(t) not in exact]
            # Arabic words may carry a clitic (و, ب, ل, ال): outside the span.
            prefix = r"(?:وال|بال|ال|[وبل])?" if lang == "ar" else ""
            if exact:
                pats.append((re.compile(_BOUND.format(prefix, "|".join(exact))), label))
            if loose:
                pats.append((re.compile(_BOUND.format(prefix, "|".join(loose)), re.IGNORECASE), label))
        out[lang] = pats
    return out


_DESIGNATION_LABEL = {"S": "WEAPON", "BM": "WEAPON"}  # S-400, BM-21 are weapons; other designations platforms


def weapons(text: str, lang: str) -> list[tuple[int, int, str]]:
    spans = []
    for pat, label in _weapon_patterns().get(lang, []):
        spans += [(m.start(1), m.end(1), label) for m in pat.finditer(text)]
    for m in _DESIGNATION.finditer(text):
        spans.append((m.start(), m.end(), _DESIGNATION_LABEL.get(m.group().split("-")[0], "MIL_PLATFORM")))
    return spans


def _armed(r: Resolver, mentions: list[Mention]) -> list[tuple[int, int, str]]:
    out = []
    for m in mentions:
        # one-word dictionary names (confidence 0.7: "جيش", "دفاع") are too generic for NER
        if m.how in ("alias", "acronym", "defined-acronym", "demonym+agent") and m.confidence >= 0.8 \
                and r.kb.records[m.record].sector in ARMED_SECTORS:
            out.append((m.start, m.end, "ARMED_GROUP"))
    return out


def armed_groups(text: str, lang: str) -> list[tuple[int, int, str]]:
    """Armed-group spans of one text on its own (not cached)."""
    r = shared_resolver()
    return _armed(r, r.find(text, lang))


def document_armed_groups(text: str, segments: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Armed-group spans of a document given its (start, end, language) paragraphs, offsets into
    `text`; the resolver's mentions stay cached for the actors stage."""
    r = shared_resolver()
    return _armed(r, r.find_document(text, segments))


@lru_cache(maxsize=1)
def _arabic_places() -> dict[tuple[str, ...], str]:
    """Place-name keys → surface of the first word (built by scripts/build_ner_gazetteer.py)."""
    path = Path(str(files("furat") / "data" / "entities" / "ar_places.txt"))
    out: dict[tuple[str, ...], str] = {}
    for name in path.read_text(encoding="utf-8").splitlines():
        k = phrase_key(name)
        if k:
            out.setdefault(k, surface(next(tokens(name))[2]))
    return out


def arabic_places(text: str) -> list[tuple[int, int, str]]:
    """Longest-match Arabic place names (LOC), clitics (و, ب, ل…) left outside the span."""
    places = _arabic_places()
    toks = list(tokens(text))
    keys = [key(t[2]) for t in toks]
    out, i = [], 0
    while i < len(toks):
        for n in range(min(4, len(toks) - i), 0, -1):
            first = places.get(tuple(keys[i : i + n]))
            if first is not None:
                start = toks[i][0] + Resolver._clitic_len(toks[i][2], first)
                out.append((start, toks[i + n - 1][1], "LOC"))
                i += n
                break
        else:
            i += 1
    return out
