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
for a target of an hour or less it is the chance that nobody is there (at 20 % one person
is 0.8 of an agent, a share interpolated between whole ones, so a lone engineer answers
at best four tickets in five at once); for a longer target an absence only delays, so the
work takes 1 / (1 - shrinkage) of their time.

A promise holds in every hour its tier's clock runs, tickets seen there or not. One whose
target is longer than an hour need only be kept over the target's span: its tickets of an
hour are answered in time if the desk keeps up over the next open hours the target lasts
(`2bd` on 10-hour days: the next 20). So each promise is assessed on the load and staffing
averaged over that span, less the work people on shift while its clock is stopped clear in
between (the New York desk's evening on a Berlin calendar), and a 15-minute P1 on its hour
alone. Over such a span 1.3 people are a share of two people's time, not a 30 % chance of
a second one. Who answers which tier, and how much of another tier's work reaches a pool,
is ``routing``'s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opskit.capacity.demand import HOURS_OF_WEEK, Key
from opskit.capacity.erlang import MAX_AGENTS, Queue, occupancy, service_level
from opskit.capacity.routing import Pools


@dataclass(frozen=True, slots=True)
class Promise:
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
    def span(self) -> int:
        """Open hours its tickets may wait: the hours the desk must keep up over."""
        return min(max(math.ceil(self.target / 3600), 1), HOURS_OF_WEEK)


@dataclass(frozen=True, slots=True)
class Hour:
    hour: int  # of the week, 0 = Monday 00:00 on the desk's clock
    rate: float  # arrivals a second, all the desk's tickets
    handle: float  # their mean handle time, seconds
    people: int  # on shift, as the policies roster them
    agents: float  # productive agents: people less shrinkage
    levels: dict[Key, float]  # share answered within target, per promise with tickets
    needed: dict[Key, int]  # people on shift each promise needs (over its span)
    have: dict[Key, int]  # people on shift throughout its span
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
    handle: float  # mean work a ticket, seconds
    people: float  # on shift: the hour's, or the mean over a longer target's span
    agents: float  # of them, at work on tickets (people less shrinkage), the same way
    own: float  # erlangs of this priority and those more urgent

    @property
    def keep(self) -> float:
        return self.agents / self.people if self.people else 1.0

    def at(self, agents: int, target: float, slower: float) -> float:
        handle = self.handle / slower
        return service_level(agents, Queue(self.own / self.handle, handle), target)

    def level(self, target: float, people: float | None = None) -> float:
        """Erlang C counts whole agents. Within an hour's target, shrinkage and a share of a
        person are the chance nobody is there (a lone engineer away a fifth of the time
        answers at best 80 % at once: the share is interpolated between whole agents); over
        a longer one, an absence only delays, so both are a share of their time: the whole
        people round up, each working the share of the hour they are there."""
        people = self.people if people is None else people
        keep = max(self.keep, 1e-9)
        if target > 3600:
            whole = math.ceil(people)
            return self.at(whole, target, keep * people / whole) if whole else 0.0
        count = people * keep
        low = math.floor(count)
        below = self.at(low, target, 1.0) if low else 0.0
        if count == low:
            return below
        return below + (count - low) * (self.at(low + 1, target, 1.0) - below)

    def needed(self, target: float, goal: float) -> int:
        """People on shift the goal needs, each at work the share the span's people are."""
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
            crew, kept, own = staff[key]
            load = _over(hour, promise.span, open_hours[key[0]], total, work, kept, crew, own)
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
) -> dict[Key, tuple[Mapping[int, int], list[float], list[float]]]:  # fmt: skip
    """Per promise: its tier's pool (people, their share at work) and the work that reaches
    the pool from its own and the more urgent priorities of every tier."""
    out: dict[Key, tuple[Mapping[int, int], list[float], list[float]]] = {}
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
        given: dict[str, list[float]] = {}
        for other in promises.values():
            if other.rank <= promise.rank:
                share = (patient if promise.span > 1 else hasty)[(other.tier, tier)]
                load = given.setdefault(other.tier, [0.0] * HOURS_OF_WEEK)
                for h, rate in (rates.get(other.key) or {}).items():
                    load[h] += rate * other.handle * share[h]
        own = [0.0] * HOURS_OF_WEEK
        for giver, load in given.items():
            if (giver, tier) in pools.narrower:
                load = _worked(load, pools.agents[giver])
            for h in range(HOURS_OF_WEEK):
                own[h] += load[h]
        out[key] = (crew, kept, own)
    return out


def _worked(load: Sequence[float], agents: Mapping[int, float]) -> list[float]:
    """The work a narrower pool does each hour of the week: what arrives, as far as its
    agents can, the rest carried into the next hours (the week round twice, so Sunday's
    backlog reaches Monday)."""
    done, backlog = [0.0] * HOURS_OF_WEEK, 0.0
    for h in list(range(HOURS_OF_WEEK)) * 2:
        backlog += load[h]
        done[h] = min(backlog, agents.get(h, 0.0))
        backlog -= done[h]
    return done


def _over(
    hour: int, span: int, open_: Sequence[bool], total: list[float], work: list[float],
    keep: list[float], people: Mapping[int, int], own: list[float],
) -> _Load:  # fmt: skip
    """The desk's staffing and the work of this priority and those more urgent (`own`),
    averaged over the next `span` open hours from `hour`. People on shift while the
    tier's clock is stopped in between (an evening desk) clear its backlog with the time
    the other work leaves them: that work is taken off the span's."""
    chosen: list[int] = []
    spare = 0.0
    for k in range(HOURS_OF_WEEK):
        h = (hour + k) % HOURS_OF_WEEK
        if open_[h] or not any(open_):
            chosen.append(h)
            if len(chosen) == span:
                break
        else:
            spare += max(people.get(h, 0) * keep[h] - own[h], 0.0)
    n = len(chosen)
    rate, spent = (sum(w[h] for h in chosen) / n for w in (total, work))
    handle = min(max(spent / rate if rate > 0 else 1.0, 1e-6), 1e9)
    heads = min(sum(people.get(h, 0) for h in chosen) / n, MAX_AGENTS)
    agents = min(sum(people.get(h, 0) * keep[h] for h in chosen) / n, MAX_AGENTS)
    return _Load(handle, heads, agents, max(sum(own[h] for h in chosen) - spare, 0.0) / n)
