"""Hijri → Gregorian dates: `hijridate` (Umm al-Qura) when installed, else the tabular calendar.

dateparser's Hijri calendar needs `hijridate`, which furat does not depend on; the tabular
(arithmetic) calendar is within a day or two of Umm al-Qura, close enough for news dates.
"""

from __future__ import annotations

import datetime as dt
import math


def _tabular(year: int, month: int, day: int) -> dt.date:
    jdn = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439
    return dt.date.fromordinal(jdn - 1721425)


def hijri_to_gregorian(year: int, month: int, day: int = 1) -> dt.date:
    """The Gregorian date of a Hijri day (day clipped to 29 in the tabular fallback)."""
    try:
        from hijridate import Hijri  # type: ignore[import-not-found]

        return Hijri(year, month, day).to_gregorian()
    except Exception:  # not installed, or out of its Umm al-Qura range
        return _tabular(year, month, min(day, 30))
