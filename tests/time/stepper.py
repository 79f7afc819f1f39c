"""Business time the slow, obvious way, to check the fast one against.

It walks local days one by one with `datetime` and `zoneinfo`, asks the `holidays`
library itself, and follows the rules as the README words them. It shares no code
with opskit.time: only the rules.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from opskit.time.calendars import Calendar

ONE_DAY = dt.timedelta(days=1)
TEN_YEARS = 3660  # days walked before giving up, as opskit does


@functools.cache
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    return frozenset(holidays_lib.country_holidays(country, subdiv=subdivision, years=year))


class Stepper:
    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.zone = dt.UTC if calendar.always_open else ZoneInfo(calendar.timezone)

    def closed_by_holiday(self, day: dt.date) -> bool:
        c = self.calendar
        if c.always_open or day in c.worked_holidays:
            return False  # a worked holiday is worked, even when also an extra holiday
        if day in c.extra_holidays:
            return True
        return bool(c.holiday_country) and day in public_holidays(
            c.holiday_country or "", c.holiday_subdivision, day.year
        )

    def instant(self, day: dt.date, minutes: int) -> int:
        """The wall-clock time `minutes` after the day's midnight, fold=0 as Python has it."""
        wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
        return int(wall.replace(tzinfo=self.zone).timestamp())

    def spans(self, day: dt.date) -> list[tuple[int, int]]:
        """The day's open time in UTC seconds, sorted and merged."""
        if self.calendar.always_open:
            return [(self.instant(day, 0), self.instant(day, 1440))]
        if self.closed_by_holiday(day):
            return []
        pieces = sorted(
            (self.instant(day, a), self.instant(day, b))
            for a, b in self.calendar.working_hours.get(day.weekday(), [])
        )
        merged: list[tuple[int, int]] = []
        for a, b in pieces:
            if a >= b:
                continue
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged

    def day_of(self, t: int) -> dt.date:
        return dt.datetime.fromtimestamp(t, self.zone).date()

    def next_working_day(self, day: dt.date) -> tuple[dt.date, list[tuple[int, int]]]:
        for _ in range(TEN_YEARS):
            day += ONE_DAY
            spans = self.spans(day)
            if spans:
                return day, spans
        raise ValueError("never open")

    def add_business_days(self, t: int, n: int) -> int:
        day = self.day_of(t)
        spans = self.spans(day)
        if spans and t < spans[-1][1]:
            position = sum(max(0, min(b, t) - a) for a, b in spans)
        else:  # closed for the rest of the day: from the next working day's opening
            position = 0
            day, spans = self.next_working_day(day)
        if position == 0:  # the opening's day is the first, and it ends at a close
            for _ in range(n - 1):
                day, spans = self.next_working_day(day)
            return spans[-1][1]
        for _ in range(n):
            day, spans = self.next_working_day(day)
        position = min(position, sum(b - a for a, b in spans))
        for a, b in spans:
            if position <= b - a:
                return a + position
            position -= b - a
        raise AssertionError("unreachable: position was clamped to the day")

    def add_seconds(self, t: int, seconds: int) -> int:
        day = self.day_of(t)
        for _ in range(TEN_YEARS):
            for a, b in self.spans(day):
                a = max(a, t)
                if a < b:
                    if seconds <= b - a:
                        return a + seconds
                    seconds -= b - a
            day += ONE_DAY
        raise ValueError("not enough working time")

    def due(self, t: int, business_days: int, seconds: int) -> int:
        if business_days:
            t = self.add_business_days(t, business_days)
        return self.add_seconds(t, seconds) if seconds else t

    def working_seconds(self, a: int, b: int) -> int:
        total, day = 0, self.day_of(a) - ONE_DAY
        while day <= self.day_of(b):
            total += sum(max(0, min(e, b) - max(s, a)) for s, e in self.spans(day))
            day += ONE_DAY
        return total
