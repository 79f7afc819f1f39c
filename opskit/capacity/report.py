"""The capacity of every desk: hour by hour (Erlang C, the backlog), over real weeks
(simulation), and the promises that cannot be kept, with the hours and the people missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from opskit.capacity import desk_sim, routing, scenario, supply
from opskit.capacity.assess import Hour, Promise, assess
from opskit.capacity.demand import Key
from opskit.capacity.desks import Desk, desks
from opskit.capacity.scenario import Measured, Scenario
from opskit.policy.model import Policy
from opskit.time import zones

WEEK = 7 * 86400


@dataclass(frozen=True, slots=True)
class Finding:
    """A promise that cannot be kept in some hours of the week."""

    desk: str
    tier: str
    priority: str
    hours: tuple[int, ...]  # of the week, on the desk's clock
    worst: float  # the lowest share answered within target in those hours
    goal: float
    target: str  # as the policy writes it
    missing: int  # the most people missing in those hours
    zone: str


@dataclass(frozen=True, slots=True)
class DeskReport:
    """One desk's capacity: promises, ticket rates, each hour assessed, and the simulation."""

    desk: Desk
    promises: dict[Key, Promise]
    rates: dict[Key, dict[int, float]]
    hours: list[Hour]
    people: dict[int, int]  # the typical week's head count, every hour
    agents: dict[int, float]
    simulated: desk_sim.Outcome | None = None

    def findings(self) -> list[Finding]:
        out = []
        for key, promise in self.promises.items():
            short = [h for h in self.hours if key in h.short(self.promises)]
            if not short:
                continue
            tier = next(t for t in self.desk.tiers if t.name == key[0])
            out.append(Finding(
                self.desk.name, key[0], key[1], tuple(h.hour for h in short),
                min(h.levels[key] for h in short), promise.goal,
                str(tier.targets[key[1]].first_response), max(h.missing_for(key) for h in short),
                self.desk.zone,
            ))  # fmt: skip
        return out


@dataclass(frozen=True, slots=True)
class Report:
    """Every desk's capacity under one scenario: demand from a window, staffing over weeks."""

    since: dt.datetime  # the demand's window
    until: dt.datetime
    tickets: int
    start: dt.datetime  # the staffing's weeks
    weeks: int
    scenario: Scenario
    desks: list[DeskReport] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        return [f for d in self.desks for f in d.findings()]


def monday_of(instant: int, zone_name: str) -> int:
    """Monday 00:00 of the instant's week on the zone's wall clock (wall seconds)."""
    wall = zones.get(zone_name).wall(instant)
    day = wall - wall % zones.DAY
    return day - zones.weekday_of(wall) * zones.DAY


def run(
    policy: Policy, measured: Callable[[Desk], Measured], *, since: dt.datetime,
    until: dt.datetime, tickets: int, start: dt.datetime, weeks: int, chosen: Scenario,
    seed: int | None = 1,
) -> Report:  # fmt: skip
    """Every desk; `measured(desk)` is the demand on that desk's clock; `seed` None: no
    simulation (validate's rule needs only the hourly assessment)."""
    if not 1 <= weeks <= 26:
        raise ValueError("weeks must be 1..26")
    report = Report(since, until, tickets, start, weeks, chosen)
    levels = {p.name: p.level for p in policy.priorities.values()}
    for desk in desks(policy):
        found = measured(desk)
        monday = monday_of(zones.from_datetime(start), desk.zone)
        lo = zones.get(desk.zone).utc(monday)
        staffer = routing.Staffer(lo, lo + weeks * WEEK)
        staffed = staffer(desk.rotations)
        people, agents = supply.typical_week(staffed, desk.zone)
        promises = scenario.promises(desk, found, levels)
        rates = scenario.rates(desk, found, chosen, monday, policy)
        opened = scenario.open_hours(desk, monday)
        hours = assess(rates, promises, people, agents, opened, shrinkage=desk.shrinkage,
                       pools=routing.pools(desk, staffer))  # fmt: skip
        simulated = None
        if seed is not None:
            tiers = {t.name: t for t in desk.tiers}
            simulated = desk_sim.simulate(staffed, desk.zone, rates, promises, tiers, levels,
                                          seed=seed, groups=routing.groups(desk, staffer))  # fmt: skip
        report.desks.append(DeskReport(desk, promises, rates, hours, people, agents, simulated))
    return report
