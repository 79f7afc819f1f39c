"""Whether the people on call cover what a service promises."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from opskit.oncall.ladder import delay_seconds, step_people
from opskit.oncall.schedule import Schedules
from opskit.policy.model import EscalationLadder, Rotation, Service, Step
from opskit.time.intervals import Span, intersect, subtract, union


def step_covered(step: Step, schedules: Schedules) -> list[Span]:
    if step.people:
        return [(schedules.lo, schedules.hi)]
    return union(span for r in step.rotations for span in schedules.covered(r))


@dataclass(frozen=True, slots=True)
class Gaps:
    """Promised time a service's first ladder step leaves uncovered: plain or holiday gaps."""

    plain: list[Span]  # nobody on call, holidays or not
    holiday: list[Span]  # nobody on call because a calendar restriction closed for a holiday


def service_gaps(service: Service, schedules: Schedules, ignoring: Schedules) -> Gaps:
    """Uncovered promised time; `ignoring` renders the same window as if no calendar had holidays.

    Many services share a calendar and a ladder, so the answer is kept per pair."""
    key = ("gaps", id(service.support_hours), id(service.ladder), id(ignoring))
    found = schedules.memo.get(key)
    if not isinstance(found, Gaps):
        found = schedules.memo[key] = _service_gaps(service, schedules, ignoring)
    return found


def _service_gaps(service: Service, schedules: Schedules, ignoring: Schedules) -> Gaps:
    required = schedules.open(service.support_hours)
    first = service.ladder.steps[0]
    gaps = subtract(required, step_covered(first, schedules))
    if not gaps or not closes_for_holidays(first):
        return Gaps(gaps, [])
    without_holidays = step_covered(first, ignoring)
    return Gaps(subtract(gaps, without_holidays), intersect(gaps, without_holidays))


def closes_for_holidays(step: Step) -> bool:
    """Whether a rotation of the step follows a calendar that has holidays."""
    return any(
        r.calendar is not None and (r.calendar.holiday_country or r.calendar.extra_holidays)
        for rotation in step.rotations
        for layer in rotation.layers
        for r in layer.restrictions
    )


@dataclass(frozen=True, slots=True)
class Booking:
    """Someone on call in two steps of a ladder at once, so the later step reaches no one new."""

    person: str
    span: Span
    first: tuple[int, str]  # (step index, rotation name)
    second: tuple[int, str]


def double_bookings(ladder: EscalationLadder, schedules: Schedules) -> list[Booking]:
    """People on call in rotations of two different steps at once, where the later step then
    pages nobody who was not paged already: escalating reaches no one new.

    Several rules and services ask about one ladder, so the answer is kept per ladder."""
    key = ("bookings", id(ladder))
    found = schedules.memo.get(key)
    if not isinstance(found, list):
        found = schedules.memo[key] = _double_bookings(ladder, schedules)
    return found


def _double_bookings(ladder: EscalationLadder, schedules: Schedules) -> list[Booking]:
    out: list[Booking] = []
    targets = [(i, r) for i, step in enumerate(ladder.steps) for r in step.rotations]
    for x, (i, first) in enumerate(targets):
        for j, second in targets[x + 1 :]:
            if i == j or first is second:
                continue
            a, b = schedules.shifts(first), schedules.shifts(second)
            if not _on_call(schedules, first) & _on_call(schedules, second):
                continue  # nobody is ever on call in both: nothing to walk
            p = q = 0
            while p < len(a) and q < len(b):
                start, end = max(a[p].start, b[q].start), min(a[p].end, b[q].end)
                if (
                    start < end
                    and a[p].person == b[q].person
                    and _nobody_new(ladder, schedules, j, start)
                ):
                    out.append(
                        Booking(a[p].person, (start, end), (i, first.name), (j, second.name))
                    )
                if a[p].end < b[q].end:
                    p += 1
                else:
                    q += 1
    return sorted(out, key=lambda booking: booking.span)


def _on_call(schedules: Schedules, rotation: Rotation) -> frozenset[str]:
    """Everyone the rotation's rendered shifts put on call (overrides included)."""
    key = ("on call", rotation.name)
    found = schedules.memo.get(key)
    if not isinstance(found, frozenset):
        found = schedules.memo[key] = frozenset(s.person for s in schedules.shifts(rotation))
    return found


def _nobody_new(ladder: EscalationLadder, schedules: Schedules, step: int, t: int) -> bool:
    paged = people_at(ladder, schedules, t)
    earlier = {person for index, person in paged if index < step}
    return all(person in earlier for index, person in paged if index == step)


def people_at(ladder: EscalationLadder, schedules: Schedules, t: int) -> list[tuple[int, str]]:
    """(step index, person) of everyone the ladder would page for an incident at t."""
    out: list[tuple[int, str]] = []
    for index, step in enumerate(ladder.steps):
        out += [(index, p.name) for p in step.people]
        for rotation in step.rotations:
            shift = schedules.at(rotation, t)
            if shift is not None:
                out.append((index, shift.person))
    return out


@dataclass(frozen=True, slots=True)
class Alone:
    """A span when every step of a ladder pages one and the same person."""

    person: str
    span: Span


def single_person_spans(ladder: EscalationLadder, schedules: Schedules) -> list[Alone]:
    """When every step of the ladder pages the same single person, on the rendered schedule.

    Names alone cannot tell: a rotation [alice, bob] then bob pages two people in
    alice's weeks and only bob in his. A step pages the people on call in its rotations
    and its people; a step that pages nobody is not "the same person" (an empty step is
    a coverage gap or a late second person, reported by those rules). Who a step pages
    changes only at the shift boundaries of its rotations, so each piece between two
    boundaries is decided by its first instant.
    """
    lo, hi = schedules.lo, schedules.hi
    points = {lo, hi}
    for step in ladder.steps:
        for rotation in step.rotations:
            for shift in schedules.shifts(rotation):
                points.update((shift.start, shift.end))
    ordered = sorted(p for p in points if lo <= p <= hi)
    out: list[Alone] = []
    for a, b in itertools.pairwise(ordered):
        person = _the_one(ladder, schedules, a)
        if person is None:
            continue
        if out and out[-1].person == person and out[-1].span[1] == a:
            out[-1] = Alone(person, (out[-1].span[0], b))
        else:
            out.append(Alone(person, (a, b)))
    return out


def _the_one(ladder: EscalationLadder, schedules: Schedules, t: int) -> str | None:
    """The one person every step pages at t, if there is one."""
    who: str | None = None
    for step in ladder.steps:
        people, _ = step_people(step, schedules, t)
        if len(people) != 1 or (who is not None and people[0] != who):
            return None
        who = people[0]
    return who


def late_second_person(
    ladder: EscalationLadder, schedules: Schedules, within: list[Span], budget: int
) -> list[tuple[Span, str]]:
    """Spans of `within` when an unstaffed later step leaves nobody but the first person paged
    inside `budget` seconds, each with the rotation that had nobody on call.

    Lateness from the ladder's delays alone, or from the same person twice, is left to the
    rules that say so (ladder-slower-than-sla, double-booked).
    """
    window = [(schedules.lo, schedules.hi)]
    if all(schedules.covered(r) == window for step in ladder.steps for r in step.rotations):
        return []  # every rotation always has someone on call: no step is ever empty
    offsets: list[tuple[int, Step]] = []
    offset = 0
    for _ in range(ladder.repeat + 1):
        for step in ladder.steps:
            if offset < budget:
                offsets.append((offset, step))
            offset += delay_seconds(step.escalate_after)
    last = schedules.hi - budget  # later incidents would page past the rendered window
    points = {schedules.lo, last, *(x for span in within for x in span)}
    for step in ladder.steps:
        for rotation in step.rotations:
            for shift in schedules.shifts(rotation):
                points.update(b - o for b in (shift.start, shift.end) for o, _ in offsets)
    ordered = sorted(p for p in points if schedules.lo <= p <= last)
    out: list[tuple[Span, str]] = []
    for a, b in itertools.pairwise(ordered):
        seen: set[str] = set()
        empty = None
        for o, step in offsets:
            people, unstaffed = step_people(step, schedules, a + o)
            seen.update(people)
            if unstaffed and o and len(seen) < 2:  # step 1 empty at once is a coverage gap
                empty = empty or unstaffed[0]
            if len(seen) >= 2:
                break
        if len(seen) < 2 and empty:
            out.append(((a, b), empty))
    return [(span, why) for (s, why) in out for span in intersect([s], within)]
