"""Per-language page knowledge (chrome, article markers, bylines, date words), read from the
data files in `furat/data/ingest/`: adding a language is adding a file, not code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

_CASE_SENSITIVE = {"byline", "bio", "caption"}  # their patterns rely on capitals to find names


@dataclass(frozen=True)
class Lexicon:
    drop: list[re.Pattern[str]] = field(default_factory=list)
    end: list[re.Pattern[str]] = field(default_factory=list)
    source: list[re.Pattern[str]] = field(default_factory=list)
    byline: list[re.Pattern[str]] = field(default_factory=list)
    bio: list[re.Pattern[str]] = field(default_factory=list)
    date_prefix: re.Pattern[str] | None = None
    embedded_post: list[re.Pattern[str]] = field(default_factory=list)
    caption: list[re.Pattern[str]] = field(default_factory=list)
    outlet_words: frozenset[str] = frozenset()
    months: dict[str, str] = field(default_factory=dict)


@cache
def lexicon() -> Lexicon:
    """All languages' patterns merged (a page mixes languages, so every rule applies)."""
    merged: dict[str, list] = {}
    months: dict[str, str] = {}
    folder = resources.files("furat").joinpath("data/ingest")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        months.update(data.pop("months", {}))
        for key, values in data.items():
            merged.setdefault(key, []).extend(values)

    def compile_all(key: str) -> list[re.Pattern[str]]:
        flags = 0 if key in _CASE_SENSITIVE else re.IGNORECASE
        return [re.compile(p, flags) for p in merged.get(key, [])]

    prefixes = sorted(merged.get("date_prefix", []), key=len, reverse=True)
    return Lexicon(
        drop=compile_all("drop"),
        end=compile_all("end"),
        source=compile_all("source"),
        byline=compile_all("byline"),
        bio=compile_all("bio"),
        date_prefix=re.compile(r"^\s*(?:" + "|".join(prefixes) + r")\s*:?\s*", re.IGNORECASE)
        if prefixes
        else None,
        embedded_post=compile_all("embedded_post"),
        caption=compile_all("caption"),
        outlet_words=frozenset(w.lower() for w in merged.get("outlet_words", [])),
        months=dict(sorted(months.items(), key=lambda kv: len(kv[0]), reverse=True)),
    )


def full_match(patterns: list[re.Pattern[str]], line: str) -> re.Match[str] | None:
    for pattern in patterns:
        if m := pattern.fullmatch(line):
            return m
    return None
