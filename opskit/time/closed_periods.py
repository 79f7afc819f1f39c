"""Why a calendar is closed when: the closed stretches of a range, for a ticket's timeline."""

from __future__ import annotations

import datetime as dt

from opskit.time import zones
from opskit.time.business_time import business_time
from opskit.time.calendars import Calendar, holiday
from opskit.time.intervals import Span, intersect, subtract

OUTSIDE_HOURS = "outside working hours"


def _holiday_days(calendar: Calendar, lo: int, hi: int) -> list[tuple[Span, str]]:
    """Whole local days a holiday closes, where the calendar would otherwise open."""
    tz = zones.get(calendar.timezone)
    day, last = zones.date_of(tz.wall(lo)), zones.date_of(tz.wall(hi))
    out: list[tuple[Span, str]] = []
    while day <= last:
        windows = calendar.working_hours.get(day.weekday(), ())
        name = holiday(calendar, day) if any(a < b for a, b in windows) else None
        if name is not None:
            after = day + dt.timedelta(days=1)
            out.append(((tz.utc(zones.wall_of(day)), tz.utc(zones.wall_of(after))), name))
        day += dt.timedelta(days=1)
    return out


def closed_stretches(calendar: Calendar, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Each maximal closed stretch of [lo, hi) with one reason, in order."""
    if calendar.always_open or hi <= lo:
        return []
    closed = subtract([(lo, hi)], business_time(calendar).open_spans(lo, hi))
    holidays = _holiday_days(calendar, lo, hi)
    named = [(span, name) for day, name in holidays for span in intersect(closed, [day])]
    rest = subtract(closed, [day for day, _ in holidays])
    pieces = sorted([*named, *((span, OUTSIDE_HOURS) for span in rest)])
    out: list[tuple[int, int, str]] = []
    for (start, end), reason in pieces:
        if out and out[-1][1] == start and out[-1][2] == reason:
            out[-1] = (out[-1][0], end, reason)
        else:
            out.append((start, end, reason))
    return out
