"""Which people answer which tickets: a desk is a queue of tiers and the rotations staffing it.

A tier names the rotations whose people answer its tickets (`capacity.desk`). Tiers that
share a rotation share its people, so they form one desk with one queue, the most urgent
ticket answered first, each by someone of the rotations its tier names (``routing``). A
desk's hours of the week are read on its first rotation's clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from opskit.policy.model import Policy, Rotation, SlaTier
from opskit.time.duration import Duration


@dataclass(frozen=True, slots=True)
class Desk:
    """Tiers that share rotations, answered from one queue by those rotations' people."""

    rotations: tuple[Rotation, ...]
    tiers: tuple[SlaTier, ...]

    @property
    def name(self) -> str:
        return " + ".join(r.name for r in self.rotations)

    @property
    def zone(self) -> str:
        return self.rotations[0].timezone

    @property
    def shrinkage(self) -> float:
        """The mean of its rotations' (what a person added to the desk would lose)."""
        return sum(r.shrinkage for r in self.rotations) / len(self.rotations)


def desks(policy: Policy) -> list[Desk]:
    """The desks of the tiers that say who answers them, in the order the tiers are written."""
    groups: list[tuple[list[str], list[SlaTier]]] = []
    for tier in policy.tiers.values():
        if tier.capacity is None or tier.retired:
            continue
        names = [n for n in tier.capacity.desk if n in policy.rotations]
        joined = [g for g in groups if set(g[0]) & set(names)]
        merged: tuple[list[str], list[SlaTier]] = ([], [])
        for g in joined:
            groups.remove(g)
            merged[0].extend(n for n in g[0] if n not in merged[0])
            merged[1].extend(g[1])
        merged[0].extend(n for n in names if n not in merged[0])
        merged[1].append(tier)
        if merged[0]:
            groups.append(merged)
    return [
        Desk(tuple(policy.rotations[n] for n in names), tuple(tiers)) for names, tiers in groups
    ]


def working_day_seconds(tier: SlaTier) -> int:
    """A working day of the tier's calendar, seconds (its weekdays' mean open time)."""
    days = [sum(b - a for a, b in spans) for spans in tier.calendar.working_hours.values()]
    open_days = [d for d in days if d > 0]
    return (sum(open_days) // len(open_days)) * 60 if open_days else 0


def target_seconds(tier: SlaTier, target: Duration) -> int:
    """A target in seconds of open time (business days at the calendar's working-day length)."""
    return target.seconds + target.business_days * working_day_seconds(tier)
