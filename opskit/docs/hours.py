"""Support hours per calendar, and the holidays of the next twelve months.

Holidays come from the time layer's `holidays_between`, the function the SLA clocks
and rotations close on, so the published dates are the ones the clocks use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opskit.docs.inputs import SiteInput, customer_facing, public_tiers
from opskit.docs.words import DAYS, hours_words, windows_words
from opskit.policy.model import Calendar
from opskit.time import zones
from opskit.time.calendars import holidays_between


def twelve_months(first: dt.date) -> dt.date:
    """The last day of the twelve months starting on `first`."""
    try:
        following = first.replace(year=first.year + 1)
    except ValueError:  # 29 February
        following = dt.date(first.year + 1, 3, 1)
    return following - dt.timedelta(days=1)


def first_day(calendar: Calendar, now: int) -> dt.date:
    """The calendar's local date at `now`: its twelve months of holidays start there."""
    return zones.date_of(zones.get(calendar.timezone).wall(now))


def holiday_rows(calendar: Calendar, now: int) -> list[dict[str, str]]:
    first = first_day(calendar, now)
    found = holidays_between(calendar, first, twelve_months(first))
    return [
        {"date": day.isoformat(), "weekday": DAYS[day.weekday()], "name": name}
        for day, name in sorted(found.items())
    ]


def _uses(site: SiteInput, calendar: Calendar) -> list[str]:
    policy = site.policy
    tiers = [f"{t.name} tier" for t in public_tiers(policy) if t.calendar is calendar]
    services = [f"{s.name} support hours" for s in customer_facing(policy)
                if s.support_hours is calendar]  # fmt: skip
    return tiers + services


def calendars(site: SiteInput) -> list[dict[str, Any]]:
    out = []
    for calendar in sorted(site.policy.calendars.values(), key=lambda c: c.name):
        data = calendar.source.data if calendar.source is not None else {}
        description = data.get("description") if isinstance(data, dict) else None
        region = calendar.holiday_country or ""
        if region and calendar.holiday_subdivision:
            region += f"-{calendar.holiday_subdivision}"
        out.append({
            "calendar": calendar,
            "description": description if isinstance(description, str) else "",
            "summary": hours_words(calendar),
            "week": [{"day": DAYS[d], "hours": windows_words(calendar.working_hours.get(d, []))}
                     for d in range(7)],
            "region": region,
            "first": first_day(calendar, site.now).isoformat(),
            "holidays": holiday_rows(calendar, site.now),
            "uses": _uses(site, calendar),
        })  # fmt: skip
    return out


def round_the_clock(site: SiteInput) -> list[str]:
    """Tiers whose clocks never stop: the 24x7 calendar, holidays included."""
    return [t.name for t in public_tiers(site.policy) if t.calendar.always_open]
