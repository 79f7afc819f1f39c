"""What a desk must answer: its promises, and its tickets' rates by the hour their clocks run.

From the demand measured (`opskit.capacity.demand`), the desk's tiers and their goals, and
a scenario: volume grown by a factor, customers added that write like ones we have.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from opskit.capacity.assess import Promise
from opskit.capacity.demand import HOURS_OF_WEEK, Key
from opskit.capacity.desks import Desk, target_seconds
from opskit.errors import UsageError
from opskit.policy.model import Policy, SlaTier
from opskit.time import zones

MAX_GROWTH = 100.0


class Measured(Protocol):
    """Demand as measured from history (`demand.Demand`) or committed (`snapshot.Snapshot`)."""

    def rate(self, tier: str, priority: str, hour: int) -> float: ...
    def customer_rates(self, customer: str) -> dict[Key, dict[int, float]]: ...
    def handle(self, tier: str, priority: str, *, at_least: int = 5) -> float | None: ...


@dataclass(frozen=True, slots=True)
class Scenario:
    """A what-if for demand: every rate grown by a factor, plus new customers like ours."""

    growth: float = 1.0  # every rate times this
    like: tuple[str, ...] = ()  # customers whose tickets come again, as new customers

    def __post_init__(self) -> None:
        if not 0 < self.growth <= MAX_GROWTH:
            raise ValueError(f"growth must be above 0 and at most {MAX_GROWTH:g}")


def promises(desk: Desk, found: Measured, levels: Mapping[str, int]) -> dict[Key, Promise]:
    """The desk's promises with an attainment goal, each with its target and handle time;
    `levels`: each priority's level (lower is more urgent)."""
    out: dict[Key, Promise] = {}
    for tier in desk.tiers:
        for priority, targets in tier.targets.items():
            goal = tier.attainment(priority)
            if goal is None:
                continue
            handle = found.handle(tier.name, priority)
            if handle is None and tier.capacity and tier.capacity.handle_time:
                handle = float(target_seconds(tier, tier.capacity.handle_time))
            if handle is None:
                raise UsageError(
                    f"{tier.name} {priority}: no handle time: the history logged work on too "
                    f"few tickets; set capacity.handle_time in the tier ({tier.source.position})"
                )
            out[(tier.name, priority)] = Promise(
                tier.name, priority, float(target_seconds(tier, targets.first_response)), goal,
                handle, levels.get(priority, 0),
            )  # fmt: skip
    return out


def rates(
    desk: Desk, found: Measured, scenario: Scenario, monday: int, policy: Policy
) -> dict[Key, dict[int, float]]:
    """Arrivals a second by promise and hour of the week, on the desk's clock, each in the
    hour its tier's clock starts. `monday`: a Monday 00:00 on the desk's clock (epoch)."""
    for name in scenario.like:
        if name not in policy.customers:
            raise UsageError(f"--like: no customer {name!r}")
    start = _opening_hours(desk, monday)
    out: dict[Key, dict[int, float]] = {}
    for tier in desk.tiers:
        added = [found.customer_rates(n) for n in scenario.like
                 if policy.customers[n].tier.name == tier.name]  # fmt: skip
        for priority in tier.targets:
            key = (tier.name, priority)
            moved = out.setdefault(key, {})
            for hour in range(HOURS_OF_WEEK):
                rate = found.rate(tier.name, priority, hour)
                rate += sum(a.get(key, {}).get(hour, 0.0) for a in added)
                if rate > 0:
                    to = start[tier.name][hour]
                    moved[to] = moved.get(to, 0.0) + rate * scenario.growth
    return out


def open_hours(desk: Desk, monday: int) -> dict[str, list[bool]]:
    """Per tier: whether its calendar's weekly hours meet each hour of the desk's week."""
    zone = zones.get(desk.zone)
    return {t.name: [_open(t, zone.utc(monday + h * 3600)) for h in range(HOURS_OF_WEEK)]
            for t in desk.tiers}  # fmt: skip


def _opening_hours(desk: Desk, monday: int) -> dict[str, list[int]]:
    """Per tier: for each hour of the week, the hour its clock starts for a ticket then."""
    out = {}
    for name, open_ in open_hours(desk, monday).items():
        if not any(open_):
            out[name] = list(range(HOURS_OF_WEEK))
            continue
        out[name] = [
            next((h + k) % HOURS_OF_WEEK for k in range(HOURS_OF_WEEK)
                 if open_[(h + k) % HOURS_OF_WEEK])
            for h in range(HOURS_OF_WEEK)
        ]  # fmt: skip
    return out


def _open(tier: SlaTier, instant: int) -> bool:
    """Whether the tier's weekly hours (holidays aside) meet the hour starting at `instant`."""
    wall = zones.get(tier.calendar.timezone).wall(instant)
    minute = wall % zones.DAY // 60
    spans = tier.calendar.working_hours.get(zones.weekday_of(wall), [])
    return any(a < minute + 60 and minute < b for a, b in spans)
