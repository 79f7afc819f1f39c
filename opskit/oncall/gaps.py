"""Uncovered time: of each rotation over a window, and of each service's promised hours."""

from __future__ import annotations

from typing import Any

from opskit.oncall.coverage import service_gaps
from opskit.oncall.schedule import Schedules, renderable
from opskit.oncall.who import iso
from opskit.policy.model import Policy
from opskit.time.intervals import Span, subtract, total


def _spans(found: list[Span], kind: str | None = None) -> list[dict[str, Any]]:
    return [
        {
            "start": iso(a),
            "end": iso(b),
            "hours": round((b - a) / 3600, 2),
            **({"why": kind} if kind else {}),
        }
        for a, b in found
    ]


def gaps(policy: Policy, lo: int, hi: int) -> dict[str, Any]:
    schedules = Schedules(policy, lo, hi)
    ignoring = Schedules(policy, lo, hi, honour_holidays=False)
    rotations = []
    for rotation in policy.rotations.values():
        if renderable(rotation):
            uncovered = subtract([(lo, hi)], schedules.covered(rotation))
            rotations.append({"rotation": rotation.name, "timezone": rotation.timezone,
                              "hours": round(total(uncovered) / 3600, 2), "gaps": _spans(uncovered)})  # fmt: skip
    services = []
    for service in policy.services.values():
        if not service.ladder.steps or not all(
            renderable(r) for r in service.ladder.steps[0].rotations
        ):
            continue
        found = service_gaps(service, schedules, ignoring)
        merged = sorted(
            [
                *((s, "nobody on call") for s in found.plain),
                *((s, "holiday") for s in found.holiday),
            ]
        )
        services.append({
            "service": service.name, "ladder": service.ladder.name,
            "hours_of": service.support_hours.name, "timezone": service.support_hours.timezone,
            "hours": round(total(s for s, _ in merged) / 3600, 2),
            "gaps": [g for span, why in merged for g in _spans([span], why)],
        })  # fmt: skip
    return {"from": iso(lo), "to": iso(hi), "rotations": rotations, "services": services}
