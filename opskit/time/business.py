"""SLA time on a business calendar: when a target falls due, how much of it has run.

The rules (README, "Business time", states each with an example):

- A working day is a local day with open time: a window of its weekday that lasts
  longer than zero real seconds, the day not closed by a holiday. Windows are wall
  clock, so 08:00-18:00 lasts 9 or 11 real hours on the days the clocks change.
  A holiday closes the whole local day; a worked holiday is not closed, even when
  also listed as an extra holiday.
- Elapsed parts (`4h`) count working time only: the due instant is the earliest one
  by which that much working time has passed, so a target reached exactly at a
  close falls due at the close, not at the next opening.
- Business days (`2bd`) move to the same position of the working day that many
  working days later, the position being the working time already elapsed that day;
  on a shorter day the position is clamped to its close. From an opening (position
  0), N business days end at the close of the N-th working day, the opening's own
  day being the first: Mon 09:00 + 2bd = Tue's close.
- Closed time counts from the next opening: in a break that is where the day
  resumes; after the day's close (or on a closed day) it is the next working day's
  opening.
- `1bd4h`: the business days first, then the elapsed part from there.
- On the 24x7 calendar every day is a UTC day of working time: all time counts and
  1bd is 24 real hours.
- Business days elapsed from a to b are the most N with due(a, N bd) <= b.

The arithmetic is `opskit.time.business_time`'s (arrays built once per calendar);
these functions take and give aware datetimes (results in UTC).
"""

from __future__ import annotations

import datetime as dt

from opskit.time import zones
from opskit.time.business_time import BusinessTime, business_time
from opskit.time.calendars import Calendar
from opskit.time.closed_periods import OUTSIDE_HOURS, closed_stretches
from opskit.time.duration import Duration

__all__ = [
    "OUTSIDE_HOURS",
    "BusinessTime",
    "business_days_elapsed",
    "business_time",
    "closed_periods",
    "due",
    "is_open",
    "next_open",
    "working_seconds",
]


def due(calendar: Calendar, start: dt.datetime, duration: Duration) -> dt.datetime:
    """When a target of `duration` started at `start` falls due (in UTC)."""
    return zones.to_datetime(business_time(calendar).due(zones.from_datetime(start), duration))


def working_seconds(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> int:
    """Working time between two instants (0 if end is not after start)."""
    return business_time(calendar).elapsed(zones.from_datetime(start), zones.from_datetime(end))


def business_days_elapsed(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> int:
    """Whole business days from `start` to `end`: the most N with due(start, N bd) <= end."""
    a, b = zones.from_datetime(start), zones.from_datetime(end)
    return business_time(calendar).business_days(a, b)


def is_open(calendar: Calendar, when: dt.datetime) -> bool:
    return business_time(calendar).is_open(zones.from_datetime(when))


def next_open(calendar: Calendar, when: dt.datetime) -> dt.datetime:
    """`when` if the calendar is open then, else its next opening."""
    return zones.to_datetime(business_time(calendar).next_open(zones.from_datetime(when)))


def closed_periods(
    calendar: Calendar, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Each maximal closed stretch inside [start, end) with its reason: a holiday's name
    (for the whole local day it closes, where the calendar would otherwise open) or
    `OUTSIDE_HOURS`. Consecutive stretches differ in reason."""
    lo, hi = zones.from_datetime(start), zones.from_datetime(end)
    return [(zones.to_datetime(a), zones.to_datetime(b), reason)
            for a, b, reason in closed_stretches(calendar, lo, hi)]  # fmt: skip
