"""Night, weekend and holiday hours of a shift, on the clock of the person who works it."""

from __future__ import annotations

import datetime as dt

from opskit.oncall.restrictions import window_spans
from opskit.time import zones
from opskit.time.intervals import Span, intersect, total, union


def night_spans(window: tuple[int, int], timezone: str, lo: int, hi: int) -> list[Span]:
    return union(window_spans(window, tuple(range(7)), zones.get(timezone), lo, hi))


def night_seconds(window: tuple[int, int], timezone: str, spans: list[Span]) -> int:
    if not spans:
        return 0
    return total(intersect(union(spans), night_spans(window, timezone, spans[0][0], spans[-1][1])))


def day_spans(
    days: set[dt.date] | None, weekdays: tuple[int, ...], timezone: str, lo: int, hi: int
) -> list[Span]:
    """Whole local days in [lo, hi) that are in `days` or fall on `weekdays`."""
    zone = zones.get(timezone)
    day, last = zones.date_of(zone.wall(lo)), zones.date_of(zone.wall(hi))
    out: list[Span] = []
    while day <= last:
        if day.weekday() in weekdays or (days and day in days):
            start = zone.utc(zones.wall_of(day))
            end = zone.utc(zones.wall_of(day + dt.timedelta(days=1)))
            out.append((max(start, lo), min(end, hi)))
        day += dt.timedelta(days=1)
    return union(out)
