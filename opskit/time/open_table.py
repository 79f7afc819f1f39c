"""A calendar's open time as arrays, built once, so business time is index arithmetic.

Spans are the real (UTC) open stretches of each working day, in order; each knows its
working day, and each working day where its spans begin. With the working seconds
before every span summed once, "working time between" is two binary searches and
"N business days later" is an index plus N.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np

from opskit.time import zones
from opskit.time.bucket_search import BucketSearch
from opskit.time.bucket_search import Int64s as Int64s  # the arrays' type, for the modules above
from opskit.time.calendars import Calendar, holiday
from opskit.time.intervals import Span, union


def day_spans(calendar: Calendar, day: dt.date) -> list[Span]:
    """The UTC spans a local day is open (none on a holiday): its wall-clock windows, so
    one the clocks change inside lasts an hour less or more that day."""
    windows = [(start, end) for start, end in calendar.working_hours.get(day.weekday(), ())
               if start < end]  # fmt: skip
    if not windows or holiday(calendar, day) is not None:
        return []
    tz = zones.get(calendar.timezone)
    midnight = zones.wall_of(day)
    return union((tz.utc(midnight + start * 60), tz.utc(midnight + end * 60))
                 for start, end in windows)  # fmt: skip


@dataclass(frozen=True, slots=True)
class YearSpans:
    """One local year's spans: their bounds and the ordinal of the day each belongs to."""

    starts: list[int]
    ends: list[int]
    days: list[int]


def year_spans(calendar: Calendar, year: int) -> YearSpans:
    out = YearSpans([], [], [])
    day, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    while day <= last:
        for start, end in day_spans(calendar, day):
            out.starts.append(start)
            out.ends.append(end)
            out.days.append(day.toordinal())
        day += dt.timedelta(days=1)
    return out


def _disjoint(years: list[YearSpans]) -> tuple[list[int], list[int], list[int]]:
    """All spans in order. Where a zone's change would let one day's span run into the
    next day's (no zone in use does), the earlier day keeps the overlap."""
    starts: list[int] = []
    ends: list[int] = []
    days: list[int] = []
    for year in years:
        for start, end, day in zip(year.starts, year.ends, year.days, strict=True):
            start = max(start, ends[-1]) if ends else start
            if start < end:
                starts.append(start)
                ends.append(end)
                days.append(day)
    return starts, ends, days


class OpenTable:
    """Open spans over whole local years `first_year`..`last_year`, as int64 arrays.

    `cum_before[i]` is the working time before span i since the table's first span (so
    only differences mean anything), `opens_at[i]` the same within its day; working day
    j (in order) owns spans `day_first[j]` .. `day_first[j + 1] - 1`.
    """

    def __init__(self, first_year: int, last_year: int, years: list[YearSpans]) -> None:
        self.first_year, self.last_year = first_year, last_year
        # the instants whose local days (a year either side of their UTC year) it holds
        self.covers_from = zones.wall_of(dt.date(first_year + 1, 1, 1))
        self.covers_until = zones.wall_of(dt.date(last_year, 1, 1))
        starts, ends, days = _disjoint(years)
        self.start: Int64s = np.array(starts, dtype=np.int64)
        self.end: Int64s = np.array(ends, dtype=np.int64)
        self.cum_end: Int64s = np.cumsum(self.end - self.start, dtype=np.int64)
        self.cum_before: Int64s = self.cum_end - (self.end - self.start)
        ordinals = np.array(days, dtype=np.int64)
        new_day = np.ones(len(ordinals), dtype=bool)
        new_day[1:] = ordinals[1:] != ordinals[:-1]
        self.day_first: Int64s = np.append(np.flatnonzero(new_day), len(starts)).astype(np.int64)
        self.span_day: Int64s = np.cumsum(new_day, dtype=np.int64) - 1
        self.day_cum: Int64s = self.cum_before[self.day_first[:-1]]
        # a span's position in its day where it opens: 0 for the day's first span only
        self.opens_at: Int64s = self.cum_before - self.day_cum[self.span_day]
        self.day_length: Int64s = np.append(self.day_cum[1:], self.total) - self.day_cum
        self.day_close: Int64s = self.end[self.day_first[1:] - 1]
        self._lists: Lists | None = None
        self._searches: dict[str, BucketSearch] = {}

    @property
    def spans(self) -> int:
        return len(self.start)

    @property
    def days(self) -> int:
        return len(self.day_first) - 1

    @property
    def total(self) -> int:
        return int(self.cum_end[-1]) if len(self.cum_end) else 0

    def search(self, keys: Literal["start", "end", "cum_end"]) -> BucketSearch:
        """Searching many values among `keys` (starts and ends from the right, working
        time from the left, as the batch arithmetic asks), made on first use."""
        if keys not in self._searches:
            side: Literal["left", "right"] = "left" if keys == "cum_end" else "right"
            self._searches[keys] = BucketSearch(getattr(self, keys), side)
        return self._searches[keys]

    def lists(self) -> Lists:
        """The same arrays as Python lists: `bisect` on a list beats a numpy call for
        one value by several times. Made on the first scalar question only."""
        if self._lists is None:
            self._lists = Lists(*(a.tolist() for a in (
                self.start, self.end, self.cum_before, self.cum_end, self.span_day,
                self.opens_at, self.day_first, self.day_cum, self.day_length,
                self.day_close)))  # fmt: skip
        return self._lists


@dataclass(frozen=True, slots=True)
class Lists:
    """An OpenTable's arrays as Python lists, for questions about one value (bisect)."""

    start: list[int]
    end: list[int]
    cum_before: list[int]
    cum_end: list[int]
    span_day: list[int]
    opens_at: list[int]
    day_first: list[int]
    day_cum: list[int]
    day_length: list[int]
    day_close: list[int]


class Uncovered(Exception):
    """An answer needs spans past the end of the table: extend it and ask again."""
