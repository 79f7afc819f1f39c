"""When a calendar is open: its working windows, less its holidays, as UTC spans."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Mapping
from typing import Protocol

from opskit.time import zones
from opskit.time.intervals import Span, union


class Calendar(Protocol):
    """What this layer needs of a calendar: the policy model's Calendar is one."""

    @property
    def name(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    @property
    def working_hours(self) -> Mapping[int, list[tuple[int, int]]]: ...
    @property
    def holiday_country(self) -> str | None: ...
    @property
    def holiday_subdivision(self) -> str | None: ...
    @property
    def extra_holidays(self) -> Mapping[dt.date, str]: ...
    @property
    def worked_holidays(self) -> Collection[dt.date]: ...
    @property
    def always_open(self) -> bool: ...


@functools.cache
def _public(country: str, subdivision: str | None, year: int) -> dict[dt.date, str]:
    """A year of public holidays. Asking the holidays library imports every country's
    tables (a third of a second), and a year's dates never change for one version of
    it, so they are kept in the cache folder."""
    from opskit.disk_cache import JsonCache, release

    cache = JsonCache(f"holidays-{release('holidays')}-dates.json")
    key = f"{country}/{subdivision or ''}/{year}"
    known = cache.get(key)
    if known is None:
        known = _compute(country, subdivision, year)
        cache.put(key, known)
    return {dt.date.fromisoformat(day): name for day, name in known.items()}


def _compute(country: str, subdivision: str | None, year: int) -> dict[str, str]:
    import holidays as holidays_lib

    try:
        found = holidays_lib.country_holidays(country, subdiv=subdivision, years=year)
    except (NotImplementedError, KeyError):
        return {}  # reported by the calendar checks; no holidays rather than a crash
    return {day.isoformat(): str(name) for day, name in found.items()}


def holiday(calendar: Calendar, day: dt.date) -> str | None:
    """The holiday's name if `day` (local to the calendar) is closed for one."""
    if calendar.always_open or day in calendar.worked_holidays:
        return None
    if day in calendar.extra_holidays:
        return calendar.extra_holidays[day]
    if calendar.holiday_country:
        return _public(calendar.holiday_country, calendar.holiday_subdivision, day.year).get(day)
    return None


def holidays_between(calendar: Calendar, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    out: dict[dt.date, str] = {}
    day = first
    while day <= last:
        name = holiday(calendar, day)
        if name is not None:
            out[day] = name
        day += dt.timedelta(days=1)
    return out


def open_spans(
    calendar: Calendar,
    lo: int,
    hi: int,
    *,
    days: tuple[int, ...] = tuple(range(7)),
    honour_holidays: bool = True,
) -> list[Span]:
    """UTC spans in [lo, hi) when the calendar is open (on `days` only, 0 = Monday).

    Windows are wall-clock times on the calendar's own clock.
    """
    if calendar.always_open and len(days) == 7:
        return [(lo, hi)] if lo < hi else []
    tz = zones.get(calendar.timezone)
    day = zones.date_of(tz.wall(lo)) - dt.timedelta(days=1)
    last = zones.date_of(tz.wall(hi))
    spans: list[Span] = []
    while day <= last:
        weekday = day.weekday()
        windows = calendar.working_hours.get(weekday, [])
        if weekday in days and windows and not (honour_holidays and holiday(calendar, day)):
            midnight = zones.wall_of(day)
            for start, end in windows:
                if end <= start:
                    continue  # reported by hours-inverted
                # Wall-clock ends: 08:00-18:00 is ten hours on most days, nine or eleven
                # when the clocks change inside the window.
                a = max(tz.utc(midnight + start * 60), lo)
                b = min(tz.utc(midnight + end * 60), hi)
                if a < b:
                    spans.append((a, b))
        day += dt.timedelta(days=1)
    return union(spans)
