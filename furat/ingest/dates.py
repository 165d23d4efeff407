"""Publication dates written on a page: date lines, datelines, quoted posts' dates.

dateparser does the parsing (all three languages, with the period it found: day, month or
year); this module only decides which lines are date lines, so that a body sentence mentioning a
year is never taken for the publication date. A numeric date ("05/04/2017", "4/5/17") is read in
the order of its language when that is known (dateparser's locale data: day first in French and
Arabic, month first in English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from dateparser.date import DateDataParser

from furat.ingest.lexicon import full_match, lexicon

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ISO_LEAD = re.compile(r"^\s*(?:[A-Za-zÀ-ÿ\u0600-\u06FF ]{1,20}\s*:?\s*)?(\d{4}-\d{2}(?:-\d{2})?)\s+(?=\S)")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_SEPARATORS = re.compile(r"\s+[—–|-]\s+|\s*[|•·]\s*")
# A numeric date with a two-digit year ("4/5/17"), which _YEAR does not see.
_SHORT_NUMERIC = re.compile(r"^\d{1,2}([/.-])\d{1,2}\1\d{2}$")
MAX_DATE_LINE = 80


@dataclass(frozen=True)
class FoundDate:
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # day, month, year
    outlet: str | None = None  # "Voltaire Network — Sept 20, 2017" names its outlet


LANGUAGES = ("en", "fr", "ar")


@cache
def _parser(languages: tuple[str, ...] = LANGUAGES) -> DateDataParser:
    return DateDataParser(
        languages=list(languages),
        settings={"REQUIRE_PARTS": ["year"], "PREFER_DAY_OF_MONTH": "first"},
    )


def _normalise(text: str) -> str:
    text = text.translate(_EASTERN_DIGITS)
    for name, standard in lexicon().months.items():
        text = text.replace(name, standard)
    return text.strip(" \t,.;:()[]")


@lru_cache(maxsize=4096)
def parse_date(text: str, lang: str | None = None) -> FoundDate | None:
    """The date that `text` (a short string that is only a date) denotes, with its precision;
    `lang` (ISO 639-1), when known, decides the order of a numeric date's day and month."""
    text = _normalise(text)
    if m := _ISO.match(text):  # ISO 8601, as feeds and metadata give it: no need for dateparser
        year, month, day = m.groups()
        try:
            date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return None
        if day:
            return FoundDate(f"{year}-{month}-{day}", "day")
        return FoundDate(f"{year}-{month}", "month") if month else FoundDate(year, "year")
    if not text or len(text) > MAX_DATE_LINE or not (_YEAR.search(text) or _SHORT_NUMERIC.match(text)):
        return None
    prefix = lexicon().date_prefix
    if prefix is not None:
        text = prefix.sub("", text, count=1)
    # dateparser reads a numeric date in its first language's order: the date's own language first
    # (a date it would place in the future is no publication date: "12/31/17" is not day-first)
    numeric = not any(ch.isalpha() for ch in text)
    data = _parser((lang,)).get_date_data(text) if numeric and lang in LANGUAGES else None
    if data is None or data.date_obj is None or data.date_obj.date() > date.today():
        data = _parser().get_date_data(text)
    if data.date_obj is None:
        return None
    d, period = data.date_obj, data.period or "day"
    if period == "year":
        return FoundDate(f"{d.year:04d}", "year")
    if period == "month":
        return FoundDate(f"{d.year:04d}-{d.month:02d}", "month")
    return FoundDate(d.strftime("%Y-%m-%d"), "day")


def date_line(line: str, lang: str | None = None) -> FoundDate | None:
    """A line that is a date, or an outlet and a date ("Voltaire Network — Sept 20, 2017");
    `lang`, the page's language, orders a numeric date's day and month."""
    line = line.strip()
    if len(line) > MAX_DATE_LINE or not _YEAR.search(line.translate(_EASTERN_DIGITS)):
        return None
    if found := parse_date(line, lang):
        return found
    parts = _SEPARATORS.split(line)
    if len(parts) == 2:
        left, right = (p.strip() for p in parts)
        if (found := parse_date(right, lang)) and left and not _YEAR.search(left):
            return FoundDate(found.value, found.precision, outlet=left)
        if (found := parse_date(left, lang)) and right and not _YEAR.search(right):
            return FoundDate(found.value, found.precision, outlet=right)
    return None


def leading_date(line: str) -> tuple[FoundDate, str] | None:
    """A date glued before the body ("date 2023-06 Des sources ont…"): the date and the rest."""
    m = _ISO_LEAD.match(line)
    if not m:
        return None
    found = parse_date(m.group(1))
    rest = line[m.end():]
    if found is None or len(rest) < 40:
        return None
    return found, rest


def embedded_post_date(line: str) -> FoundDate | None:
    """The date of a quoted post's signature line ("— Name (@handle) November 19, 2021")."""
    m = full_match(lexicon().embedded_post, line.strip())
    return parse_date(m.group("date")) if m else None
