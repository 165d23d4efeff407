"""Find and normalise the time expressions of a text: regex rules first, longest match wins."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from furat.model import TimeExpr
from furat.time.anchor import Anchor
from furat.time.normalize import Value, normalise, year_back
from furat.time.rules import LanguageRules, fold, load

_SENTENCE_END = re.compile(r"[.!?؟\n]\s|[\n]")
_CLAUSE_BEFORE = 70
_CLAUSE_AFTER = 40
_TRIM = " ,;:.-"
# A fixed anchor to test, once per text, whether a match can be normalised at all.
_PROBE = Anchor(dt.date(2000, 6, 15))


def _future(lang: LanguageRules, text: str, start: int, end: int) -> bool:
    """True when the clause around [start, end) speaks of the future (tense cues of the language)."""
    if lang.future is None:
        return False
    lo = max(0, start - _CLAUSE_BEFORE)
    before = text[lo:start]
    cut = None
    for m in _SENTENCE_END.finditer(before):
        cut = m.end()
    if cut is not None:
        lo += cut
    after = text[end : end + _CLAUSE_AFTER]
    m = _SENTENCE_END.search(after)
    window = text[lo:start] + " " + (after[: m.start()] if m else after)
    if lang.past is not None and lang.past.search(window):
        return False
    return bool(lang.future.search(window))


Candidate = tuple[int, int, str, tuple[tuple[str, str | None], ...]]


@lru_cache(maxsize=256)
def _candidates(lang_code: str, text: str) -> tuple[Candidate, ...]:
    """Non-overlapping rule matches (start, end, kind, groups), longest first at each place."""
    lang = load(lang_code)
    folded = fold(text).lower()
    if len(folded) != len(text):  # a rare letter whose lower case is longer: keep offsets
        folded = fold(text)
    found: list[tuple[int, int, int, str, dict[str, str | None]]] = []
    windows = _windows(folded, lang)
    for order, rule in enumerate(lang.rules):
        for lo, hi, kinds in windows:
            if rule.needs and not rule.needs & kinds:
                continue
            for m in rule.regex.finditer(folded, lo, hi):
                start, end = m.span()
                while end > start and folded[end - 1] in _TRIM:
                    end -= 1
                if end - start < 2:
                    continue
                groups = {k: (text[m.start(k) : m.end(k)] if v is not None else None)
                          for k, v in m.groupdict().items()}
                found.append((start, end, order, rule.kind, groups))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[tuple[int, int]] = []
    kept = []
    for start, end, _order, kind, groups in found:
        if any(start < e and s < end for s, e in taken):
            continue
        if lang.capitalised_names and not _capitalised(groups):
            continue
        if normalise(kind, groups, lang, _PROBE, False) is None:
            continue
        taken.append((start, end))
        kept.append((start, end, kind, tuple(groups.items())))
    kept.sort()
    return tuple(kept)


_WORD = re.compile(r"\w+")
_DIGIT = frozenset({"digit"})
_WINDOW = 48


def _windows(folded: str, lang: LanguageRules) -> list[tuple[int, int, frozenset[str]]]:
    """Merged stretches of text around trigger words (or digits), with the tables they come from.

    Scanning only these, each with the rules that can match there, costs a fraction of scanning
    the whole text with every rule (most words of a news story are not temporal).
    """
    spans: list[tuple[int, int, frozenset[str]]] = []
    triggers = lang.triggers
    for m in _WORD.finditer(folded):
        word = m.group()
        kinds = _DIGIT if word[0].isdigit() else triggers.get(word)
        if kinds is None:
            continue
        lo, hi = max(0, m.start() - _WINDOW), min(len(folded), m.end() + _WINDOW)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi, spans[-1][2] | kinds)
        else:
            spans.append((lo, hi, kinds))
    # Start each window on a space so that no match begins inside a word.
    return [(folded.rfind(" ", 0, lo) + 1 if lo else 0, hi, kinds) for lo, hi, kinds in spans]


def _capitalised(groups: dict[str, str | None]) -> bool:
    """Month and weekday names must be capitalised where the language writes them so."""
    for name in ("month", "weekday"):
        word = groups.get(name)
        if word and not word[0].isupper():
            return False
    return True


def tag(
    text: str,
    language: str | None,
    anchor: str | None,
    *,
    anchor_inferred: bool = False,
) -> list[TimeExpr]:
    """The time expressions of `text`, resolved against `anchor` (an ISO date, month or year).

    Without an anchor (or with one that was itself inferred: `anchor_inferred`), each
    expression is resolved against the latest absolute date seen so far in the text (marked
    `inferred`), or left with unknown parts when there is none yet.
    """
    code = language if language in _languages() else "en"
    lang = load(code)
    base = None if anchor_inferred else Anchor.parse(anchor)
    inferred = Anchor.parse(anchor, inferred=True) if anchor_inferred else None
    out: list[TimeExpr] = []
    quarter: str | None = None
    last_day: Anchor | None = None  # clock times belong to the day last spoken of
    for start, end, kind, items in _candidates(code, text):
        groups = dict(items)
        current = base or inferred
        future = _future(lang, text, start, end)
        ref = last_day if kind == "time" and last_day is not None else current
        value: Value | None = normalise(kind, groups, lang, ref, future, quarter)
        if value is None:
            continue
        if value.precision == "day" and kind == "date":
            last_day = Anchor.parse(value.value[:10]) or last_day
        if value.precision == "quarter" and not year_back(groups, lang):
            quarter = value.value
        out.append(TimeExpr(
            text=text[start:end], start=start, end=end, value=value.value, type=value.type,
            anchor=None if value.absolute or current is None else current.value,
            precision=value.precision,
            inferred=bool(current is not None and current.inferred and not value.absolute),
        ))
        if base is None and value.absolute and value.precision == "day":
            candidate = Anchor.parse(value.value, inferred=True)
            if candidate and (inferred is None or candidate.date > inferred.date):
                inferred = candidate
    return out


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    from furat.time.rules import available

    return frozenset(available())
