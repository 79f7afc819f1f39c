"""How on-call load falls on people: hours, nights, weekends, holidays, shifts.

Night and weekend are counted on each person's own clock. Holidays are those of
the calendars kept in the person's time zone (an office calendar is where its
people live); someone with no calendar in their zone has no holiday hours.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from opskit.oncall.nights import day_spans, night_spans
from opskit.oncall.schedule import Schedules, renderable
from opskit.policy.model import Person, Policy
from opskit.time import calendars, zones
from opskit.time.intervals import Span, intersect, total, union

WEEKEND = (5, 6)


@dataclass(slots=True)
class Load:
    """How much on-call time falls on one person: hours, nights, weekends, holidays, shifts."""

    person: str
    timezone: str
    hours: float
    night_hours: float
    weekend_hours: float
    holiday_hours: float
    shifts: int


def _hours(seconds: int) -> float:
    return round(seconds / 3600, 2)


def _holidays(policy: Policy, person: Person, lo: int, hi: int) -> set[Any]:
    zone = zones.get(person.timezone)
    first, last = zones.date_of(zone.wall(lo)), zones.date_of(zone.wall(hi))
    out: set[Any] = set()
    for calendar in policy.calendars.values():
        if calendar.timezone == person.timezone:
            out |= set(calendars.holidays_between(calendar, first, last))
    return out


def loads(policy: Policy, lo: int, hi: int, night: tuple[int, int]) -> list[Load]:
    schedules = Schedules(policy, lo, hi)
    spans: dict[str, list[Span]] = {}
    counts: dict[str, int] = {}
    members: set[str] = set()
    for rotation in policy.rotations.values():
        if not renderable(rotation):
            continue
        members.update(p.name for p in rotation.people)
        for shift in schedules.shifts(rotation):
            spans.setdefault(shift.person, []).append((shift.start, shift.end))
            counts[shift.person] = counts.get(shift.person, 0) + 1
    out = []
    for name in sorted(members):
        person = policy.people[name]
        mine = union(spans.get(name, []))
        tz = person.timezone
        out.append(Load(
            name, tz, _hours(total(mine)),
            _hours(total(intersect(mine, night_spans(night, tz, lo, hi)))),
            _hours(total(intersect(mine, day_spans(None, WEEKEND, tz, lo, hi)))),
            _hours(total(intersect(mine, day_spans(_holidays(policy, person, lo, hi), (), tz, lo, hi)))),
            counts.get(name, 0),
        ))  # fmt: skip
    return out


def report(found: list[Load], limits: dict[str, float | None]) -> dict[str, Any]:
    """Loads, the spread between most and least loaded, and warnings over the limits."""
    warnings = []
    for load in found:
        for field, limit in limits.items():
            if field != "spread" and limit is not None and getattr(load, field) > limit:
                label = field.replace("_", " ")
                warnings.append(f"{load.person}: {getattr(load, field):g} {label} > {limit:g}")
    hours = [load.hours for load in found]
    spread = round(max(hours) - min(hours), 2) if hours else 0.0
    if limits.get("spread") is not None and spread > (limits["spread"] or 0):
        most = max(found, key=lambda x: x.hours).person
        least = min(found, key=lambda x: x.hours).person
        warnings.append(f"spread {spread:g}h between {most} and {least} > {limits['spread']:g}h")
    return {"people": [asdict(x) for x in found], "spread_hours": spread, "warnings": warnings}
