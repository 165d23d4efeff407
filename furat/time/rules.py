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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

# One-to-one character folds (offsets stay valid): Arabic letter variants and Eastern Arabic /
# Persian digits, so that the tables need one spelling only.
_FOLD_FROM = "أإآٱىة٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹’"
_FOLD_TO = "اااايه01234567890123456789'"
_FOLD_MAP = dict(zip(_FOLD_FROM, _FOLD_TO, strict=True))
_FOLD_RE = re.compile(f"[{re.escape(_FOLD_FROM)}]")


def fold(text: str) -> str:
    """Fold `text` for matching without changing its length.

    A regex substitution rather than `str.translate`: translate looks every character of a
    non-ASCII text up in a dict (0.5 ms for a French article), the regex scans in C and calls
    back only on the few characters to fold.
    """
    return _FOLD_RE.sub(_fold_char, text)


def _fold_char(m: re.Match[str]) -> str:
    return _FOLD_MAP[m.group()]


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """The lookup form of a matched word or phrase (cached: the same few words recur)."""
    return _SPACES.sub(" ", fold(text).lower().strip(" .-"))


_TRIGGER_TABLES = ("months", "weekdays", "units", "plurals", "duals", "seasons", "deictic", "refs",
                   "sets", "hijri_months", "dayparts", "sameday")


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
    year_scope: re.Pattern[str] | None = None
    quarter_scope: re.Pattern[str] | None = None
    range_to: re.Pattern[str] | None = None  # "until" between two days: the act began on the first
    recent: re.Pattern[str] | None = None  # "the past 24 hours": a span of hours that ends now
    options: dict[str, Any] = field(default_factory=dict)
    triggers: dict[str, frozenset[str]] = field(default_factory=dict)
    trigger_regex: re.Pattern[str] | None = None
    proclitics: tuple[str, ...] = ()
    _token_kinds: dict[str, frozenset[str]] = field(default_factory=dict)

    def trigger_kinds(self, token: str) -> frozenset[str]:
        """The tables of a trigger token, over every way of reading it as proclitics + word
        ("باليوم": ب + اليوم, today, and بال + يوم, a unit)."""
        kinds = self._token_kinds.get(token)
        if kinds is None:
            found: set[str] = set()
            for i in range(len(token)):
                word = token[i:]
                if word in self.triggers and _proclitics_only(token[:i], self.proclitics, 2):
                    found |= self.triggers[word]
            kinds = self._token_kinds[token] = frozenset(found)
        return kinds

    def lookup(self, table: str, text: str | None) -> Any:
        """The value of `text` in `table`, or None."""
        if text is None:
            return None
        return self.tables.get(table, {}).get(key(text))


def _proclitics_only(prefix: str, proclitics: tuple[str, ...], most: int) -> bool:
    """True when `prefix` is a run of at most `most` proclitics."""
    if not prefix:
        return True
    return most > 0 and any(prefix.startswith(p) and _proclitics_only(prefix[len(p):], proclitics, most - 1)
                            for p in proclitics)


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, longest first, written as a trie.

    Python's `re` tries the branches of an alternation one by one at every position; a trie
    (one branch per first letter, and so on) tries a handful. At each node the longer
    continuations come before the end of a shorter word, so the match preferred is the same as
    with a flat alternation sorted longest first. A space matches any run of white space.
    """
    trie: dict[str, Any] = {}
    for w in {key(w) for w in words}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [(r"\s+" if ch == " " else re.escape(ch)) + _trie_regex(child)
                for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word ends here: the longer ones were tried first
        return f"(?:{body})?"
    return body


def _expand(pattern: str, tables: dict[str, dict[str, Any]]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        return _alternation(tables[name]) if name in tables else m.group(0)

    return re.sub(r"\{([a-z_]+)\}", sub, pattern)


def _needs(pattern: str, triggers: dict[str, frozenset[str]]) -> frozenset[str]:
    """Trigger tables a rule may rest on: its placeholders, literal trigger words, digits."""
    needs = {n for n in re.findall(r"\{([a-z_]+)\}", pattern) if n in _TRIGGER_TABLES}
    literal = re.sub(r"\(\?P<\w+>|\{[a-z_]+\}|\\[a-zA-Z]", " ", pattern)  # not group names, \d, \s…
    for word in re.findall(r"\w+", fold(literal).lower()):
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
    # A phrase is triggered by one of its words that is a table word itself ("dans la nuit" by
    # "nuit", "for now" by "now": rarer than "dans", "for"), else by its longest word.
    single = {k for name in _TRIGGER_TABLES for k in tables.get(name, {}) if re.fullmatch(r"\w+", k)}
    words: dict[str, set[str]] = {}
    for name in _TRIGGER_TABLES:
        for k in tables.get(name, {}):
            parts = re.findall(r"\w+", k)
            if parts:
                own = [w for w in parts if w in single]
                words.setdefault(max(own or parts, key=len), set()).add(name)
    triggers = {w: frozenset(names) for w, names in words.items()}
    # One regex finds the trigger words (a word may carry up to two proclitics, Arabic و ب ل ال…)
    # and the tokens that start with a digit.
    proclitics = [fold(p) for p in data.get("proclitics", [])]
    prefix = f"(?:{_alternation(proclitics)}){{0,2}}?" if proclitics else ""
    trigger_regex = re.compile(rf"(?<!\w)(?:{prefix}(?P<w>{_alternation(triggers)})(?!\w)|\d\w*)")
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
        year_scope=_cues(data.get("year_scope_cues", [])),
        quarter_scope=_cues(data.get("quarter_scope_cues", [])),
        range_to=_cues(data.get("range_to_cues", [])),
        recent=_cues(data.get("recent_cues", [])),
        options={k: v for k, v in data.items() if not isinstance(v, dict | list)},
        triggers=triggers,
        trigger_regex=trigger_regex,
        proclitics=tuple(proclitics),
    )


def available() -> list[str]:
    """Languages that have a rule file."""
    root = resources.files("furat").joinpath("data/time")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))
