"""The time expression that governs a span: what later stages use to date an event or a claim.

Nearest expression in the same sentence (same clause first), else the last one of the previous
sentence, else the publication date (marked inferred: the text does not say when).
"""

from __future__ import annotations

import re

from furat.model import Document, TimeExpr
from furat.time.rules import available, fold, load

_SENTENCE = re.compile(r"[.!?؟]+[\"'»”)]*\s+|\n+")
_CLAUSE = re.compile(r"[,;:،؛]")
# Expressions that say how long, how often or "now" do not date an event.
_DATING = ("DATE", "TIME")
# A report tells of what happened on its day or in the few days before (news lag): the events stage
# (one act told by a report and by its toll) and the linker (an undated report's period) both use it.
REPORT_LAG_DAYS = 3


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence holding [start, end)."""
    lo = 0
    for m in _SENTENCE.finditer(text, 0, start):
        lo = m.end()
    m = _SENTENCE.search(text, end)
    return lo, (m.start() if m else len(text))


def _dating(t: TimeExpr) -> bool:
    return t.type in _DATING and bool(t.value) and not (t.value or "").endswith("_REF")


def governing_time(doc: Document, start: int, end: int | None = None,
                   paragraph: bool = False) -> TimeExpr | None:
    """The time expression governing the span [start, end) of `doc.text` (see module doc); with
    `paragraph`, the last one told earlier in the same paragraph stands before the publication date.

    Falls back on a synthetic expression for the publication date with `inferred=True`; None
    when the document has no date at all.
    """
    end = start if end is None else end
    times = [d for t in doc.times if (d := t if _dating(t) else _recent_hours(doc, t)) is not None
             and not _dateline(doc, d)]
    lo, hi = sentence_bounds(doc.text, start, end)
    same = [t for t in times if lo <= t.start and t.end <= hi]
    if same:
        def distance(t: TimeExpr) -> tuple[int, int]:
            between = doc.text[min(t.end, end) : max(t.start, start)]
            clauses = len(_CLAUSE.findall(between)) if t.end <= start or t.start >= end else 0
            return clauses, min(abs(t.start - end), abs(start - t.end))

        best = min(same, key=distance)
        return _range_start(doc, best, same) or best
    previous = [t for t in times if t.end <= lo]
    if previous:
        plo, _ = sentence_bounds(doc.text, previous[-1].start, previous[-1].end)
        prev_lo, _ = sentence_bounds(doc.text, max(lo - 1, 0), max(lo - 1, 0))
        if plo >= prev_lo:
            return previous[-1]
        holder = next((p for p in doc.paragraphs if p.start <= start < p.end), None) if paragraph else None
        if holder is not None and previous[-1].start >= holder.start:
            return previous[-1]
    if doc.published:
        return TimeExpr(text="", start=start, end=start, value=doc.published, type="DATE",
                        anchor=doc.published, precision=doc.published_precision, inferred=True)
    return None


_HOURS = re.compile(r"PT(\d+)H")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
RECENT_HOURS = 48  # "the past 24 / 48 hours" tell of the report's day; "the past 72 hours" of days


def _recent_hours(doc: Document, t: TimeExpr) -> TimeExpr | None:
    """"Over the past 24 hours", "خلال الساعات الـ24 الماضية": a span of a day or two that ends when
    the report is written dates what happened in it by the report's day. None for other durations."""
    hours = _HOURS.fullmatch(t.value or "") if t.type == "DURATION" else None
    day = (t.anchor or doc.published or "")[:10]
    if hours is None or not 0 < int(hours.group(1)) <= RECENT_HOURS or not _DAY.fullmatch(day):
        return None
    lang = _language_at(doc, t.start)
    cue = load(lang).recent if lang in available() else None
    if cue is None or not cue.search(fold(doc.text[max(0, t.start - 20):t.end])):
        return None
    return t.model_copy(update={"value": day, "type": "DATE", "precision": "day"})


_DATELINE_END = re.compile(r"\s*(?:\)\s*)?[-–—]")
DATELINE_CHARS = 60


def _dateline(doc: Document, t: TimeExpr) -> bool:
    """A date in the dateline that opens the text ("العراق (العالم) - 08/08/2017 - أعلنت…", "TRIPOLI,
    April 7 — Forces of…") dates the report, not what it tells."""
    return (t.start <= DATELINE_CHARS and bool(doc.published) and (t.value or "")[:10] == doc.published
            and not re.search(r"[.!?؟\n]", doc.text[:t.start]) and bool(_DATELINE_END.match(doc.text, t.end)))


def _language_at(doc: Document, offset: int) -> str | None:
    holder = next((p for p in doc.paragraphs if p.start <= offset < p.end), None)
    return (holder.language if holder is not None else None) or doc.language


def _range_start(doc: Document, t: TimeExpr, same: list[TimeExpr]) -> TimeExpr | None:
    """The first day of a range whose last day is `t` ("ليل الأربعاء وحتى صباح اليوم الخميس",
    "from Wednesday night until Thursday"): an act told over a night or a span began on its first
    day. None when `t` ends no range."""
    # the day before "until", skipping the words of `t`'s own day ("صباح اليوم الخميس")
    before = [u for u in same if u.end <= t.start and t.start - u.end <= 30 and u.value != t.value]
    if not before:
        return None
    u = before[-1]
    lang = _language_at(doc, t.start)
    if lang not in available():
        return None
    cue = load(lang).range_to
    return u if cue is not None and cue.search(fold(doc.text[u.end:t.start])) else None

