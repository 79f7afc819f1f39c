"""Who an escalation ladder pages, step by step, for an incident at a given instant."""

from __future__ import annotations

from dataclasses import dataclass

from opskit.oncall.schedule import Schedules
from opskit.policy.model import EscalationLadder, Step
from opskit.policy.values import Duration


def delay_seconds(duration: Duration) -> int:
    return duration.calendar_seconds


@dataclass(frozen=True, slots=True)
class Page:
    """One page a ladder sends for an incident: which step and pass, when, and to whom."""

    step: int  # 1-based
    loop: int  # 0 for the first pass
    offset: int  # seconds after the incident
    people: tuple[str, ...]  # who this step pages (unique, in target order)
    unstaffed: tuple[str, ...]  # rotations of the step with nobody on call


def step_people(
    step: Step, schedules: Schedules, t: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    people: dict[str, None] = {}
    empty: list[str] = []
    for rotation in step.rotations:
        shift = schedules.at(rotation, t)
        if shift is None:
            empty.append(rotation.name)
        else:
            people[shift.person] = None
    for person in step.people:
        people[person.name] = None
    return tuple(people), tuple(empty)


def pages(ladder: EscalationLadder, schedules: Schedules, t: int) -> list[Page]:
    """Every page of the ladder, its repeats included, until it runs out."""
    out: list[Page] = []
    offset = 0
    for loop in range(ladder.repeat + 1):
        for index, step in enumerate(ladder.steps, start=1):
            people, empty = step_people(step, schedules, t + offset)
            out.append(Page(index, loop, offset, people, empty))
            offset += delay_seconds(step.escalate_after)
    return out


def second_person_after(found: list[Page]) -> int | None:
    """Seconds until someone other than the first person paged is paged."""
    first: set[str] = set()
    for page in found:
        if not first:
            first = set(page.people[:1])
            if len(page.people) > 1:
                return page.offset
            continue
        if set(page.people) - first:
            return page.offset
    return None
