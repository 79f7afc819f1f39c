"""A review period: a calendar month (`2026-11`) or an ISO week (`2026-W45`), in UTC.

The period is half-open, `[start, end)`: a clock that stops at the very end belongs to
the next period. `previous` is the period of the same kind just before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """A review period in UTC, a calendar month or an ISO week: from `start` up to `end`."""

    label: str
    start: dt.datetime
    end: dt.datetime

    def previous(self) -> Period:
        if "W" in self.label:
            return week(self.start - dt.timedelta(days=7))
        last = self.start - dt.timedelta(days=1)
        return month(last.year, last.month)

    def back(self, count: int) -> list[Period]:
        """The `count` periods ending with this one, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


def month(year: int, number: int) -> Period:
    start = dt.datetime(year, number, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=dt.UTC)
    return Period(f"{year:04d}-{number:02d}", start, end)


def week(day: dt.datetime) -> Period:
    year, number, _ = day.isocalendar()
    start = dt.datetime.fromisocalendar(year, number, 1).replace(tzinfo=dt.UTC)
    return Period(f"{year:04d}-W{number:02d}", start, start + dt.timedelta(days=7))


def parse(text: str) -> Period:
    """`YYYY-MM` or `YYYY-Www`; ValueError with a message for anything else."""
    found = _MONTH.match(text)
    if found and 1 <= int(found[2]) <= 12 and 2000 <= int(found[1]) <= 2100:
        return month(int(found[1]), int(found[2]))
    found = _WEEK.match(text)
    if found and 2000 <= int(found[1]) <= 2100:
        try:
            start = dt.datetime.fromisocalendar(int(found[1]), int(found[2]), 1)
        except ValueError:
            pass
        else:
            return week(start)
    raise ValueError(f"{text[:40]!r} is not a month (2026-11) or an ISO week (2026-W45)")
