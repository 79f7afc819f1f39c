"""A desk over real weeks, simulated: priorities first, business hours, holidays, shifts.

What Erlang C cannot take: tickets are served highest priority first (first come, first
served within a priority), each by someone of its tier's rotations (``routing.groups``);
the agents of each hour are the rotations' people that hour (holidays included), each of
them away from tickets for the hour at random as often as shrinkage says (at 30 % three
hours in ten: breaks, meetings, projects); an agent going off shift finishes the ticket in
hand; a ticket is on time when an agent takes it by its due instant on its tier's calendar
(so a Standard ticket of Friday night is due in Monday's working hours). Arrivals are
Poisson at the rates of the hours of the week, handle times exponential. Seeded: the same
inputs give the same figures.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from opskit.capacity.assess import Promise
from opskit.capacity.demand import Key, hour_of_week
from opskit.capacity.supply import HOUR, Staffing
from opskit.policy.model import SlaTier
from opskit.time import zones
from opskit.time.business_time import business_time

MAX_TICKETS = 2_000_000  # bounds one run: some seconds
Ticket = tuple[float, Key, float, float, int]  # arrival, promise, handle, due, hour of week
Group = tuple[Staffing, frozenset[str]]  # people of some rotations, and the tiers they answer


@dataclass(slots=True)
class Outcome:
    """Simulated tickets and those answered on time, per promise and per hour they came in."""

    tickets: Counter[Key] = field(default_factory=Counter)
    met: Counter[Key] = field(default_factory=Counter)
    by_hour: Counter[tuple[Key, int]] = field(default_factory=Counter)  # tickets by arrival hour
    met_by_hour: Counter[tuple[Key, int]] = field(default_factory=Counter)

    def count(self, ticket: Ticket, on_time: bool) -> None:
        key, hour = ticket[1], ticket[4]
        self.tickets[key] += 1
        self.by_hour[(key, hour)] += 1
        if on_time:
            self.met[key] += 1
            self.met_by_hour[(key, hour)] += 1

    def share(self, key: Key, hour: int | None = None) -> float | None:
        if hour is None:
            n, m = self.tickets[key], self.met[key]
        else:
            n, m = self.by_hour[(key, hour)], self.met_by_hour[(key, hour)]
        return m / n if n else None


def simulate(
    staffing: Staffing, zone_name: str, rates: Mapping[Key, Mapping[int, float]],
    promises: Mapping[Key, Promise], tiers: Mapping[str, SlaTier], levels: Mapping[str, int],
    *, seed: int, runs: int = 8, groups: Sequence[Group] | None = None,
) -> Outcome:  # fmt: skip
    """`runs` seeded runs over the staffing's hours; `levels`: priority name -> level;
    `groups`: who may answer which tier (``routing.groups``; None: the staffing, every
    tier)."""
    if not 1 <= runs <= 100:
        raise ValueError("runs must be 1..100")
    zone = zones.get(zone_name)
    hours = len(staffing.people)
    week_hours = [hour_of_week(zones.to_datetime(staffing.lo + h * HOUR), zone)
                  for h in range(hours)]  # fmt: skip
    out = Outcome()
    for run in range(runs):
        rng = random.Random(seed * 1009 + run)
        tickets = _arrivals(rng, staffing.lo, week_hours, rates, promises, tiers)
        if len(tickets) > MAX_TICKETS:
            raise ValueError(f"more than {MAX_TICKETS:,} tickets to simulate")
        _serve(groups or [(staffing, frozenset(tiers))], tickets, levels, out, rng)
    return out


def _arrivals(
    rng: random.Random, lo: int, week_hours: list[int], rates: Mapping[Key, Mapping[int, float]],
    promises: Mapping[Key, Promise], tiers: Mapping[str, SlaTier],
) -> list[Ticket]:  # fmt: skip
    out: list[Ticket] = []
    for key, by_hour in rates.items():
        if key not in promises:
            continue
        clock, promise = business_time(tiers[key[0]].calendar), promises[key]
        target = tiers[key[0]].targets[key[1]].first_response
        for h, week_hour in enumerate(week_hours):
            rate = by_hour.get(week_hour, 0.0)
            t = lo + h * HOUR + (rng.expovariate(rate) if rate > 0 else HOUR)
            while t < lo + (h + 1) * HOUR:
                due = clock.due(int(t), target)
                out.append((t, key, rng.expovariate(1 / promise.handle), float(due), week_hour))
                t += rng.expovariate(rate)
    out.sort(key=lambda ticket: ticket[0])
    return out


class _Desk:
    """The agents of each group: on shift and present this hour, and busy now."""

    def __init__(self, groups: Sequence[Group], tiers: set[str]) -> None:
        self.groups = groups
        self.present = [0] * len(groups)
        self.busy = [0] * len(groups)
        by_breadth = sorted(range(len(groups)), key=lambda g: len(groups[g][1]))
        # the groups that may answer each tier, those answering the fewest tiers first
        self.eligible = {t: [g for g in by_breadth if t in groups[g][1]] for t in tiers}

    def free(self, tier: str) -> int | None:
        return next((g for g in self.eligible[tier] if self.busy[g] < self.present[g]), None)


def _serve(
    groups: Sequence[Group], tickets: list[Ticket], levels: Mapping[str, int], out: Outcome,
    rng: random.Random,
) -> None:  # fmt: skip
    lo, hours = groups[0][0].lo, len(groups[0][0].people)
    desk = _Desk(groups, {t[1][0] for t in tickets})
    waiting: dict[str, list[tuple[int, float, int]]] = {t: [] for t in desk.eligible}
    ending: list[tuple[float, int]] = []  # (when a busy agent is done, their group)
    i, n = 0, len(tickets)
    for h in range(hours):
        start, end = lo + h * HOUR, lo + (h + 1) * HOUR
        for g, (staffing, _) in enumerate(groups):
            on_shift = staffing.people[h]
            keep = staffing.productive[h] / on_shift if on_shift else 0.0
            # each person on shift is away for the hour as often as shrinkage says
            desk.present[g] = sum(1 for _ in range(on_shift) if rng.random() < keep)
        _dispatch(float(start), desk, waiting, ending, tickets, out)
        while True:
            next_arrival = tickets[i][0] if i < n else math.inf
            next_done = ending[0][0] if ending else math.inf
            if min(next_arrival, next_done) >= end:
                break
            if next_done <= next_arrival:
                now, group = heapq.heappop(ending)
                desk.busy[group] -= 1
            else:
                now, tier = next_arrival, tickets[i][1][0]
                heapq.heappush(waiting[tier], (levels.get(tickets[i][1][1], 99), now, i))
                i += 1
            _dispatch(now, desk, waiting, ending, tickets, out)
    for queue in waiting.values():  # not answered in the window: missed if it was due in it
        for _, _, index in queue:
            if tickets[index][3] <= lo + hours * HOUR:
                out.count(tickets[index], False)


def _dispatch(
    now: float, desk: _Desk, waiting: dict[str, list[tuple[int, float, int]]],
    ending: list[tuple[float, int]], tickets: list[Ticket], out: Outcome,
) -> None:  # fmt: skip
    """The most urgent waiting tickets (first come within a priority) to free agents who
    may answer them, until no waiting ticket has one."""
    while True:
        heads = [(q[0], t) for t, q in waiting.items() if q and desk.free(t) is not None]
        if not heads:
            return
        _, tier = min(heads)
        _, _, index = heapq.heappop(waiting[tier])
        group = desk.free(tier)
        assert group is not None
        _, _, handle, due, _ = tickets[index]
        out.count(tickets[index], now <= due)
        heapq.heappush(ending, (now + handle, group))
        desk.busy[group] += 1
