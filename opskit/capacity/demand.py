"""Demand from ticket history: arrivals per hour of the week, per tier and priority.

An hour of the week is counted on the support desk's clock (its calendar's zone), Monday
00:00 being hour 0, so a Monday-morning peak stays a Monday-morning peak across the clock
changes. The rate of an hour is the tickets that arrived in it, over the window, divided
by how many times that hour occurred in the window. Tickets are also counted per customer
(a growth scenario adds a customer like one we have) and their logged work time is summed
(the handle time, where the history has it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from opskit.time import zones

HOURS_OF_WEEK = 168
MAX_TICKETS = 10_000_000  # bounds a history: years of a large desk
Key = tuple[str, str]  # (tier, priority)


@dataclass(frozen=True, slots=True)
class Arrival:
    """A ticket of the history as demand counts it: when it came, its tier and priority."""

    created: dt.datetime  # aware
    tier: str
    priority: str
    customer: str = ""  # the Customer's policy name, "" for a service's tier
    handle: float | None = None  # agent work time logged on the ticket, seconds


def hour_of_week(moment: dt.datetime, zone: zones.Zone) -> int:
    wall = zone.wall(zones.from_datetime(moment))
    return zones.weekday_of(wall) * 24 + wall % zones.DAY // 3600


@dataclass(slots=True)
class Demand:
    """Tickets an hour, for each hour of the week, of each (tier, priority)."""

    zone: str
    since: dt.datetime
    until: dt.datetime
    counts: dict[Key, Counter[int]] = field(default_factory=dict)
    occurrences: Counter[int] = field(default_factory=Counter)  # how often each hour occurred
    by_customer: dict[tuple[str, str, str], Counter[int]] = field(default_factory=dict)
    worked: dict[Key, list[float]] = field(default_factory=dict)  # [seconds, tickets]

    def per_hour(self, tier: str, priority: str, hour: int) -> float:
        """Mean arrivals in that hour of the week."""
        seen = self.occurrences[hour]
        return self.counts.get((tier, priority), Counter())[hour] / seen if seen else 0.0

    def rate(self, tier: str, priority: str, hour: int) -> float:
        """Arrivals a second in that hour of the week."""
        return self.per_hour(tier, priority, hour) / 3600

    def total(self, tier: str, priority: str) -> int:
        return sum(self.counts.get((tier, priority), Counter()).values())

    def customer_rates(self, customer: str) -> dict[Key, dict[int, float]]:
        """Arrivals a second by hour of the week of one customer's tickets."""
        out: dict[Key, dict[int, float]] = {}
        for (tier, priority, name), counts in self.by_customer.items():
            if name == customer:
                out[(tier, priority)] = {
                    h: n / self.occurrences[h] / 3600 for h, n in counts.items()
                    if self.occurrences[h]
                }  # fmt: skip
        return out

    def handle(self, tier: str, priority: str, *, at_least: int = 5) -> float | None:
        """Mean logged work time, seconds, when at least `at_least` tickets logged some."""
        seconds, tickets = self.worked.get((tier, priority), [0.0, 0.0])
        return seconds / tickets if tickets >= at_least else None


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
        if not since <= arrival.created < until:
            continue
        key, hour = (arrival.tier, arrival.priority), hour_of_week(arrival.created, zone)
        found.counts.setdefault(key, Counter())[hour] += 1
        named = (arrival.tier, arrival.priority, arrival.customer)
        found.by_customer.setdefault(named, Counter())[hour] += 1
        if arrival.handle is not None and arrival.handle > 0:
            sums = found.worked.setdefault(key, [0.0, 0.0])
            sums[0] += arrival.handle
            sums[1] += 1
    return found
