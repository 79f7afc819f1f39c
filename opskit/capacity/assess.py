"""Each hour of the week: the service level the staffing gives, and the agents the goal needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from opskit.capacity.demand import HOURS_OF_WEEK
from opskit.capacity.erlang import Queue, agents_needed, occupancy, service_level


@dataclass(frozen=True, slots=True)
class Hour:
    hour: int  # of the week, 0 = Monday 00:00 on the desk's clock
    rate: float  # arrivals a second
    agents: int  # staffing the policies give
    level: float  # share answered within the target with that staffing
    needed: int  # agents the goal needs
    occupancy: float

    @property
    def short(self) -> int:
        """Agents missing to meet the goal (0 when the promise can be kept)."""
        return max(self.needed - self.agents, 0)


def assess(
    rates: Mapping[int, float],
    staffing: Mapping[int, int],
    *,
    handle: float,
    target: float,
    goal: float,
) -> list[Hour]:
    """Every hour of the week with tickets; `rates` arrivals a second, `staffing` agents."""
    out = []
    for hour in range(HOURS_OF_WEEK):
        rate = rates.get(hour, 0.0)
        if rate <= 0:
            continue
        queue = Queue(rate, handle)
        agents = staffing.get(hour, 0)
        level = service_level(agents, queue, target) if agents else 0.0
        out.append(Hour(hour, rate, agents, level, agents_needed(queue, target, goal),
                        occupancy(agents, queue)))  # fmt: skip
    return out
