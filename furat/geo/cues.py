"""Per-language cue data for the geo stage, read from furat/data/geo/<lang>.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from furat.geo.normalize import fold, name_key

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "geo"


@dataclass(frozen=True)
class Cues:
    """Cue words of one language (all folded to lower case without accents)."""

    lang: str
    before: dict[tuple[str, ...], str] = field(default_factory=dict)  # token tuple -> feature hint
    after: dict[str, str] = field(default_factory=dict)
    actor_after: frozenset[tuple[str, ...]] = frozenset()
    actor_before: frozenset[tuple[str, ...]] = frozenset()
    seat_before: frozenset[tuple[str, ...]] = frozenset()  # "pression sur": a capital is its government
    actor_verbs_after: frozenset[str] = frozenset()
    actor_context: frozenset[str] = frozenset()  # one of the 3 words before: "chaîne … Al-Mayadeen"
    actor_verb_suffixes: tuple[str, ...] = ()  # "si Ankara bloquait": a verb form right after
    # "Tel-Aviv is committed": an auxiliary, then a participle with one of these endings
    actor_auxiliaries: frozenset[str] = frozenset()
    actor_participle_suffixes: tuple[str, ...] = ()
    actor_copulas: frozenset[str] = frozenset()  # "is committed": only a listed verb may follow
    conjunctions: frozenset[str] = frozenset()  # "Washington and Ankara warned": both act
    demonym_suffixes: tuple[str, ...] = ()
    stop: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()  # "province", "ville", "region": not part of a name
    residents: frozenset[str] = frozenset()  # "man", "native": a name before one is where people live
    never: frozenset[str] = frozenset()  # never a place alone, even after a cue ("البلاد")
    name_parts: frozenset[str] = frozenset()  # generic words that belong to names: "Douglas County"
    trimmable: frozenset[str] = frozenset()  # generic words trimmed off a mention: generic - name_parts
    physical: frozenset[str] = frozenset()  # "sea", "mountains": a natural feature's name
    kind_nouns: frozenset[str] = frozenset()  # "village", "localité": name a place the gazetteer lacks
    abbreviations: dict[str, str] = field(default_factory=dict)  # "Ga." -> "Georgia"
    max_before: int = 3

    def cue_before(self, tokens: list[str]) -> str | None:
        """The feature hint of the longest cue that `tokens` (the words before a name) end with."""
        for n in range(min(self.max_before, len(tokens)), 0, -1):
            hint = self.before.get(tuple(tokens[-n:]))
            if hint:
                return hint
        return None

    def names_kind(self, tokens: list[str]) -> bool:
        """Whether the words before a name say what kind of place it is, in words that only a
        place follows ("the village of", "du village", "قرية"): enough to keep a name no gazetteer
        has. A preposition ("in") or a bare "state" ("the state Legislature") is not."""
        for n in range(min(self.max_before, len(tokens)), 0, -1):
            cue = tuple(tokens[-n:])
            if self.before.get(cue):
                return any(w in self.kind_nouns for w in cue)
        return False

    def acts(self, after: list[str], capitalised: list[bool]) -> str | None:
        """How surely the words after a name make it the subject of a verb of stating or acting
        ("Washington warned", "Damascus has accused", "Washington and Ankara warned"), i.e. a
        government by metonymy: "verb" (a listed verb, after an optional auxiliary or copula),
        "form" (a verb form known by its ending: "si Ankara bloquait", "Damascus has deployed"),
        or None. `after`: folded words after the name; `capitalised`: whether each was capitalised
        (to skip the second name of a coordination)."""
        i = 0
        if after and after[0] in self.conjunctions:
            i = 1
            while i < len(after) and capitalised[i]:
                i += 1
            if i == 1:
                return None
        words = [w for w in after[i:] if not w.endswith(("ly", "ment")) and w not in ("not", "pas")]
        if not words:
            return None
        first, second = words[0], words[1] if len(words) > 1 else ""
        helper = first in self.actor_auxiliaries or first in self.actor_copulas
        if first in self.actor_verbs_after or (helper and second in self.actor_verbs_after):
            return "verb"
        if self.actor_verb_suffixes and first.endswith(self.actor_verb_suffixes):
            return "form"
        # "has deployed" is active; "was shelled" (a copula) is passive: the city is the target
        if first in self.actor_auxiliaries and bool(self.actor_participle_suffixes) and second.endswith(
                self.actor_participle_suffixes):
            return "form"
        return None

    def ends_with(self, tokens: list[str], phrases: frozenset[tuple[str, ...]]) -> bool:
        return any(tuple(tokens[-len(p):]) == p for p in phrases if len(p) <= len(tokens))

    def starts_with(self, tokens: list[str], phrases: frozenset[tuple[str, ...]]) -> bool:
        return any(tuple(tokens[: len(p)]) == p for p in phrases if len(p) <= len(tokens))


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(fold(phrase).split())


def _common_words(lang: str) -> frozenset[str]:
    """Generated list of gazetteer keys that are ordinary words (furat/data/geo/<lang>_common.txt)."""
    path = DATA_DIR / f"{lang}_common.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=8)
def load_cues(lang: str) -> Cues:
    """Cues for `lang`; a language without a file gets English cues (names are capitalised)."""
    path = DATA_DIR / f"{lang}.toml"
    if not path.exists():
        path = DATA_DIR / "en.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    before = {_words(k): v for k, v in data.get("cues", {}).items()}
    generic = frozenset(fold(w) for w in [*data.get("generic", []), *data.get("after", {})])
    name_parts = frozenset(fold(w) for w in data.get("name_parts", []))
    return Cues(
        lang=lang,
        before=before,
        after={fold(k): v for k, v in data.get("after", {}).items()},
        actor_after=frozenset(_words(p) for p in data.get("actor_after", [])),
        actor_before=frozenset(_words(p) for p in data.get("actor_before", [])),
        seat_before=frozenset(_words(p) for p in data.get("seat_before", [])),
        actor_verbs_after=frozenset(fold(w) for w in data.get("actor_verbs_after", [])),
        actor_context=frozenset(fold(w) for w in data.get("actor_context", [])),
        actor_verb_suffixes=tuple(fold(w) for w in data.get("actor_verb_suffixes", [])),
        actor_auxiliaries=frozenset(fold(w) for w in data.get("actor_auxiliaries", [])),
        actor_copulas=frozenset(fold(w) for w in data.get("actor_copulas", [])),
        actor_participle_suffixes=tuple(fold(w) for w in data.get("actor_participle_suffixes", [])),
        conjunctions=frozenset(fold(w) for w in data.get("conjunctions", [])),
        demonym_suffixes=tuple(fold(s) for s in data.get("demonym_suffixes", [])),
        stop=frozenset(name_key(w) for w in data.get("stop", [])) | _common_words(lang),
        generic=generic,
        residents=frozenset(fold(w) for w in data.get("residents", [])),
        never=frozenset(name_key(w) for w in data.get("never", [])),
        name_parts=name_parts,
        trimmable=generic - name_parts,
        physical=frozenset(fold(w) for w in data.get("physical", [])),
        kind_nouns=frozenset(fold(w) for w in data.get("kind_nouns", [])),
        abbreviations=dict(data.get("abbreviations", {})),
        max_before=max((len(k) for k in before), default=1),
    )
