"""Each hour of the week at a desk: the service level its staffing gives each promise, the
people the goals need, and the people missing.

The interval method workforce tools staff by, with Erlang C: the desk's tickets, of every
tier and priority, arrive at random at the hour's rate into one queue, and a first
response goes to the most urgent ticket first: answering a P1 interrupts work on a P3, so
each priority waits only behind the load of its own and the more urgent priorities (Erlang
C over that load). A tier on business hours starts its clock at its calendar's next
opening, so its tickets of closed hours are counted in the hour it opens: the weekend's
Standard tickets are Monday 08:00's. Shrinkage (breaks, meetings, projects) takes people
away from the queue, as workforce planning counts it (agents needed / (1 - shrinkage)):
within an hour's target it is the chance that nobody is there (at 20 % one person is 0.8
of an agent, a share interpolated between whole ones, so a lone engineer answers at best
four tickets in five at once); over a longer one an absence only delays: it is a share of
their time.

A promise holds in every hour its tier's clock runs, tickets seen there or not. Within an
hour's target chance decides, and Erlang C above says how often: such a promise is
assessed on its hour alone. Over hours and days the week's ebb and flow decides instead,
as workforce planners plan deferred work: a promise with a longer target is assessed on
the fluid queue of ``backlog`` (the work ahead of a ticket and the more urgent work that
comes while it waits, against its target on its tier's clock). Who answers which tier,
and how much of another tier's work reaches a pool, is ``routing``'s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opskit.capacity import backlog
from opskit.capacity.demand import HOURS_OF_WEEK, Key
from opskit.capacity.erlang import MAX_AGENTS, Queue, occupancy, service_level
from opskit.capacity.routing import Pools

# a pool's people per hour, their share at work, and the work reaching it per hour
# (erlangs) of a priority with the more urgent, and of the more urgent alone
Staff = tuple[Mapping[int, int], list[float], list[float], list[float]]


HOUR = 3600


@dataclass(frozen=True, slots=True)
class Promise:
    """A tier's first-response promise for one priority: target, goal and work a ticket takes."""

    tier: str
    priority: str
    target: float  # first-response target, seconds of open time
    goal: float  # share to answer within it
    handle: float  # mean agent work a ticket, seconds
    rank: int = 0  # the priority's level: lower is more urgent, served first

    @property
    def key(self) -> Key:
        return (self.tier, self.priority)

    @property
    def deferred(self) -> bool:
        """A target longer than an hour: its tickets may wait for the backlog to clear."""
        return self.target > HOUR


@dataclass(frozen=True, slots=True)
class Hour:
    """One hour of the week at a desk: its tickets, staffing, and each promise's service level."""

    hour: int  # of the week, 0 = Monday 00:00 on the desk's clock
    rate: float  # arrivals a second, all the desk's tickets
    handle: float  # their mean handle time, seconds
    people: int  # on shift, as the policies roster them
    agents: float  # productive agents: people less shrinkage
    levels: dict[Key, float]  # share answered within target, per promise with tickets
    needed: dict[Key, int]  # people on shift each promise needs (where short, if deferred)
    have: dict[Key, int]  # people on shift in the hour (or the pool's next hour on shift)
    occupancy: float

    @property
    def missing(self) -> int:
        return max((self.missing_for(k) for k in self.needed), default=0)

    def short(self, promises: Mapping[Key, Promise]) -> list[Key]:
        """The promises this hour cannot keep."""
        return [k for k, level in self.levels.items() if level < promises[k].goal]

    def missing_for(self, key: Key) -> int:
        return max(self.needed[key] - self.have[key], 0)


@dataclass(frozen=True, slots=True)
class _Load:
    """A pool's people in one hour and the work of a priority and the more urgent reaching it."""

    handle: float  # mean work a ticket, seconds
    people: float  # on shift in the hour
    agents: float  # of them, at work on tickets (people less shrinkage)
    own: float  # erlangs of this priority and those more urgent

    @property
    def keep(self) -> float:
        return self.agents / self.people if self.people else 1.0

    def at(self, agents: int, target: float) -> float:
        return service_level(agents, Queue(self.own / self.handle, self.handle), target)

    def level(self, target: float, people: float | None = None) -> float:
        """Erlang C counts whole agents: shrinkage is the chance nobody is there, a share
        of an agent interpolated between whole ones."""
        people = self.people if people is None else people
        count = people * max(self.keep, 1e-9)
        low = math.floor(count)
        below = self.at(low, target) if low else 0.0
        if count == low:
            return below
        return below + (count - low) * (self.at(low + 1, target) - below)

    def needed(self, target: float, goal: float) -> int:
        """People on shift the goal needs, each at work the share the hour's people are."""
        people = max(1, math.floor(self.own / max(self.keep, 1e-9)))
        while self.level(target, people) < goal:
            people += 1
            if people > MAX_AGENTS:
                raise ValueError(f"more than {MAX_AGENTS:,} people needed")
        return people


def assess(
    rates: Mapping[Key, Mapping[int, float]],
    promises: Mapping[Key, Promise],
    people: Mapping[int, int],
    agents: Mapping[int, float],
    open_hours: Mapping[str, Sequence[bool]],
    *,
    shrinkage: float,
    pools: Pools | None = None,
) -> list[Hour]:
    """Every hour of the week some promise's clock runs in, or with tickets. `rates`:
    arrivals a second by promise and hour of the week (already moved to the hour a clock
    starts); `people`, `agents`: the desk's, per hour; `open_hours`: per tier, whether its
    calendar is open in each hour of the week; `pools`: who answers each tier (``routing``;
    None: the whole desk answers every tier)."""
    total = [sum(r.get(h, 0.0) for k, r in rates.items() if k in promises)
             for h in range(HOURS_OF_WEEK)]  # fmt: skip
    work = [sum(r.get(h, 0.0) * promises[k].handle for k, r in rates.items() if k in promises)
            for h in range(HOURS_OF_WEEK)]  # fmt: skip
    keep = [agents.get(h, 0.0) / people[h] if people.get(h) else 1.0 - shrinkage
            for h in range(HOURS_OF_WEEK)]  # fmt: skip
    if pools is None:
        pools = Pools.whole({k[0] for k in promises}, people, agents)
    staff = _staff(rates, promises, pools, shrinkage)
    deferred = {key: backlog.Deferred(*staff[key], open_hours[key[0]], promise.target / HOUR,
                                      promise.goal)
                for key, promise in promises.items() if promise.deferred}  # fmt: skip
    out = []
    for hour in range(HOURS_OF_WEEK):
        # A promise holds in every hour its tier's clock runs, tickets seen there or not:
        # a P1 that has not come at 03:00 yet will, and finds the desk as the others left it.
        here = [k for k in promises
                if open_hours[k[0]][hour] or (rates.get(k) or {}).get(hour, 0.0) > 0]  # fmt: skip
        if not here:
            continue
        levels, needed, have = {}, {}, {}
        for key in here:
            promise = promises[key]
            if key in deferred:
                levels[key], needed[key], have[key] = deferred[key].hour(hour)
                continue
            crew, kept, own, _ = staff[key]
            load = _at(hour, open_hours[key[0]], total, work, kept, crew, own)
            levels[key] = load.level(promise.target)
            needed[key] = load.needed(promise.target, promise.goal)
            have[key] = math.floor(load.people)
        heads, on = people.get(hour, 0), agents.get(hour, 0.0)
        handle = work[hour] / total[hour] if total[hour] else 0.0
        if not total[hour]:
            busy = 0.0
        else:
            busy = occupancy(heads, Queue(total[hour], handle / keep[hour])) if heads else 1.0
        out.append(Hour(hour, total[hour], handle, heads, on, levels, needed, have, busy))
    return out


def _staff(
    rates: Mapping[Key, Mapping[int, float]], promises: Mapping[Key, Promise], pools: Pools,
    shrinkage: float,
) -> dict[Key, Staff]:  # fmt: skip
    """Per promise: its tier's pool (people, their share at work) and the work that reaches
    the pool from its own and the more urgent priorities of every tier, and from the more
    urgent alone."""
    out: dict[Key, Staff] = {}
    work = {tier: [0.0] * HOURS_OF_WEEK for tier in pools.people}
    for key, rate_of in rates.items():
        if key in promises and key[0] in work:
            for h, rate in rate_of.items():
                work[key[0]][h] += rate * promises[key].handle
    hasty, patient = pools.routed(work), pools.routed(work, patient=True)
    for key, promise in promises.items():
        tier = key[0]
        crew, on = pools.people[tier], pools.agents[tier]
        kept = [on.get(h, 0.0) / crew[h] if crew.get(h) else 1.0 - shrinkage
                for h in range(HOURS_OF_WEEK)]  # fmt: skip
        given: dict[str, list[float]] = {}  # work of this priority and the more urgent
        urgent: dict[str, list[float]] = {}  # of the more urgent only
        for other in promises.values():
            if other.rank <= promise.rank:
                share = (patient if promise.deferred else hasty)[(other.tier, tier)]
                load = given.setdefault(other.tier, [0.0] * HOURS_OF_WEEK)
                ahead = urgent.setdefault(other.tier, [0.0] * HOURS_OF_WEEK)
                for h, rate in (rates.get(other.key) or {}).items():
                    reaching = rate * other.handle * share[h]
                    load[h] += reaching
                    if other.rank < promise.rank:
                        ahead[h] += reaching
        out[key] = (crew, kept, _reaching(given, tier, pools),
                    _reaching(urgent, tier, pools))  # fmt: skip
    return out


def _reaching(given: Mapping[str, list[float]], tier: str, pools: Pools) -> list[float]:
    """The work of every tier that reaches `tier`'s pool each hour, erlangs."""
    own = [0.0] * HOURS_OF_WEEK
    for giver, load in given.items():
        if (giver, tier) in pools.narrower:
            load = _worked(load, pools.agents[giver])
        for h in range(HOURS_OF_WEEK):
            own[h] += load[h]
    return own


def _worked(load: Sequence[float], agents: Mapping[int, float]) -> list[float]:
    """The work a narrower pool does each hour of the week: what arrives, as far as its
    agents can, the rest carried into the next hours (the week round twice, so Sunday's
    backlog reaches Monday)."""
    done, carried = [0.0] * HOURS_OF_WEEK, 0.0
    for h in list(range(HOURS_OF_WEEK)) * 2:
        carried += load[h]
        done[h] = min(carried, agents.get(h, 0.0))
        carried -= done[h]
    return done


def _at(
    hour: int, open_: Sequence[bool], total: list[float], work: list[float],
    keep: list[float], people: Mapping[int, int], own: list[float],
) -> _Load:  # fmt: skip
    """The pool's staffing and the work of this priority and those more urgent (`own`) in
    the hour, or in the next hour its tier's clock runs, when its tickets start."""
    h = next((h % HOURS_OF_WEEK for h in range(hour, hour + HOURS_OF_WEEK)
              if open_[h % HOURS_OF_WEEK]), hour)  # fmt: skip
    handle = min(max(work[h] / total[h] if total[h] > 0 else 1.0, 1e-6), 1e9)
    heads = min(float(people.get(h, 0)), MAX_AGENTS)
    return _Load(handle, heads, min(heads * keep[h], MAX_AGENTS), own[h])
