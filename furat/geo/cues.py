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
    actor_verbs_after: frozenset[str] = frozenset()
    actor_context: frozenset[str] = frozenset()  # one of the 3 words before: "chaîne … Al-Mayadeen"
    actor_verb_suffixes: tuple[str, ...] = ()  # "Washington violently installed": a verb after
    demonym_suffixes: tuple[str, ...] = ()
    stop: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()  # "province", "ville", "region": not part of a name
    abbreviations: dict[str, str] = field(default_factory=dict)  # "Ga." -> "Georgia"
    max_before: int = 3

    def cue_before(self, tokens: list[str]) -> str | None:
        """The feature hint of the longest cue that `tokens` (the words before a name) end with."""
        for n in range(min(self.max_before, len(tokens)), 0, -1):
            hint = self.before.get(tuple(tokens[-n:]))
            if hint:
                return hint
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
    return Cues(
        lang=lang,
        before=before,
        after={fold(k): v for k, v in data.get("after", {}).items()},
        actor_after=frozenset(_words(p) for p in data.get("actor_after", [])),
        actor_before=frozenset(_words(p) for p in data.get("actor_before", [])),
        actor_verbs_after=frozenset(fold(w) for w in data.get("actor_verbs_after", [])),
        actor_context=frozenset(fold(w) for w in data.get("actor_context", [])),
        actor_verb_suffixes=tuple(fold(w) for w in data.get("actor_verb_suffixes", [])),
        demonym_suffixes=tuple(fold(s) for s in data.get("demonym_suffixes", [])),
        stop=frozenset(name_key(w) for w in data.get("stop", [])) | _common_words(lang),
        generic=frozenset(fold(w) for w in data.get("generic", [])) | frozenset(
            fold(k) for k in data.get("after", {})),
        abbreviations=dict(data.get("abbreviations", {})),
        max_before=max((len(k) for k in before), default=1),
    )
