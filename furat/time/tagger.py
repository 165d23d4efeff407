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
# Sentence ends for tense cues: not after an initial or a common abbreviation ("a.m.", "Mr.").
_CUE_END = re.compile(r"(?<!\b\w)(?<!\b[ap]\.m)(?<!\bMrs)(?<!\bMr)(?<!\bDr)(?<!\bGen)(?<!\bSen)(?<!\bSt)"
                      r"[.!?؟]\s|\n")
_QUOTE = re.compile("''|[\"”»]")
_CLAUSE_BEFORE = 70
_CLAUSE_AFTER = 40
_TRIM = " ,;:.-"
# A fixed anchor to test, once per text, whether a match can be normalised at all.
_PROBE = Anchor(dt.date(2000, 6, 15))


def _future(lang: LanguageRules, text: str, start: int, end: int) -> bool:
    """True when the clause around [start, end) speaks of the future.

    The tense cue of the language nearest the expression decides ("said Monday it will…" is
    past, "will meet Bush on Thursday" future); the clause is cut at sentence ends.
    """
    if lang.future is None:
        return False
    lo = max(0, start - _CLAUSE_BEFORE)
    for m in _CUE_END.finditer(text, lo, start):
        lo = m.end()
    hi = min(len(text), end + _CLAUSE_AFTER)
    m = _CUE_END.search(text, end, hi)
    if m:
        hi = m.start()
    before, after = text[lo:start], text[end:hi]
    best: tuple[int, bool] | None = None
    for cues, future in ((lang.future, True), (lang.past, False)):
        if cues is None:
            continue
        for m in cues.finditer(before):
            d = len(before) - m.end()
            if best is None or d < best[0]:
                best = (d, future)
        m = cues.search(after)
        # "…,'' Castro said": a reporting verb after a quotation does not date what was said.
        if m and not future and _QUOTE.search(after, 0, m.start()):
            m = None
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), future)
    return bool(best and best[1])


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence holding [start, end)."""
    lo = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 300), start):
        lo = m.end()
    m = _SENTENCE_END.search(text, end)
    return lo, m.start() if m else len(text)


def _year_scope(lang: LanguageRules, text: str, start: int, end: int) -> bool:
    """True when the sentence of [start, end) speaks of a year-long period and not of a quarter."""
    if lang.year_scope is None:
        return False
    lo, hi = _sentence(text, start, end)
    rest = text[lo:start] + " " + text[end:hi]
    return bool(lang.year_scope.search(rest)) and not (lang.quarter_scope and lang.quarter_scope.search(rest))


Candidate = tuple[int, int, str, tuple[tuple[str, str | None], ...]]


@lru_cache(maxsize=256)
def _candidates(lang_code: str, text: str) -> tuple[Candidate, ...]:
    """Non-overlapping rule matches (start, end, kind, groups), longest first at each place."""
    lang = load(lang_code)
    folded = fold(text).lower()
    if len(folded) != len(text):  # a rare letter whose lower case is longer: keep offsets
        folded = fold(text)
    found: list[tuple[int, int, int, str, dict[str, str | None]]] = []
    hits = _triggers(folded, lang)
    by_needs: dict[frozenset[str], list[tuple[int, int]]] = {}
    group_index = [tuple(rule.regex.groupindex.items()) for rule in lang.rules]
    for order, rule in enumerate(lang.rules):
        windows = by_needs.get(rule.needs)
        if windows is None:
            windows = by_needs[rule.needs] = _windows(folded, hits, rule.needs)
        for lo, hi in windows:
            for m in rule.regex.finditer(folded, lo, hi):
                start, end = m.span()
                while end > start and folded[end - 1] in _TRIM:
                    end -= 1
                if end - start < 2:
                    continue
                # Only the parts that matched (absent ones read as None through .get).
                spans = m.regs
                groups = {name: text[spans[i][0] : spans[i][1]] for name, i in group_index[order]
                          if spans[i][0] >= 0}
                found.append((start, end, order, rule.kind, groups))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken = bytearray(len(text))  # 1 where a kept match lies
    kept = []
    for start, end, _order, kind, groups in found:
        if taken.find(1, start, end) >= 0:
            continue
        if lang.capitalised_names and not _capitalised(groups):
            continue
        if normalise(kind, groups, lang, _PROBE, False) is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((start, end, kind, tuple(groups.items())))
    kept.sort()
    return tuple(kept)


_DIGIT = frozenset({"digit"})
# Reach of a window on each side of its trigger word; the longest prefix or suffix of a match
# in the TimeML corpora is 21 characters ("the next twenty four hours").
_WINDOW = 32


def _triggers(folded: str, lang: LanguageRules) -> list[tuple[int, int, frozenset[str]]]:
    """Stretches of text around each trigger word (or digit), with the tables it comes from."""
    triggers = lang.triggers
    size = len(folded)
    out = []
    for m in lang.trigger_regex.finditer(folded):  # type: ignore[union-attr]
        word = m.group("w")
        if word is None:
            kinds = _DIGIT
        elif lang.proclitics:  # a word may carry proclitics: every reading of it counts
            kinds = lang.trigger_kinds(m.group())
        else:
            kinds = triggers[word]
        out.append((max(0, m.start() - _WINDOW), min(size, m.end() + _WINDOW), kinds))
    return out


def _windows(
    folded: str, hits: list[tuple[int, int, frozenset[str]]], needs: frozenset[str],
) -> list[tuple[int, int]]:
    """Merged stretches around the trigger words of the tables a rule needs (any when none).

    Scanning only these with each rule costs a fraction of scanning the whole text with every
    rule: most words of a news story are not temporal, and a rule for weekdays has nothing to
    find around a year.
    """
    spans: list[tuple[int, int]] = []
    for lo, hi, kinds in hits:
        if needs and not needs & kinds:
            continue
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    # Start and end each window on a space: no match may begin inside a word, nor end inside one
    # (the end of the scanned stretch counts as a word boundary for the rules).
    out = []
    for lo, hi in spans:
        end = folded.find(" ", hi)
        out.append((folded.rfind(" ", 0, lo) + 1 if lo else 0, len(folded) if end < 0 else end))
    return out


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
    last_day: str | None = None,
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
    # clock times and "the same day" belong to the day last spoken of (`last_day`: in the paragraphs
    # before this text)
    day_told: Anchor | None = Anchor.parse(last_day)
    for start, end, kind, items in _candidates(code, text):
        groups = dict(items)
        current = base or inferred
        own_day = groups.get("weekday") or groups.get("month")
        # Tense only matters for weekdays and months named without a year: read it only then.
        future = bool(own_day) and _future(lang, text, start, end)
        ref = day_told if kind in ("time", "sameday") and day_told is not None and not own_day else current
        in_quarter = None
        if quarter and kind == "date" and year_back(groups, lang) and not _year_scope(lang, text, start, end):
            in_quarter = quarter
        value: Value | None = normalise(kind, groups, lang, ref, future, in_quarter)
        if value is None:
            continue
        if (value.precision == "day" and kind in ("date", "sameday")) or (kind == "time" and own_day):
            day_told = Anchor.parse(value.value[:10]) or day_told
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
