"""Promises of more than an hour, planned as deferred work is: a fluid queue over the week.

Within an hour's target chance decides, and Erlang C says how often (``assess``). Over
hours and days the week's ebb and flow decides instead: a ticket is late when the work
already waiting ahead of it, and the more urgent work that comes while it waits, take
longer than its target on its tier's clock. So the pool's work is a fluid: each hour its
agents do what they can of it, the more urgent priorities first and first come, first
served within one, and the rest carries on into the next hours; later tickets of the
same priority never delay an earlier one, and people on shift while the tier's clock is
stopped (an evening desk on a Berlin calendar) keep working it. The week runs from empty
until it repeats (``WEEKS``); work that outgrows the week's capacity never gets done.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

from opskit.capacity.demand import HOURS_OF_WEEK

WEEKS = 4  # run from empty; the third week is read, the fourth gives late tickets room
READ = 2
MORE = 100  # people beyond those on shift searched for
POINTS = 10  # instants of each hour whose tickets are followed
EPSILON = 1e-9


def levels(
    capacity: Sequence[float], urgent: Sequence[float], same: Sequence[float],
    open_: Sequence[bool], target_hours: float,
) -> list[float]:  # fmt: skip
    """Per hour of the week, the share of this priority's tickets answered within
    `target_hours` of open time. `capacity`: the work the pool's agents can do each hour,
    erlang-hours; `urgent`, `same`: the work arriving each hour of the more urgent
    priorities and of this one (already at the hour their clocks start)."""
    week = HOURS_OF_WEEK
    if sum(urgent) + sum(same) > sum(capacity) + EPSILON:
        return [0.0] * week  # more work than the week's people: the backlog only grows
    hours = WEEKS * week
    left, waiting, done, opened = [], [0.0], [0.0], [0.0]
    ahead = 0.0
    for k in range(hours):
        h = k % week
        ahead += urgent[h]
        served = min(ahead, capacity[h])
        ahead -= served
        spare = capacity[h] - served  # what this priority gets of the hour
        left.append(spare)
        waiting.append(max(waiting[-1] + same[h] - spare, 0.0))
        done.append(done[-1] + spare)
        opened.append(opened[-1] + (1.0 if open_[h] else 0.0))

    def at(series: list[float], t: float) -> float:
        k = min(int(t), hours - 1)
        return series[k] + (t - k) * (series[k + 1] - series[k])

    out = []
    for h in range(week):
        on_time = 0
        for p in range(POINTS):
            t = READ * week + h + (p + 0.5) / POINTS
            k = int(t)
            queued = max(waiting[k] + (t - k) * (same[h] - left[k]), 0.0)
            goal = at(done, t) + queued
            j = bisect.bisect_left(done, goal - EPSILON)
            if j > hours:
                continue  # not answered within the weeks run
            picked = t
            if queued > EPSILON:
                picked = max(t, (j - 1) + (goal - done[j - 1]) / max(left[j - 1], EPSILON))
            if at(opened, picked) - at(opened, t) <= target_hours + EPSILON:
                on_time += 1
        out.append(on_time / POINTS)
    return out


class Deferred:
    """One promise on the fluid queue: its level in each hour of the week, and where it
    is short, the people on shift in every staffed hour of its pool that would keep it."""

    def __init__(
        self, crew: Mapping[int, int], kept: Sequence[float], own: Sequence[float],
        urgent: Sequence[float], open_: Sequence[bool], target_hours: float, goal: float,
    ) -> None:  # fmt: skip
        self.crew = [crew.get(h, 0) for h in range(HOURS_OF_WEEK)]
        self.kept, self.urgent, self.open_ = kept, urgent, open_
        self.target, self.goal = target_hours, goal
        self.same = [max(o - u, 0.0) for o, u in zip(own, urgent, strict=True)]
        self.levels = self._levels(0)
        self._needed: dict[int, int] = {}

    def _levels(self, people: int) -> list[float]:
        capacity = [max(n, people) * k if n else 0.0
                    for n, k in zip(self.crew, self.kept, strict=True)]  # fmt: skip
        return levels(capacity, self.urgent, self.same, self.open_, self.target)

    def _have(self, hour: int) -> int:
        """People on shift at the hour, or when the pool is next there."""
        return next((self.crew[(hour + k) % HOURS_OF_WEEK] for k in range(HOURS_OF_WEEK)
                     if self.crew[(hour + k) % HOURS_OF_WEEK]), 0)  # fmt: skip

    def hour(self, hour: int) -> tuple[float, int, int]:
        """The hour's level, the people it needs and the people it has."""
        level, have = self.levels[hour], self._have(hour)
        if level >= self.goal:
            return level, have, have
        if not self._needed:
            self._search()
        return level, self._needed.get(hour, have + MORE), have

    def _search(self) -> None:
        """The fewest people on every staffed hour that keep each short hour."""
        short = {h for h, level in enumerate(self.levels) if level < self.goal}
        if not any(self.crew):
            return  # nobody to add to: every hour needs MORE
        start = max(min(self._have(h) for h in short), 1)
        for people in range(start, start + MORE + 1):
            found = self._levels(people)
            for h in [h for h in short if found[h] >= self.goal]:
                self._needed[h] = max(people, self._have(h))
                short.discard(h)
            if not short:
                return
