"""Each hour of the week at a desk: the service level its staffing gives each promise, the
people the goals need, and the people missing.

The interval method workforce tools staff by, with Erlang C: the desk's tickets, of every
tier and priority, arrive at random at the hour's rate into one first-come-first-served
queue (the simulation beside this orders by priority). A tier on business hours starts its
clock at its calendar's next opening, so its tickets of closed hours are counted in the
hour it opens: the weekend's Standard tickets are Monday 08:00's. Shrinkage slows the
people on shift: at 30 % a 20-minute ticket takes an agent's 29 minutes of shift.

A promise whose target is longer than an hour need only be kept over the target's span:
its tickets of an hour are answered in time if the desk keeps up over the next open hours
the target lasts (`2bd` on 10-hour days: the next 20). So each promise is assessed on the
rate and staffing averaged over that span (a mean head count between two whole ones
interpolated), and a 15-minute P1 on its hour alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opskit.capacity.demand import HOURS_OF_WEEK, Key
from opskit.capacity.erlang import MAX_AGENTS, Queue, agents_needed, occupancy, service_level


@dataclass(frozen=True, slots=True)
class Promise:
    tier: str
    priority: str
    target: float  # first-response target, seconds of open time
    goal: float  # share to answer within it
    handle: float  # mean agent work a ticket, seconds

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
    rate: float
    handle: float  # per ticket, on shift (shrinkage included)
    people: float  # on shift: the hour's, or the mean over a longer target's span

    def level(self, target: float) -> float:
        """Erlang C counts whole people; a mean between two counts is interpolated."""
        queue, low = Queue(self.rate, self.handle), math.floor(self.people)
        below = service_level(low, queue, target) if low else 0.0
        if self.people == low:
            return below
        return below + (self.people - low) * (service_level(low + 1, queue, target) - below)


def assess(
    rates: Mapping[Key, Mapping[int, float]],
    promises: Mapping[Key, Promise],
    people: Mapping[int, int],
    agents: Mapping[int, float],
    open_hours: Mapping[str, Sequence[bool]],
    *,
    shrinkage: float,
) -> list[Hour]:
    """Every hour of the week with tickets. `rates`: arrivals a second by promise and hour
    of the week (already moved to the hour a clock starts); `people`, `agents`: per hour;
    `open_hours`: per tier, whether its calendar is open in each hour of the week."""
    total = [sum(r.get(h, 0.0) for k, r in rates.items() if k in promises)
             for h in range(HOURS_OF_WEEK)]  # fmt: skip
    work = [sum(r.get(h, 0.0) * promises[k].handle for k, r in rates.items() if k in promises)
            for h in range(HOURS_OF_WEEK)]  # fmt: skip
    keep = [agents.get(h, 0.0) / people[h] if people.get(h) else 1.0 - shrinkage
            for h in range(HOURS_OF_WEEK)]  # fmt: skip
    out = []
    for hour in range(HOURS_OF_WEEK):
        here = [k for k, r in rates.items() if r.get(hour, 0.0) > 0 and k in promises]
        if not here:
            continue
        levels, needed, have = {}, {}, {}
        for key in here:
            promise = promises[key]
            load = _over(hour, promise.span, open_hours[key[0]], total, work, keep, people)
            levels[key] = load.level(promise.target)
            needed[key] = agents_needed(Queue(load.rate, load.handle), promise.target, promise.goal)
            have[key] = math.floor(load.people)
        heads, on = people.get(hour, 0), agents.get(hour, 0.0)
        handle = work[hour] / total[hour]
        busy = occupancy(heads, Queue(total[hour], handle / keep[hour])) if heads else 1.0
        out.append(Hour(hour, total[hour], handle, heads, on, levels, needed, have, busy))
    return out


def _over(
    hour: int, span: int, open_: Sequence[bool], total: list[float], work: list[float],
    keep: list[float], people: Mapping[int, int],
) -> _Load:  # fmt: skip
    """The desk's load and staffing averaged over the next `span` open hours from `hour`."""
    chosen: list[int] = []
    for k in range(HOURS_OF_WEEK):
        h = (hour + k) % HOURS_OF_WEEK
        if open_[h] or not any(open_):
            chosen.append(h)
            if len(chosen) == span:
                break
    rate = sum(total[h] for h in chosen) / len(chosen)
    spent = sum(work[h] / keep[h] if keep[h] > 0 else math.inf for h in chosen) / len(chosen)
    heads = sum(people.get(h, 0) for h in chosen) / len(chosen)
    handle = spent / rate if rate > 0 and math.isfinite(spent) else 1e9
    return _Load(rate, min(max(handle, 1e-6), 1e9), min(heads, MAX_AGENTS))
