"""Per-language time rules, loaded from `furat/data/time/<lang>.toml` and compiled once.

The layout follows HeidelTime's resources: normalisation tables (month names, weekdays, units,
number words…) and extraction rules whose patterns name their parts (`year`, `month`, `weekday`,
`unit`…); one generic normaliser reads those named parts, so adding a language is adding a file.
Hand-written regexes rather than `dateparser.search.search_dates`: the latter is ~100x slower and
finds neither durations, weekdays resolved by tense, nor TIMEX3 values (see docs/time.md).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

# One-to-one character folds (offsets stay valid): Arabic letter variants and Eastern Arabic /
# Persian digits, so that the tables need one spelling only.
_FOLD = str.maketrans(
    "أإآٱىة٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹’",
    "اااايه01234567890123456789'",
)


def fold(text: str) -> str:
    """Fold `text` for matching without changing its length."""
    return text.translate(_FOLD)


def key(text: str) -> str:
    """The lookup form of a matched word or phrase."""
    return re.sub(r"\s+", " ", fold(text).lower().strip(" .-"))


_TRIGGER_TABLES = ("months", "weekdays", "units", "plurals", "duals", "seasons", "deictic", "refs",
                   "sets", "hijri_months", "dayparts")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    regex: re.Pattern[str]
    needs: frozenset[str] = frozenset()  # trigger tables (or "digit") one of which a match holds


@dataclass
class LanguageRules:
    """Everything the recogniser and normaliser know about one language."""

    code: str
    tables: dict[str, dict[str, Any]]
    rules: list[Rule]
    numeric_order: str = "DMY"
    capitalised_names: bool = False
    future: re.Pattern[str] | None = None
    past: re.Pattern[str] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    triggers: dict[str, frozenset[str]] = field(default_factory=dict)

    def lookup(self, table: str, text: str | None) -> Any:
        """The value of `text` in `table`, or None."""
        if text is None:
            return None
        return self.tables.get(table, {}).get(key(text))


def _alternation(words: dict[str, Any]) -> str:
    alts = sorted({key(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts) + ")"


def _expand(pattern: str, tables: dict[str, dict[str, Any]]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        return _alternation(tables[name]) if name in tables else m.group(0)

    return re.sub(r"\{([a-z_]+)\}", sub, pattern)


def _needs(pattern: str, triggers: dict[str, frozenset[str]]) -> frozenset[str]:
    """Trigger tables a rule may rest on: its placeholders, literal trigger words, digits."""
    needs = {n for n in re.findall(r"\{([a-z_]+)\}", pattern) if n in _TRIGGER_TABLES}
    for word in re.findall(r"\w+", fold(pattern).lower()):
        needs.update(triggers.get(word, ()))
    if r"\d" in pattern:
        needs.add("digit")
    return frozenset(needs)


def _cues(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


@cache
def load(code: str) -> LanguageRules:
    """The compiled rules of language `code` (cached: loaded once per process)."""
    path = resources.files("furat").joinpath(f"data/time/{code}.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    tables = {
        name: {key(k): v for k, v in value.items()}
        for name, value in data.items()
        if isinstance(value, dict)
    }
    # Words written with a prefix that must not stop a word-boundary match (Arabic proclitics).
    start = data.get("token_start", r"(?<!\w)")
    # Every rule needs a word of a trigger table (or a digit): only windows around them are
    # scanned, and only by the rules that can match there.
    words: dict[str, set[str]] = {}
    for name in _TRIGGER_TABLES:
        for k in tables.get(name, {}):
            if re.search(r"\w", k):
                words.setdefault(max(re.findall(r"\w+", k), key=len), set()).add(name)
    # Words may carry a proclitic (Arabic و ب ل ال…): the prefixed forms trigger too.
    for p in [fold(p) for p in data.get("proclitics", [])]:
        for w, names in list(words.items()):
            words.setdefault(p + w, set()).update(names)
    triggers = {w: frozenset(names) for w, names in words.items()}
    rules = [
        Rule(r["name"], r["kind"], re.compile(start + fold(_expand(r["pattern"], tables))),
             _needs(r["pattern"], triggers))
        for r in data.get("rule", [])
    ]
    return LanguageRules(
        code=code,
        tables=tables,
        rules=rules,
        numeric_order=data.get("numeric_date_order", "DMY"),
        capitalised_names=bool(data.get("capitalised_names", False)),
        future=_cues(data.get("future_cues", [])),
        past=_cues(data.get("past_cues", [])),
        options={k: v for k, v in data.items() if not isinstance(v, dict | list)},
        triggers=triggers,
    )


def available() -> list[str]:
    """Languages that have a rule file."""
    root = resources.files("furat").joinpath("data/time")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))
