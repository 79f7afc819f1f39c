"""Who is on call at an instant, and who a ladder pages after them."""

from __future__ import annotations

from typing import Any

from opskit.oncall.ladder import pages
from opskit.oncall.schedule import Schedules
from opskit.policy.model import EscalationLadder, Policy, Rotation
from opskit.time import zones

MARGIN = 42 * zones.DAY  # render wide, so shifts around the instant come back whole


def iso(t: int) -> str:
    return zones.to_datetime(t).strftime("%Y-%m-%dT%H:%M:%SZ")


def schedules_around(policy: Policy, t: int) -> Schedules:
    return Schedules(policy, t - MARGIN, t + MARGIN)


def rotation_now(schedules: Schedules, rotation: Rotation, t: int) -> dict[str, Any]:
    shift = schedules.at(rotation, t)
    upcoming = schedules.next_after(rotation, t)
    return {
        "rotation": rotation.name,
        "timezone": rotation.timezone,
        "person": shift.person if shift else None,
        "layer": shift.layer if shift else None,
        "since": iso(shift.start) if shift else None,
        "until": iso(shift.end) if shift else None,
        "next": {"person": upcoming.person, "at": iso(upcoming.start)} if upcoming else None,
    }


def ladder_now(
    policy: Policy, schedules: Schedules, ladder: EscalationLadder, t: int
) -> dict[str, Any]:
    return {
        "ladder": ladder.name,
        "services": [s.name for s in policy.services_of(ladder)],
        "repeat": ladder.repeat,
        "pages": [
            {
                "step": page.step,
                "loop": page.loop,
                "after_minutes": page.offset // 60,
                "people": list(page.people),
                "unstaffed": list(page.unstaffed),
            }
            for page in pages(ladder, schedules, t)
        ],
    }


def who(
    policy: Policy,
    t: int,
    *,
    service: str | None = None,
    rotation: str | None = None,
    ladder: str | None = None,
) -> dict[str, Any]:
    """The answer for one instant; names are checked by the caller."""
    schedules = schedules_around(policy, t)
    if service is not None:
        ladders = [policy.services[service].ladder]
    elif ladder is not None:
        ladders = [policy.ladders[ladder]]
    elif rotation is not None:
        ladders = []
    else:
        ladders = list(policy.ladders.values())
    chosen = (
        [policy.rotations[rotation]]
        if rotation is not None
        else _rotations_of(ladders)
        if (service or ladder)
        else list(policy.rotations.values())
    )
    return {
        "at": iso(t),
        "rotations": [rotation_now(schedules, r, t) for r in chosen],
        "ladders": [ladder_now(policy, schedules, x, t) for x in ladders],
    }


def _rotations_of(ladders: list[EscalationLadder]) -> list[Rotation]:
    seen: dict[str, Rotation] = {}
    for ladder in ladders:
        for step in ladder.steps:
            for rotation in step.rotations:
                seen.setdefault(rotation.name, rotation)
    return list(seen.values())
