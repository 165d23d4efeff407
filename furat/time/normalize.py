"""TIMEX3 values from the named parts of a rule match, resolved against an anchor."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from furat.time.anchor import UNIT_PRECISION, Anchor, add_months, format_value, shift
from furat.time.hijri import hijri_to_gregorian
from furat.time.rules import LanguageRules, key

_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class Value:
    value: str
    type: str
    precision: str | None
    absolute: bool = False


def _number(lang: LanguageRules, text: str | None) -> float | str | None:
    """A cardinal from digits or a number word ("X" for vague ones: few, several)."""
    if text is None:
        return None
    text = key(text).replace(",", ".")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    value = lang.lookup("numbers", text)
    if value is None:  # compound number words: "twenty five", "خمسة وعشرين"
        parts = [lang.lookup("numbers", w) for w in re.split(r"[\s-]+|\s+و", text) if w]
        if parts and all(isinstance(p, int | float) for p in parts):
            return float(sum(parts))
    return value


def _fmt_num(n: float | str) -> str:
    if isinstance(n, str):
        return n
    return str(int(n)) if float(n).is_integer() else str(n)


def _day(text: str, lang: LanguageRules) -> int:
    """A day of the month from digits ("24", "1er", "3rd") or an ordinal word."""
    digits = re.match(r"\d+", key(text))
    if digits:
        return int(digits.group())
    value = lang.lookup("ordinals", text) or lang.lookup("numbers", text)
    return int(value) if isinstance(value, int | float) else 0


def _year(text: str, anchor: Anchor) -> int:
    year = int(text)
    if len(text) == 2:  # "11/02/89": the century closest to the anchor
        year += (anchor.date.year // 100) * 100
        if year > anchor.date.year + 20:
            year -= 100
    return year


def _month_year(month: int, anchor: Anchor, future: bool, rel: int | None) -> int:
    """The year of a month named without one: the anchor's, or the nearest in the tense's way."""
    year, now = anchor.date.year, anchor.date.month
    if rel is not None and rel < 0:
        return year if month < now else year - 1
    if (rel is not None and rel > 0) or future:
        return year if month >= now else year + 1
    return year - 1 if month - now > 6 else year


def _weekday(target: int, anchor: Anchor, future: bool, rel: int | None) -> dt.date:
    """The weekday nearest the anchor: in the past (today included) unless the tense says future."""
    today = anchor.date
    delta = target - today.isoweekday()
    if rel == 0:
        return today + dt.timedelta(days=delta)
    if (rel is not None and rel > 0) or (rel is None and future):
        ahead = delta % 7
        return today + dt.timedelta(days=ahead or (7 if rel else 0))
    back = (-delta) % 7
    if rel is not None and rel < 0 and back == 0:
        back = 7
    return today - dt.timedelta(days=back)


def normalise(
    kind: str, g: dict[str, str | None], lang: LanguageRules, anchor: Anchor | None, future: bool,
    quarter: str | None = None,
) -> Value | None:
    """The value of one match, or None when the match turns out not to be a time expression.

    `quarter` is the last quarter the text spoke of: financial news compares quarters, so "a year
    earlier" after "the third quarter" is that quarter a year before (as TimeBank annotates it).
    """
    if g.get("year2") and not g.get("year"):  # "the third quarter of 1990"
        g = {**g, "year": g["year2"]}
    if quarter and anchor is not None and kind == "date" and year_back(g, lang):
        year, q = quarter.split("-Q")
        return Value(f"{int(year) - 1:04d}-Q{q}", "DATE", "quarter")
    if kind == "ref":
        ref = lang.lookup("refs", g.get("ref"))
        return Value(ref, "DATE", None) if ref else None
    if kind == "set":
        value = lang.lookup("sets", g.get("set"))
        if value is None and g.get("setunit"):
            unit = lang.lookup("units", g.get("setunit"))
            value = f"P1{unit}" if unit else None
        return Value(value, "SET", None) if value else None
    if kind == "duration":
        return _duration(g, lang)
    if kind == "time":
        return _time(g, lang, anchor, future)
    if kind == "hijri":
        return _hijri(g, lang)
    if kind == "sameday":
        return _same_day(g, lang, anchor)
    return _date(g, lang, anchor, future)


def _same_day(g: dict[str, str | None], lang: LanguageRules, anchor: Anchor | None) -> Value | None:
    """"The same day", "le lendemain", "في اليوم التالي": a day counted from the day the text last
    spoke of (the tagger passes it as `anchor`), not from the publication."""
    days = lang.lookup("sameday", g.get("sameday"))
    if days is None or anchor is None or anchor.precision != "day":
        return None
    return Value(shift(anchor.date, "D", int(days)).isoformat(), "DATE", "day")


def year_back(g: dict[str, str | None], lang: LanguageRules) -> bool:
    """True for "a year ago / earlier", "last year", "the year-ago period"."""
    if g.get("yearago"):
        return True
    if lang.lookup("units", g.get("unit")) != "Y" or g.get("month") or g.get("weekday"):
        return False
    if g.get("direction"):
        return _number(lang, g.get("num")) == 1 and (lang.lookup("direction", g.get("direction")) or 0) < 0
    return lang.lookup("relative", g.get("rel")) == -1


def _duration(g: dict[str, str | None], lang: LanguageRules) -> Value | None:
    unit = lang.lookup("units", g.get("unit"))
    if unit is None:
        return None
    n = _number(lang, g.get("num"))
    if n is None:
        if g.get("dual") or lang.lookup("duals", g.get("unit")):
            n = 2
        elif g.get("plural") or lang.lookup("plurals", g.get("unit")):
            n = "X"
        elif g.get("lead") and unit != "S":
            n = 1
        else:
            return None
    if unit in ("H", "MIN", "S"):
        return Value(f"PT{_fmt_num(n)}{unit[0]}", "DURATION", None)
    if unit == "NI":
        return Value(f"P{_fmt_num(n)}D", "DURATION", None)
    return Value(f"P{_fmt_num(n)}{unit}", "DURATION", None)


def _time(
    g: dict[str, str | None], lang: LanguageRules, anchor: Anchor | None, future: bool,
) -> Value | None:
    """A clock time on the day it names ("10 p.m. Wednesday"), else on the anchor's day."""
    clock_word = lang.lookup("clock", g.get("noon"))
    hour = int(clock_word if clock_word is not None else g.get("hour") or 0)
    minute = int(g.get("minute") or 0)
    ampm = (g.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    if ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 24:
        return None
    clock = f"T{hour:02d}:{minute:02d}"
    if g.get("weekday") or g.get("month"):
        day = _date({"weekday": g.get("weekday"), "month": g.get("month"), "day": g.get("day")},
                    lang, anchor, future)
        if day is not None and day.precision == "day":
            return Value(day.value + clock, "TIME", "time", day.absolute)
    if anchor is None or anchor.precision != "day":
        return Value(f"XXXX-XX-XX{clock}", "TIME", "time")
    return Value(anchor.date.isoformat() + clock, "TIME", "time")


def _hijri(g: dict[str, str | None], lang: LanguageRules) -> Value | None:
    month = lang.lookup("hijri_months", g.get("hmonth"))
    if month is None or not g.get("hyear"):
        return None
    year = int(g["hyear"] or 0)
    day = int(g.get("day") or 0)
    date = hijri_to_gregorian(year, month, day or 1)
    if not day:
        return Value(format_value(date, "month"), "DATE", "month", True)
    return Value(date.isoformat(), "DATE", "day", True)


def _with_daypart(value: Value, g: dict[str, str | None], lang: LanguageRules) -> Value:
    part = lang.lookup("dayparts", g.get("daypart"))
    if part and value.precision == "day":
        return Value(f"{value.value}T{part}", "TIME", "day", value.absolute)
    return value


def _date(
    g: dict[str, str | None], lang: LanguageRules, anchor: Anchor | None, future: bool,
) -> Value | None:
    rel = lang.lookup("relative", g.get("rel"))
    if g.get("numeric"):
        return _numeric(g["numeric"] or "", lang, anchor)
    if g.get("decade"):
        return Value(str(g["decade"])[:3], "DATE", "decade", True)
    month = lang.lookup("months", g.get("month"))
    if g.get("monthnum"):
        month = int(g["monthnum"] or 0)
    year = _year(g["year"], anchor) if g.get("year") else None  # type: ignore[arg-type]
    yrel = lang.lookup("relative", g.get("yrel"))
    if year is None and yrel is not None and anchor is not None:  # "June last year"
        year = anchor.date.year + int(yrel)
    if year is not None and month is None and g.get("day") is None and not g.get("season") \
            and not g.get("ordinal") and not g.get("half"):
        return Value(f"{year:04d}", "DATE", "year", True)
    if month is not None:
        if not 1 <= month <= 12:
            return None
        absolute = g.get("year") is not None
        if year is None:
            year_s = "XXXX" if anchor is None else f"{_month_year(month, anchor, future, rel):04d}"
        else:
            year_s = f"{year:04d}"
        if g.get("day"):
            day = _day(g["day"] or "", lang)
            if not 1 <= day <= 31:
                return None
            return _with_daypart(Value(f"{year_s}-{month:02d}-{day:02d}", "DATE", "day", absolute), g, lang)
        return Value(f"{year_s}-{month:02d}", "DATE", "month", absolute)
    if anchor is None:
        return _unanchored(g, lang)
    if g.get("weekday"):
        wd = lang.lookup("weekdays", g.get("weekday"))
        if wd is None:
            return None
        if anchor.precision != "day":
            return Value(anchor.value, "DATE", anchor.precision)
        date = _weekday(wd, anchor, future, rel)
        return _with_daypart(Value(date.isoformat(), "DATE", "day"), g, lang)
    if g.get("deictic"):
        offset = lang.lookup("deictic", g.get("deictic"))
        if offset is None:
            return None
        if anchor.precision != "day":
            return Value(anchor.value, "DATE", anchor.precision)
        value = Value((anchor.date + dt.timedelta(days=int(offset))).isoformat(), "DATE", "day")
        if g.get("daypart") is None and lang.lookup("dayparts", g.get("deictic")):
            return Value(f"{value.value}T{lang.lookup('dayparts', g.get('deictic'))}", "TIME", "day")
        return _with_daypart(value, g, lang)
    if g.get("season"):
        season = lang.lookup("seasons", g.get("season"))
        if season is None:
            return None
        if year is None:
            year = anchor.date.year
            if rel is not None and rel < 0 and anchor.date.month <= _SEASON_START[season]:
                year -= 1
            elif rel is not None and rel > 0 and anchor.date.month >= _SEASON_START[season]:
                year += 1
        return Value(f"{year:04d}-{season}", "DATE", "season", g.get("year") is not None)
    if g.get("ordinal"):
        q = lang.lookup("ordinals", g.get("ordinal"))
        if q is None or not 1 <= q <= 4:
            return None
        year = year or anchor.date.year + int(rel or 0)
        return Value(f"{year:04d}-Q{q}", "DATE", "quarter")
    if g.get("yearago"):
        return Value(f"{anchor.date.year - 1:04d}", "DATE", "year")
    if g.get("half"):
        h = lang.lookup("ordinals", g.get("half"))
        return Value(f"{year or anchor.date.year:04d}-H{h}", "DATE", "half") if h in (1, 2) else None
    unit = lang.lookup("units", g.get("unit"))
    if unit is None:
        return None
    if unit in ("SP", "SU", "FA", "WI"):
        return _date({**g, "season": g.get("unit"), "unit": None}, lang, anchor, future)
    if g.get("direction"):
        n = _number(lang, g.get("num"))
        sign = lang.lookup("direction", g.get("direction")) or -1
        if not isinstance(n, int | float) or not float(n).is_integer():
            return Value("PAST_REF" if sign < 0 else "FUTURE_REF", "DATE", None)
        precision = UNIT_PRECISION.get(unit)
        if precision is None:
            return None
        date = shift(anchor.date, unit, int(n) * sign)
        return Value(format_value(date, precision), "DATE", precision)
    if rel is None and g.get("the"):
        if unit == "Q":  # "the quarter" in news: the last reported one
            return Value(format_value(shift(anchor.date, "Q", -1), "quarter"), "DATE", "quarter")
        rel = 0
    if rel is None:
        return None
    precision = UNIT_PRECISION.get(unit)
    if precision is None or (anchor.precision == "year" and precision not in ("year", "decade", "century")):
        return None
    if anchor.precision == "month" and precision in ("day", "week"):
        return Value(anchor.value, "DATE", "month")
    date = shift(anchor.date, unit, int(rel))
    value = format_value(date, precision)
    if unit == "WE":
        value += "-WE"
    return Value(value, "DATE", precision)


def _unanchored(g: dict[str, str | None], lang: LanguageRules) -> Value | None:
    """Without any anchor a relative date keeps its unknown parts as X (TIMEX3 style)."""
    if g.get("weekday"):
        wd = lang.lookup("weekdays", g.get("weekday"))
        return Value(f"XXXX-WXX-{wd}", "DATE", None) if wd else None
    if g.get("deictic") or g.get("rel"):
        return Value("PRESENT_REF", "DATE", None)
    return None


def _numeric(text: str, lang: LanguageRules, anchor: Anchor | None) -> Value | None:
    parts = re.split(r"[/.\-]", text)
    if len(parts) != 3:
        return None
    a, b, c = parts
    order = lang.numeric_order
    if order == "MDY":
        month, day = int(a), int(b)
    else:
        day, month = int(a), int(b)
    if month > 12 and day <= 12:
        day, month = month, day
    ref = anchor or Anchor(dt.date.today())
    year = _year(c, ref)
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return Value(date.isoformat(), "DATE", "day", True)


__all__ = ["Value", "add_months", "normalise"]
