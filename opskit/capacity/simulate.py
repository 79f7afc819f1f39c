"""A seeded discrete-event simulation of a ticket queue, beside Erlang C.

The closed formula needs Poisson arrivals, exponential handle times, one queue and agents
always there; the simulation needs none of that, so it can later take priorities and
business hours. Where both apply they must agree, which the tests check. First come, first
served with identical agents: each ticket goes to the agent free soonest.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TICKETS = 5_000_000  # bounds a run: about ten seconds


@dataclass(frozen=True, slots=True)
class Result:
    """A simulated run of a queue: how long each ticket waited for an agent."""

    tickets: int
    waits: tuple[float, ...]  # seconds each ticket waited for an agent, in arrival order

    def within(self, target: float) -> float:
        """The share of tickets answered within `target` seconds."""
        return sum(1 for w in self.waits if w <= target) / self.tickets if self.tickets else 1.0


def poisson_tickets(
    rate: float, handle: float, count: int, seed: int
) -> Iterable[tuple[float, float]]:
    """(arrival, handle time) of `count` tickets: Poisson arrivals, exponential handling."""
    rng = random.Random(seed)
    t = 0.0
    for _ in range(count):
        t += rng.expovariate(rate)
        yield t, rng.expovariate(1 / handle)


def simulate(agents: int, tickets: Iterable[tuple[float, float]]) -> Result:
    """Serve `tickets` (arrival, handle time), in arrival order, with `agents` agents."""
    if not 1 <= agents <= 100_000:
        raise ValueError("agents must be 1..100,000")
    free = [0.0] * agents  # when each agent is next free; a heap
    waits: list[float] = []
    for arrival, handle in tickets:
        if len(waits) >= MAX_TICKETS:
            raise ValueError(f"at most {MAX_TICKETS:,} tickets a run")
        soonest = heapq.heappop(free)
        start = max(arrival, soonest)
        waits.append(start - arrival)
        heapq.heappush(free, start + handle)
    return Result(len(waits), tuple(waits))
