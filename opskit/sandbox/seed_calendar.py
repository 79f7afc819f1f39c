"""Calendar rules that place the seed's deliberate tickets relative to its anchor.

Every rule is deterministic in the anchor: the same anchor always gives the same instants.
``margin`` keeps a ticket's whole story before the anchor.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SEARCH_DAYS = 400  # every rule finds its day within a year and a month


def at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """Wall-clock time in a zone (a time in a DST gap moves forward, as zoneinfo does)."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _calendar(country: str, years: list[int]) -> holidays.HolidayBase:
    if country == "DE":
        return holidays.country_holidays("DE", subdiv="BE", years=years)
    return holidays.country_holidays(country, years=years)


def last_holiday(anchor: datetime, country: str, margin: int) -> date:
    """The last public holiday on a weekday (Berlin's for DE) at least ``margin`` days
    before the anchor (one on a weekend would change nothing for a business clock)."""
    latest = anchor.date() - timedelta(days=margin)
    days = _calendar(country, [latest.year - 1, latest.year])
    return max(d for d in days if d <= latest and d.weekday() < 5)


def business_day_after(day: date, country: str) -> date:
    days = _calendar(country, [day.year, day.year + 1])
    nxt = day + timedelta(days=1)
    while nxt.weekday() >= 5 or nxt in days:
        nxt += timedelta(days=1)
    return nxt


def weekday_before(day: date, weekday: int) -> date:
    """The last ``weekday`` (0 = Monday) strictly before ``day``."""
    back = (day.weekday() - weekday) % 7 or 7
    return day - timedelta(days=back)


def last_weekend(anchor: datetime, margin: int) -> date:
    """The Saturday of the last whole weekend at least ``margin`` days before the anchor."""
    return weekday_before(anchor.date() - timedelta(days=margin - 1), 5)


def last_dst_change(anchor: datetime, zone: ZoneInfo, margin: int) -> date:
    """The day the zone last changed its UTC offset, at least ``margin`` days before."""
    day = anchor.date() - timedelta(days=margin)
    for _ in range(SEARCH_DAYS):
        before = at(day - timedelta(days=1), 12, 0, zone).utcoffset()
        if at(day, 12, 0, zone).utcoffset() != before:
            return day
        day -= timedelta(days=1)
    raise ValueError(f"{zone} has not changed its offset for {SEARCH_DAYS} days")
