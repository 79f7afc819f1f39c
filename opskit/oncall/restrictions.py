"""When a layer is active: the union of its restrictions' windows.

A calendar restriction follows that calendar's working hours in the calendar's
own time zone and treats its holidays as closed: a layer restricted to office
hours is off on the office's holidays, as the office is. (PagerDuty cannot say
this; the schedule mapping warns about it.) Days listed with a calendar narrow
it; an hours window given with a calendar narrows it further.

A window means local time: "00:00-24:00" on Sunday is the whole Sunday, 25 hours
on the day the clocks go back. PagerDuty runs a restriction for its length of real
time from its local start instead (24 hours: until 23:00 that Sunday). The two
differ only when the clocks change inside a window. `Windows` says which is drawn:
opskit's schedules (`OPSKIT`, the default) draw hours windows as PagerDuty runs
them, so what is checked is what will page, and calendars as they are open;
`PAGERDUTY` and `LOCAL` draw every window one way, to find where the policy and
PagerDuty part (the restriction-dst-gap rule).
"""

from __future__ import annotations

import enum

from opskit.policy.model import Layer, Restriction
from opskit.time import zones
from opskit.time.calendars import open_spans
from opskit.time.intervals import Span, intersect, union


class Windows(enum.Enum):
    OPSKIT = "opskit"  # hours windows as PagerDuty runs them, calendars as they are open
    PAGERDUTY = "pagerduty"  # every window for its length of real time from its local start
    LOCAL = "local"  # every window from its local start to its local end


def window_length(window: tuple[int, int]) -> int:
    """Minutes; a window ending before it starts runs past midnight."""
    start, end = window
    return end - start if end >= start else end - start + 1440


def window_spans(
    window: tuple[int, int],
    days: tuple[int, ...],
    zone: zones.Zone,
    lo: int,
    hi: int,
    *,
    windows: Windows = Windows.OPSKIT,
) -> list[Span]:
    length = window_length(window) * 60
    if length == 0:
        return []
    if length >= zones.DAY and len(days) == 7 and windows is not Windows.PAGERDUTY:
        return [(lo, hi)] if lo < hi else []  # all day, every day: always
    # whole days on the wall clock, as integers: this loop runs for every day of every layer
    day = (zone.wall(lo) // zones.DAY - 1) * zones.DAY
    last = zone.wall(hi) // zones.DAY * zones.DAY
    offset, every_day = window[0] * 60, len(days) == 7
    local = windows is Windows.LOCAL
    spans: list[Span] = []
    while day <= last:
        if every_day or zones.weekday_of(day) in days:
            begin = zone.utc(day + offset)
            end = zone.utc(day + offset + length) if local else begin + length
            a, b = max(begin, lo), min(end, hi)
            if a < b:
                spans.append((a, b))
        day += zones.DAY
    return spans


def runs_as_calendar(restriction: Restriction, zone: zones.Zone) -> bool:
    """A calendar restriction PagerDuty is sent as the calendar's own hours, on the
    schedule's clock: of the same zone, with no hours window of its own. (The others
    are sent changed, and the schedule mapping warns about them.)"""
    calendar = restriction.calendar
    return calendar is not None and restriction.window is None and calendar.timezone == zone.name


def _calendar_as_pagerduty(
    restriction: Restriction, zone: zones.Zone, lo: int, hi: int
) -> list[Span]:
    """Each working window of the calendar for its length of real time from its local start."""
    assert restriction.calendar is not None
    spans: list[Span] = []
    for day in restriction.days:
        for start, end in restriction.calendar.working_hours.get(day, []):
            if end > start:
                spans += window_spans((start, end), (day,), zone, lo, hi, windows=Windows.PAGERDUTY)
    return union(spans)


def restriction_spans(
    restriction: Restriction,
    zone: zones.Zone,
    lo: int,
    hi: int,
    *,
    honour_holidays: bool = True,
    windows: Windows = Windows.OPSKIT,
) -> list[Span]:
    if restriction.calendar is None:
        assert restriction.window is not None
        return union(
            window_spans(restriction.window, restriction.days, zone, lo, hi, windows=windows)
        )
    if windows is Windows.PAGERDUTY:
        if runs_as_calendar(restriction, zone):
            return _calendar_as_pagerduty(restriction, zone, lo, hi)  # PagerDuty has no holidays
        windows = Windows.LOCAL  # sent changed (and warned about): drawn as meant
    spans = open_spans(
        restriction.calendar, lo, hi, days=restriction.days, honour_holidays=honour_holidays
    )
    if restriction.window is not None:
        spans = intersect(
            spans,
            union(window_spans(restriction.window, tuple(range(7)), zone, lo, hi, windows=windows)),
        )
    return spans


def active_spans(
    layer: Layer,
    zone: zones.Zone,
    lo: int,
    hi: int,
    *,
    honour_holidays: bool = True,
    windows: Windows = Windows.OPSKIT,
) -> list[Span]:
    if not layer.restrictions:
        return [(lo, hi)] if lo < hi else []
    return union(
        span
        for r in layer.restrictions
        for span in restriction_spans(
            r, zone, lo, hi, honour_holidays=honour_holidays, windows=windows
        )
    )
