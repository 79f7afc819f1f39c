"""When a layer is active: the union of its restrictions' windows.

A calendar restriction follows that calendar's working hours in the calendar's
own time zone and treats its holidays as closed: a layer restricted to office
hours is off on the office's holidays, as the office is. (PagerDuty cannot say
this; the schedule mapping warns about it.) Days listed with a calendar narrow
it; an hours window given with a calendar narrows it further.
"""

from __future__ import annotations

from opskit.oncall import zones
from opskit.oncall.calendars import open_spans
from opskit.oncall.intervals import Span, intersect, union
from opskit.policy.model import Layer, Restriction


def window_length(window: tuple[int, int]) -> int:
    """Minutes; a window ending before it starts runs past midnight."""
    start, end = window
    return end - start if end >= start else end - start + 1440


def window_spans(
    window: tuple[int, int], days: tuple[int, ...], zone: zones.Zone, lo: int, hi: int
) -> list[Span]:
    length = window_length(window) * 60
    if length == 0:
        return []
    if length >= zones.DAY and len(days) == 7:
        return [(lo, hi)] if lo < hi else []  # all day, every day: always
    # whole days on the wall clock, as integers: this loop runs for every day of every layer
    day = (zone.wall(lo) // zones.DAY - 1) * zones.DAY
    last = zone.wall(hi) // zones.DAY * zones.DAY
    offset, every_day = window[0] * 60, len(days) == 7
    spans: list[Span] = []
    while day <= last:
        if every_day or zones.weekday_of(day) in days:
            begin = zone.utc(day + offset)
            a, b = max(begin, lo), min(begin + length, hi)
            if a < b:
                spans.append((a, b))
        day += zones.DAY
    return spans


def restriction_spans(
    restriction: Restriction, zone: zones.Zone, lo: int, hi: int, *, honour_holidays: bool = True
) -> list[Span]:
    if restriction.calendar is None:
        assert restriction.window is not None
        return union(window_spans(restriction.window, restriction.days, zone, lo, hi))
    spans = open_spans(
        restriction.calendar, lo, hi, days=restriction.days, honour_holidays=honour_holidays
    )
    if restriction.window is not None:
        spans = intersect(
            spans, union(window_spans(restriction.window, tuple(range(7)), zone, lo, hi))
        )
    return spans


def active_spans(
    layer: Layer, zone: zones.Zone, lo: int, hi: int, *, honour_holidays: bool = True
) -> list[Span]:
    if not layer.restrictions:
        return [(lo, hi)] if lo < hi else []
    return union(
        span
        for r in layer.restrictions
        for span in restriction_spans(r, zone, lo, hi, honour_holidays=honour_holidays)
    )
