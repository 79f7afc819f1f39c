"""Who-is-on-call changes between two versions of the policies, in people's terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from opskit.oncall import calendars, zones
from opskit.oncall.coverage import service_gaps
from opskit.oncall.intervals import Span, subtract, total, union
from opskit.oncall.schedule import Schedules, renderable
from opskit.policy.model import Policy, SlaTier


@dataclass(slots=True)
class Change:
    person: str
    timezone: str
    gained: list[Span] = field(default_factory=list)
    lost: list[Span] = field(default_factory=list)


def on_call(policy: Policy, lo: int, hi: int) -> dict[str, list[Span]]:
    schedules = Schedules(policy, lo, hi)
    spans: dict[str, list[Span]] = {}
    for rotation in policy.rotations.values():
        if renderable(rotation):
            for shift in schedules.shifts(rotation):
                spans.setdefault(shift.person, []).append((shift.start, shift.end))
    return {person: union(found) for person, found in spans.items()}


def people(base: Policy, head: Policy, lo: int, hi: int) -> list[Change]:
    before, after = on_call(base, lo, hi), on_call(head, lo, hi)
    out = []
    for name in sorted(set(before) | set(after)):
        person = head.people.get(name) or base.people[name]
        old, new = before.get(name, []), after.get(name, [])
        change = Change(name, person.timezone, subtract(new, old), subtract(old, new))
        if change.gained or change.lost:
            out.append(change)
    return out


def gaps(policy: Policy, lo: int, hi: int) -> dict[str, list[Span]]:
    schedules, ignoring = (
        Schedules(policy, lo, hi),
        Schedules(policy, lo, hi, honour_holidays=False),
    )
    out = {}
    for service in policy.services.values():
        rotations = [r for step in service.ladder.steps for r in step.rotations]
        if service.ladder.steps and all(renderable(r) for r in rotations):
            found = service_gaps(service, schedules, ignoring)
            out[service.name] = union([*found.plain, *found.holiday])
    return out


def new_gaps(
    base: Policy, head: Policy, lo: int, hi: int
) -> dict[str, tuple[list[Span], list[Span]]]:
    """Per service: (gaps that open, gaps that close)."""
    before, after = gaps(base, lo, hi), gaps(head, lo, hi)
    out = {}
    for name in sorted(set(before) | set(after)):
        opened = subtract(after.get(name, []), before.get(name, []))
        closed = subtract(before.get(name, []), after.get(name, []))
        if opened or closed:
            out[name] = (opened, closed)
    return out


def _target(tier: SlaTier, value: Any) -> str:
    if value is None:
        return "none"
    business = not tier.calendar.always_open and value.seconds and not value.business_days
    return f"{value} business hours" if business else str(value)


def targets(base: Policy, head: Policy) -> list[str]:
    """Tier promises that move, e.g. 'P2 first response for Business moves 4h → 8h business hours'."""
    out = []
    for name in sorted(set(base.tiers) | set(head.tiers)):
        old, new = base.tiers.get(name), head.tiers.get(name)
        if old is None or new is None:
            out.append(f"tier {name} is {'added' if old is None else 'removed'}")
            continue
        if old.calendar.name != new.calendar.name:
            out.append(
                f"tier {name} moves from calendar {old.calendar.name} to {new.calendar.name}"
            )
        for priority in sorted(set(old.targets) | set(new.targets)):
            a, b = old.targets.get(priority), new.targets.get(priority)
            for what in ("first_response", "next_update", "resolution"):
                x, y = getattr(a, what, None), getattr(b, what, None)
                if x != y:  # Durations compare by value, not by how they were written
                    label = what.replace("_", " ")
                    out.append(
                        f"{priority} {label} for {name} moves {_target(old, x)} → {_target(new, y)}"
                    )
    return out


def holidays_in(policy: Policy, timezone: str, span: Span) -> list[str]:
    zone = zones.get(timezone)
    first, last = zones.date_of(zone.wall(span[0])), zones.date_of(zone.wall(span[1] - 1))
    names: dict[str, None] = {}
    for calendar in policy.calendars.values():
        if calendar.timezone == timezone:
            for name in calendars.holidays_between(calendar, first, last).values():
                names[name] = None
    return list(names)


def weekends(timezone: str, spans: list[Span]) -> int:
    """Weekends (by their Saturday) that the spans touch, on the person's clock."""
    zone = zones.get(timezone)
    saturdays: set[dt.date] = set()
    for a, b in spans:
        day, last = zones.date_of(zone.wall(a)), zones.date_of(zone.wall(b - 1))
        while day <= last:
            if day.weekday() >= 5:
                saturdays.add(day - dt.timedelta(days=day.weekday() - 5))
            day += dt.timedelta(days=1)
    return len(saturdays)


def hours(spans: list[Span]) -> float:
    return round(total(spans) / 3600, 1)
