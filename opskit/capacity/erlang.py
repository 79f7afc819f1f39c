"""Erlang C: the share of tickets answered within a target by N agents.

Tickets arrive at random (Poisson) at `rate` a second and take `handle` seconds each on
average (exponentially distributed); N agents answer them first come, first served. The
offered load is A = rate * handle erlangs. Erlang B is computed by its recurrence, which is
stable for any N (the textbook factorials overflow past a few hundred agents), and Erlang
C from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_AGENTS = 100_000  # beyond any support desk; bounds every search here


@dataclass(frozen=True, slots=True)
class Queue:
    """A ticket stream as Erlang C takes it: Poisson arrivals and a mean handle time."""

    rate: float  # arrivals a second
    handle: float  # mean handle time, seconds

    def __post_init__(self) -> None:
        if not (self.rate >= 0 and math.isfinite(self.rate)):
            raise ValueError(f"arrival rate must be a finite number >= 0, not {self.rate}")
        if not (self.handle > 0 and math.isfinite(self.handle)):
            raise ValueError(f"handle time must be a finite number > 0, not {self.handle}")

    @property
    def load(self) -> float:
        """Offered load in erlangs: how many agents the work alone keeps busy."""
        return self.rate * self.handle


def erlang_b(agents: int, load: float) -> float:
    """The blocking probability of `agents` servers with no queue (Erlang B)."""
    _check_agents(agents)
    blocked = 1.0
    for k in range(1, agents + 1):
        blocked = load * blocked / (k + load * blocked)
    return blocked


def wait_probability(agents: int, queue: Queue) -> float:
    """The share of tickets that wait at all (Erlang C); 1 when the desk cannot keep up."""
    _check_agents(agents)
    load = queue.load
    if load == 0:
        return 0.0
    if agents <= load:
        return 1.0
    blocked = erlang_b(agents, load)
    return agents * blocked / (agents - load * (1 - blocked))


def service_level(agents: int, queue: Queue, target: float) -> float:
    """The share of tickets answered within `target` seconds."""
    if target < 0:
        raise ValueError("target must be >= 0 seconds")
    waits = wait_probability(agents, queue)
    if waits >= 1.0:
        return 0.0
    return 1.0 - waits * math.exp(-(agents - queue.load) * target / queue.handle)


def average_wait(agents: int, queue: Queue) -> float:
    """Mean time to answer, seconds (infinite when the desk cannot keep up)."""
    if agents <= queue.load:
        return math.inf if queue.load else 0.0
    return wait_probability(agents, queue) * queue.handle / (agents - queue.load)


def occupancy(agents: int, queue: Queue) -> float:
    """The share of the agents' time spent on tickets."""
    _check_agents(agents)
    return min(queue.load / agents, 1.0) if agents else 1.0


def agents_needed(queue: Queue, target: float, goal: float) -> int:
    """The fewest agents that answer a `goal` share of tickets within `target` seconds."""
    if not 0 < goal < 1:
        raise ValueError("goal must be a share strictly between 0 and 1")
    agents = max(1, math.floor(queue.load) + 1)
    while service_level(agents, queue, target) < goal:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError(f"more than {MAX_AGENTS:,} agents needed")
    return agents


def _check_agents(agents: int) -> None:
    if not 0 <= agents <= MAX_AGENTS:
        raise ValueError(f"agents must be 0..{MAX_AGENTS:,}, not {agents}")
