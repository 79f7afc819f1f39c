"""A clock across priority changes, as the tier says (`priority_change`).

`retarget` keeps the clock's start and measures it against the target of the priority in
force when it stopped (or now); `restart` starts a still-running clock again at each change,
on the new priority's target; the part before a change is kept as an earlier cycle.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace

from opskit.policy.model import Priority, SlaTier
from opskit.sla.measure import Pause, Rules, measure
from opskit.sla.model import Clock, Metric, Segment
from opskit.sla.text import span, when
from opskit.time.duration import Duration


@dataclass(frozen=True, slots=True)
class Shift:
    """A ticket's priority changing from one Priority to another at an instant."""

    at: dt.datetime
    old: Priority
    new: Priority


def target(tier: SlaTier, priority: Priority, metric: Metric) -> Duration | None:
    targets = tier.targets.get(priority.name)
    if targets is None:
        return None
    return getattr(targets, metric.value, None)


def priority_at(points: list[tuple[dt.datetime, Priority]], t: dt.datetime) -> Priority:
    found = points[0][1]
    for since, priority in points:
        if since <= t:
            found = priority
    return found


def shifts(points: list[tuple[dt.datetime, Priority]]) -> list[Shift]:
    return [Shift(b[0], a[1], b[1]) for a, b in itertools.pairwise(points)]


@dataclass(frozen=True, slots=True)
class Life:
    """What a ticket's clocks are measured by: its tier, rules, and priorities over time."""

    tier: SlaTier
    rules: Rules
    points: list[tuple[dt.datetime, Priority]]  # mapped, each a change
    now: dt.datetime


def run(
    life: Life, metric: Metric, start: dt.datetime, stop: dt.datetime | None, pauses: list[Pause]
) -> Clock | None:
    """The clock, or None when the tier sets no such target."""
    end = stop or life.now
    within = [
        s for s in shifts(life.points) if start < s.at < end or (stop is None and s.at == end)
    ]
    if life.tier.priority_change == "restart" and within:
        return _restarted(life, metric, start, stop, pauses, within)
    priority = priority_at(life.points, end)
    goal = target(life.tier, priority, metric)
    if goal is None:
        return None
    clock = measure(life.rules, metric, goal, start, stop, life.now, pauses, priority.name)
    if within:
        last = within[-1]
        clock = replace(clock, why=f"{clock.why}; retargeted {last.old.name} -> {last.new.name} "
                        f"at {when(last.at)} ({goal} target from the start)")  # fmt: skip
    return clock


def _restarted(
    life: Life, metric: Metric, start: dt.datetime, stop: dt.datetime | None,
    pauses: list[Pause], within: list[Shift],
) -> Clock | None:  # fmt: skip
    earlier: list[Clock] = []
    cursor = start
    for shift in within:
        goal = target(life.tier, shift.old, metric)
        if goal is not None:
            part = measure(
                life.rules, metric, goal, cursor, shift.at, life.now, pauses, shift.old.name
            )
            why = (f"restarted at {when(shift.at)} when the priority went {shift.old.name} -> "
                   f"{shift.new.name}; {span(part.elapsed)} of {span(part.budget)} used by then")  # fmt: skip
            earlier.append(replace(part, why=why))
        cursor = shift.at
    last = within[-1]
    goal = target(life.tier, last.new, metric)
    if goal is None:
        return None
    clock = measure(life.rules, metric, goal, cursor, stop, life.now, pauses, last.new.name)
    first = clock.segments[0]
    reason = f"priority {last.old.name} -> {last.new.name} (restart)"
    marked = (
        Segment(first.kind, first.start, first.end, first.reason or reason),
        *clock.segments[1:],
    )
    return replace(clock, segments=marked, earlier=tuple(earlier),
                   why=f"{clock.why}; restarted at {when(last.at)} on {last.new.name}'s {goal}")  # fmt: skip
