"""Demand from ticket history: arrivals per hour of the week, per tier and priority.

An hour of the week is counted on the support desk's clock (its calendar's zone), Monday
00:00 being hour 0, so a Monday-morning peak stays a Monday-morning peak across the clock
changes. The rate of an hour is the tickets that arrived in it, over the window, divided
by how many times that hour occurred in the window.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from opskit.time import zones

HOURS_OF_WEEK = 168
MAX_TICKETS = 10_000_000  # bounds a history: years of a large desk


@dataclass(frozen=True, slots=True)
class Arrival:
    created: dt.datetime  # aware
    tier: str
    priority: str


def hour_of_week(moment: dt.datetime, zone: zones.Zone) -> int:
    wall = zone.wall(zones.from_datetime(moment))
    return zones.weekday_of(wall) * 24 + wall % zones.DAY // 3600


@dataclass(slots=True)
class Demand:
    """Tickets an hour, for each hour of the week, of each (tier, priority)."""

    zone: str
    since: dt.datetime
    until: dt.datetime
    counts: dict[tuple[str, str], Counter[int]] = field(default_factory=dict)
    occurrences: Counter[int] = field(default_factory=Counter)  # how often each hour occurred

    def per_hour(self, tier: str, priority: str, hour: int) -> float:
        """Mean arrivals in that hour of the week."""
        seen = self.occurrences[hour]
        return self.counts.get((tier, priority), Counter())[hour] / seen if seen else 0.0

    def rate(self, tier: str, priority: str, hour: int) -> float:
        """Arrivals a second in that hour of the week."""
        return self.per_hour(tier, priority, hour) / 3600

    def total(self, tier: str, priority: str) -> int:
        return sum(self.counts.get((tier, priority), Counter()).values())


def demand(
    arrivals: Iterable[Arrival], zone_name: str, since: dt.datetime, until: dt.datetime
) -> Demand:
    """Count arrivals in [since, until) by hour of the week on `zone_name`'s clock."""
    if until <= since:
        raise ValueError("the window must end after it starts")
    zone = zones.get(zone_name)
    found = Demand(zone_name, since, until)
    lo, hi = zones.from_datetime(since), zones.from_datetime(until)
    # each hour of the window, once: what an hour's count is divided by
    t = lo - lo % 3600
    while t < hi:
        found.occurrences[hour_of_week(zones.to_datetime(t), zone)] += 1
        t += 3600
    for n, arrival in enumerate(arrivals):
        if n >= MAX_TICKETS:
            raise ValueError(f"at most {MAX_TICKETS:,} tickets")
        if since <= arrival.created < until:
            key = (arrival.tier, arrival.priority)
            found.counts.setdefault(key, Counter())[hour_of_week(arrival.created, zone)] += 1
    return found
