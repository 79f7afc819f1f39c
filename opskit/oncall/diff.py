"""Who-is-on-call changes between two versions of the policies, in people's terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from opskit.oncall import roster
from opskit.oncall.coverage import double_bookings, service_gaps
from opskit.oncall.schedule import Schedules, renderable
from opskit.policy.model import EscalationLadder, Policy, SlaTier
from opskit.time import calendars, zones
from opskit.time.intervals import Span, intersect, subtract, total, union


@dataclass(frozen=True, slots=True, order=True)
class Role:
    """Where a change happens: in a rotation, or at a step of a ladder (1-based)."""

    rotation: str = ""
    ladder: str = ""
    step: int = 0


@dataclass(slots=True)
class Change:
    """What one person gains and loses in one role.

    A member swap moves someone from primary to secondary in one week and back in
    another: summed over all rotations they would neither gain nor lose, so each
    rotation is its own role. A rotation's change is the change of every ladder step
    it feeds (`feeds`); a step has changes of its own only where its targets change
    (a rotation or a person added to it or taken out), each told with the targets it
    is through (`gained_via`, `lost_via`: rotation names, or DIRECTLY).
    """

    person: str
    timezone: str
    role: Role
    gained: list[Span] = field(default_factory=list)
    lost: list[Span] = field(default_factory=list)
    feeds: list[tuple[str, int]] = field(default_factory=list)  # (ladder, step) of a rotation
    gained_via: list[str] = field(default_factory=list)
    lost_via: list[str] = field(default_factory=list)


DIRECTLY = "directly"
Spans = dict[str, list[Span]]  # person -> when


class Side:
    """One version of the policies, rendered over the window once."""

    def __init__(self, policy: Policy, lo: int, hi: int) -> None:
        self.policy, self.lo, self.hi = policy, lo, hi
        self.schedules = Schedules(policy, lo, hi)
        self.rotations: dict[str, Spans] = {}
        for rotation in policy.rotations.values():
            if renderable(rotation):
                spans: Spans = {}
                for shift in self.schedules.shifts(rotation):
                    spans.setdefault(shift.person, []).append((shift.start, shift.end))
                self.rotations[rotation.name] = {p: union(found) for p, found in spans.items()}
        self.ladders = [
            ladder
            for ladder in policy.ladders.values()
            if ladder.complete and all(renderable(r) for step in ladder.steps for r in step.rotations)
        ]

    def step(self, ladder: EscalationLadder, index: int) -> Spans:
        """Whom step `index` (0-based) pages, when: its rotations' people and its people."""
        found: dict[str, list[Span]] = {}
        target = ladder.steps[index]
        for rotation in target.rotations:
            for name, spans in self.rotations.get(rotation.name, {}).items():
                found.setdefault(name, []).extend(spans)
        for person in target.people:
            found.setdefault(person.name, []).append((self.lo, self.hi))
        return {name: union(spans) for name, spans in found.items()}

    def steps(self) -> dict[tuple[str, int], EscalationLadder]:
        return {(ladder.name, i): ladder for ladder in self.ladders for i in range(len(ladder.steps))}

    def feeds(self) -> dict[str, list[tuple[str, int]]]:
        """Per rotation, the (ladder, 1-based step) that page it."""
        out: dict[str, list[tuple[str, int]]] = {}
        for ladder in self.ladders:
            for i, step in enumerate(ladder.steps, start=1):
                for rotation in step.rotations:
                    out.setdefault(rotation.name, []).append((ladder.name, i))
        return out


def people(base: Policy, head: Policy, lo: int, hi: int) -> list[Change]:
    """Gains and losses per person, per rotation and per ladder step."""
    return changes(Side(base, lo, hi), Side(head, lo, hi))


def changes(before: Side, after: Side) -> list[Change]:
    base, head = before.policy, after.policy

    def zone(name: str) -> str:
        person = head.people.get(name) or base.people[name]
        return person.timezone

    out: list[Change] = []
    feeds_after, feeds_before = after.feeds(), before.feeds()
    moved: dict[tuple[str, str], tuple[list[Span], list[Span]]] = {}  # (rotation, person)
    for name in sorted(set(before.rotations) | set(after.rotations)):
        old, new = before.rotations.get(name, {}), after.rotations.get(name, {})
        for person in sorted(set(old) | set(new)):
            gained = subtract(new.get(person, []), old.get(person, []))
            lost = subtract(old.get(person, []), new.get(person, []))
            moved[(name, person)] = (gained, lost)
            if gained or lost:
                feeds = feeds_after.get(name) if name in after.rotations else feeds_before.get(name)
                out.append(Change(person, zone(person), Role(rotation=name), gained, lost, feeds or []))
    old_steps, new_steps = before.steps(), after.steps()
    for key in sorted(set(old_steps) | set(new_steps)):
        old_ladder, new_ladder = old_steps.get(key), new_steps.get(key)
        old = before.step(old_ladder, key[1]) if old_ladder else {}
        new = after.step(new_ladder, key[1]) if new_ladder else {}
        kept = (
            {r.name for r in old_ladder.steps[key[1]].rotations}
            & {r.name for r in new_ladder.steps[key[1]].rotations}
            if old_ladder and new_ladder
            else set()
        )
        for person in sorted(set(old) | set(new)):
            told_gained = union(s for r in kept for s in moved.get((r, person), ([], []))[0])
            told_lost = union(s for r in kept for s in moved.get((r, person), ([], []))[1])
            gained = subtract(subtract(new.get(person, []), old.get(person, [])), told_gained)
            lost = subtract(subtract(old.get(person, []), new.get(person, [])), told_lost)
            if not (gained or lost):
                continue
            role = Role(ladder=key[0], step=key[1] + 1)
            out.append(Change(
                person, zone(person), role, gained, lost,
                gained_via=_via(after, new_ladder, key[1], person, gained),
                lost_via=_via(before, old_ladder, key[1], person, lost),
            ))  # fmt: skip
    return sorted(out, key=lambda c: (c.person, c.role.ladder != "", c.role))


def _via(
    side: Side, ladder: EscalationLadder | None, index: int, person: str, spans: list[Span]
) -> list[str]:
    """How the step pages `person` during `spans`: directly, or through which rotations."""
    if ladder is None or not spans:
        return []
    step = ladder.steps[index]
    out = [DIRECTLY] if any(p.name == person for p in step.people) else []
    out += [
        r.name
        for r in step.rotations
        if intersect(side.rotations.get(r.name, {}).get(person, []), spans)
    ]
    return out


@dataclass(frozen=True, slots=True)
class DoubleBooking:
    """Someone on call in two steps of a ladder at once, so the later step reaches nobody new
    (validate's double-booked): spans that start or stop being so."""

    ladder: str
    person: str
    timezone: str
    first: tuple[int, str]  # (1-based step, rotation)
    second: tuple[int, str]
    opened: list[Span]
    closed: list[Span]


def _bookings(side: Side) -> dict[tuple[str, str, tuple[int, str], tuple[int, str]], list[Span]]:
    out: dict[tuple[str, str, tuple[int, str], tuple[int, str]], list[Span]] = {}
    for ladder in side.ladders:
        for booking in double_bookings(ladder, side.schedules):
            (i, a), (j, b) = booking.first, booking.second
            key = (ladder.name, booking.person, (i + 1, a), (j + 1, b))
            out.setdefault(key, []).append(booking.span)
    return {key: union(spans) for key, spans in out.items()}


def double_booked(before: Side, after: Side) -> list[DoubleBooking]:
    """Double-bookings that begin or end with the change, per ladder, person and pair of steps."""
    old, new = _bookings(before), _bookings(after)
    out = []
    for key in sorted(set(old) | set(new)):
        opened = subtract(new.get(key, []), old.get(key, []))
        closed = subtract(old.get(key, []), new.get(key, []))
        if opened or closed:
            ladder, person, first, second = key
            found = after.policy.people.get(person) or before.policy.people[person]
            out.append(DoubleBooking(ladder, person, found.timezone, first, second, opened, closed))
    return sorted(out, key=lambda b: ((b.opened or b.closed)[0], b.ladder, b.person))


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


def rosters(base: Policy, head: Policy, lo: int, hi: int) -> list[str]:
    """Layers whose members change: the order from the handoff where the old list is kept
    (roster_changes), or that every turn is dealt again where it is not."""
    out = []
    for name, rotation in sorted(head.rotations.items()):
        old = base.rotations.get(name)
        if old is None or not renderable(rotation):
            continue
        zone = zones.get(rotation.timezone)
        for i, layer in enumerate(rotation.layers):
            was = old.layers[i] if i < len(old.layers) else None
            if was is None or [p.name for p in was.members] == [p.name for p in layer.members]:
                continue
            *_, deal = roster.deals(rotation, layer)
            label = f"rotation {name} layer {layer.name}"
            if deal.since is not None and lo <= zone.utc(deal.since) < hi:
                when = zones.to_datetime(zone.utc(deal.since)).astimezone(zone.tz)
                order = roster.order_after(deal, deal.since, roster.turn_seconds(layer.shift))
                out.append(f"{label} after {when:%m-%d %H:%M}: {', '.join(p.name for p in order)}")
            elif deal.since is None:
                out.append(
                    f"{label}: its members change without roster_changes, so every turn is "
                    "dealt again from the rotation's start"
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
