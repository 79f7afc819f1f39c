"""SLA time on a business calendar: when a target falls due, how much of it has run.

Elapsed parts of a duration (`4h`) count working time only; business days (`2bd`)
move to the same point of the working day that many working days later. On the
24x7 calendar every day is a working day and all time counts. Holidays close a
calendar for the whole local day. Results are the earliest instant at which
enough working time has passed, so a target met exactly at closing time falls
due at the close, not at the next opening.
"""

from __future__ import annotations

import datetime as dt

from opskit.time import zones
from opskit.time.calendars import Calendar, open_spans
from opskit.time.duration import Duration
from opskit.time.intervals import Span, intersect, total

_WEEK = 7 * zones.DAY
_LOOKAHEAD_WEEKS = 520  # a calendar closed for ten years is not a calendar


def _never_open(calendar: Calendar) -> ValueError:
    return ValueError(f"calendar {calendar.name!r} has no working hours in ten years")


def _spans_from(calendar: Calendar, t: int) -> list[Span]:
    return open_spans(calendar, t, t + _WEEK)


def is_open(calendar: Calendar, when: dt.datetime) -> bool:
    t = zones.from_datetime(when)
    return bool(open_spans(calendar, t, t + 1))


def working_seconds(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> int:
    """Working time between two instants (0 if end is not after start)."""
    a, b = zones.from_datetime(start), zones.from_datetime(end)
    return total(open_spans(calendar, a, b)) if b > a else 0


def _add_seconds(calendar: Calendar, t: int, seconds: int) -> int:
    if calendar.always_open:
        return t + seconds
    for _ in range(_LOOKAHEAD_WEEKS):
        for a, b in _spans_from(calendar, t):
            if seconds <= b - a:
                return a + seconds
            seconds -= b - a
        t += _WEEK
    raise _never_open(calendar)


def _day_spans(calendar: Calendar, day: dt.date) -> list[Span]:
    tz = zones.get(calendar.timezone)
    lo, hi = tz.utc(zones.wall_of(day)), tz.utc(zones.wall_of(day + dt.timedelta(days=1)))
    return open_spans(calendar, lo, hi)


def _add_business_days(calendar: Calendar, t: int, days: int) -> int:
    tz = zones.get(calendar.timezone)
    day = zones.date_of(tz.wall(t))
    spans = _day_spans(calendar, day)
    if spans and t < spans[-1][1]:
        position = total(intersect(spans, [(spans[0][0], max(t, spans[0][0]))]))
    else:
        position = 0  # closed for the rest of the day: count from the next opening
        day, spans = _next_business_day(calendar, day)
    if position == 0:
        days -= 1  # a whole working day from an opening ends at a close
        position = total(spans)
    for _ in range(days):
        day, spans = _next_business_day(calendar, day)
    return _at_position(spans, position)


def _next_business_day(calendar: Calendar, day: dt.date) -> tuple[dt.date, list[Span]]:
    for _ in range(_LOOKAHEAD_WEEKS * 7):
        day += dt.timedelta(days=1)
        spans = _day_spans(calendar, day)
        if spans:
            return day, spans
    raise _never_open(calendar)


def _at_position(spans: list[Span], position: int) -> int:
    """The instant after `position` seconds of the day's working time (its close at most)."""
    for a, b in spans:
        if position <= b - a:
            return a + position
        position -= b - a
    return spans[-1][1]


def due(calendar: Calendar, start: dt.datetime, duration: Duration) -> dt.datetime:
    """When a target of `duration` started at `start` falls due (in UTC)."""
    t = zones.from_datetime(start)
    if duration.business_days:
        if calendar.always_open:
            t += duration.business_days * zones.DAY
        else:
            t = _add_business_days(calendar, t, duration.business_days)
    if duration.seconds:
        t = _add_seconds(calendar, t, duration.seconds)
    return zones.to_datetime(t)


def next_open(calendar: Calendar, when: dt.datetime) -> dt.datetime:
    """`when` if the calendar is open then, else its next opening."""
    return zones.to_datetime(_add_seconds(calendar, zones.from_datetime(when), 0))
