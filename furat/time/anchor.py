"""The reference date a relative expression is resolved against, and calendar arithmetic on it."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class Anchor:
    """A date and how much of it is known (`day`, `month` or `year`)."""

    date: dt.date
    precision: str = "day"
    inferred: bool = False

    @classmethod
    def parse(cls, value: str | None, inferred: bool = False) -> Anchor | None:
        """An anchor from an ISO value `YYYY[-MM[-DD]]` (None when it is not one)."""
        if not value:
            return None
        m = _ISO.match(value)
        if not m:
            return None
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        try:
            date = dt.date(year, int(month or 1), int(day or 1))
        except ValueError:
            return None
        precision = "day" if day else "month" if month else "year"
        return cls(date, precision, inferred)

    @property
    def value(self) -> str:
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


def add_months(date: dt.date, months: int) -> dt.date:
    """`date` moved by whole months, the day clipped to the month's length."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def week_value(date: dt.date) -> str:
    year, week, _ = date.isocalendar()
    return f"{year:04d}-W{week:02d}"


def format_value(date: dt.date, precision: str) -> str:
    """TIMEX3 value of `date` at a precision (day, week, month, quarter, year, decade, century)."""
    if precision == "day":
        return date.isoformat()
    if precision == "week":
        return week_value(date)
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if precision == "quarter":
        return f"{date.year:04d}-Q{(date.month - 1) // 3 + 1}"
    if precision == "decade":
        return f"{date.year // 10:03d}"
    if precision == "century":
        return f"{date.year // 100:02d}"
    return f"{date.year:04d}"


def shift(date: dt.date, unit: str, n: int) -> dt.date:
    """`date` moved by `n` units (D, W, M, Q, Y, DE, CE, WE)."""
    if unit == "D":
        return date + dt.timedelta(days=n)
    if unit in ("W", "WE"):
        return date + dt.timedelta(weeks=n)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}.get(unit)
    if months is None:
        return date
    return add_months(date, n * months)


UNIT_PRECISION = {
    "D": "day", "W": "week", "WE": "week", "M": "month", "Q": "quarter", "Y": "year",
    "DE": "decade", "CE": "century",
}
