"""Each rotation's next four weeks, day by day in its own time zone, from the on-call engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opskit.docs.words import DAYS, clock
from opskit.oncall.render import OVERRIDE
from opskit.oncall.schedule import Schedules
from opskit.policy.model import Policy, Rotation
from opskit.time import zones

WEEKS = 4


def window(now: int) -> tuple[int, int]:
    """Wide enough for every zone's four weeks from its local midnight before `now`."""
    return now - 2 * zones.DAY, now + (WEEKS * 7 + 2) * zones.DAY


def _name(policy: Policy, person: str) -> str:
    found = policy.people.get(person)
    return found.full_name if found is not None and found.full_name else person


def day_entries(
    policy: Policy, schedules: Schedules, rotation: Rotation, day: dt.date
) -> list[dict[str, Any]]:
    """Who is on call when on one local day; the hours nobody is on call say so."""
    zone = zones.get(rotation.timezone)
    midnight = zones.wall_of(day)
    lo, hi = zone.utc(midnight), zone.utc(midnight + zones.DAY)
    entries: list[dict[str, Any]] = []
    cursor = lo

    def add(a: int, b: int, person: str | None, layer: str) -> None:
        start = clock((zone.wall(a) - midnight) // 60)
        end = clock(min((zone.wall(b) - midnight) // 60, 1440))
        name = _name(policy, person) if person else None
        entries.append({"start": start, "end": end, "person": name, "layer": layer,
                        "override": layer == OVERRIDE})  # fmt: skip

    for shift in schedules.shifts(rotation):
        a, b = max(shift.start, lo), min(shift.end, hi)
        if a >= b:
            continue
        if a > cursor:
            add(cursor, a, None, "")
        add(a, b, shift.person, shift.layer)
        cursor = max(cursor, b)
    if cursor < hi:
        add(cursor, hi, None, "")
    return entries


def agenda(
    policy: Policy, schedules: Schedules, rotation: Rotation, now: int
) -> list[dict[str, Any]]:
    first = zones.date_of(zones.get(rotation.timezone).wall(now))
    days = [first + dt.timedelta(days=i) for i in range(WEEKS * 7)]
    return [
        {"date": day.isoformat(), "weekday": DAYS[day.weekday()],
         "entries": day_entries(policy, schedules, rotation, day)}
        for day in days
    ]  # fmt: skip


def rotations(policy: Policy, now: int) -> list[dict[str, Any]]:
    lo, hi = window(now)
    schedules = Schedules(policy, lo, hi)
    return [
        {"rotation": r, "days": agenda(policy, schedules, r, now),
         "people": [_name(policy, p.name) for p in r.people]}
        for r in sorted(policy.rotations.values(), key=lambda r: r.name)
    ]  # fmt: skip
