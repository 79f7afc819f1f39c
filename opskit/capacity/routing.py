"""Which of a desk's people a tier's tickets reach: only those of the rotations its
`capacity.desk` names.

Tiers that share a rotation are one desk (``desks``), but a Standard tier answered by the
service desk alone does not get the engineers a Premium tier adds. For the hourly
assessment each tier has its pool, the people on shift in its own rotations, and another
tier's tickets take a share of that pool's time. Tickets go to the most specialised free
agent first (as in the simulation), so tier U's work reaches T's pool only where U's
people outside it cannot take it: for a target within the hour, the overflow of
telephony's alternate routing, Erlang B of the load offered to those outside people
(every tier that may use them) on the agents they are in the hour; for a longer one a
ticket can wait for them, so only the hour's work beyond theirs (``Pools.routed``). In
an hour nobody of U's is on shift its tickets wait for them (the share by count of
rotations). A tier whose rotations are some of another's (Standard's desk within
Premium's desk and engineers) takes of that pool only its own people's time.

The simulation serves each ticket by someone of its tier's rotations: the desk's
rotations fall into groups by the tiers they answer, and an agent free in a group the
ticket's tier may use takes it, those of the fewest tiers first. Tiers naming the same
rotations are one pool and one group: the desk as one queue. Someone on two groups'
rotations at once counts in both.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from opskit.capacity import supply
from opskit.capacity.demand import HOURS_OF_WEEK
from opskit.capacity.desks import Desk
from opskit.capacity.erlang import MAX_AGENTS, erlang_b
from opskit.policy.model import Rotation, SlaTier

Week = tuple[dict[int, int], dict[int, float]]  # people, agents per hour of the week


@dataclass(frozen=True, slots=True)
class Pools:
    """Each tier's pool of a desk's people, and how much of every tier's work reaches it."""

    people: Mapping[str, Mapping[int, int]]  # tier -> people on shift in its rotations
    agents: Mapping[str, Mapping[int, float]]  # tier -> of them at work (less shrinkage)
    share: Mapping[tuple[str, str], Sequence[float]]  # (U, T) -> share of U's work T's pool does
    # (U, T) -> U's agents outside T's rotations per hour, and the tiers that may use them:
    # where given, U's work overflows to T's pool only when those agents are busy
    outside: Mapping[tuple[str, str], tuple[Sequence[float], frozenset[str]]] = field(
        default_factory=dict
    )

    # (U, T) where U's rotations are some of T's: U's work can only take U's people's time
    narrower: frozenset[tuple[str, str]] = frozenset()

    def routed(
        self, work: Mapping[str, Sequence[float]], *, patient: bool = False
    ) -> dict[tuple[str, str], list[float]]:
        """The shares with overflow: `work` is each tier's offered load per hour, erlangs.
        A ticket that cannot wait (a target within the hour) goes on when the outside
        agents are all busy as it comes (Erlang B); a `patient` one waits for them, so only
        the hour's work beyond what they can do goes on."""
        out = {pair: list(share) for pair, share in self.share.items()}
        for (giver, taker), (agents, users) in self.outside.items():
            mine = self.people[giver]
            for h in range(HOURS_OF_WEEK):
                if mine.get(h):
                    offered = sum(work[t][h] for t in users if t in work)
                    out[(giver, taker)][h] = (
                        excess(agents[h], offered) if patient else overflow(agents[h], offered)
                    )
        return out

    @classmethod
    def whole(cls, tiers: Iterable[str], people: Mapping[int, int],
              agents: Mapping[int, float]) -> Pools:  # fmt: skip
        """Every tier answered by the whole desk: one queue."""
        names = list(tiers)
        return cls(dict.fromkeys(names, people), dict.fromkeys(names, agents),
                   {(u, t): [1.0] * HOURS_OF_WEEK for u in names for t in names})  # fmt: skip


class Staffer:
    """The staffing of sets of a desk's rotations over one window, each rendered once."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi
        self._done: dict[tuple[str, ...], supply.Staffing] = {}

    def __call__(self, rotations: Sequence[Rotation]) -> supply.Staffing:
        key = tuple(r.name for r in rotations)
        if key not in self._done:
            self._done[key] = supply.staffing(rotations, self.lo, self.hi)
        return self._done[key]


def rotations_of(desk: Desk, tier: SlaTier) -> tuple[Rotation, ...]:
    """The desk's rotations the tier names, in the desk's order."""
    names = set(tier.capacity.desk) if tier.capacity else set()
    return tuple(r for r in desk.rotations if r.name in names)


def groups(desk: Desk, staffed: Staffer) -> list[tuple[supply.Staffing, frozenset[str]]]:
    """The desk's rotations grouped by the tiers they answer: each group's staffing over
    the staffer's window and those tiers."""
    answers: dict[frozenset[str], list[Rotation]] = {}
    for rotation in desk.rotations:
        tiers = frozenset(t.name for t in desk.tiers if rotation in rotations_of(desk, t))
        answers.setdefault(tiers, []).append(rotation)
    return [(staffed(rotations), tiers) for tiers, rotations in answers.items()]


def pools(desk: Desk, staffed: Staffer) -> Pools:
    """Each tier's pool over the staffer's window as a typical week on the desk's clock, and
    the shares."""
    weeks: dict[tuple[str, ...], Week] = {}

    def week(rotations: Sequence[Rotation]) -> Week:
        key = tuple(r.name for r in rotations)
        if key not in weeks:
            weeks[key] = supply.typical_week(staffed(rotations), desk.zone)
        return weeks[key]

    own = {t.name: rotations_of(desk, t) for t in desk.tiers}
    people = {name: week(rotations)[0] for name, rotations in own.items()}
    agents = {name: week(rotations)[1] for name, rotations in own.items()}
    share: dict[tuple[str, str], list[float]] = {}
    outside: dict[tuple[str, str], tuple[list[float], frozenset[str]]] = {}
    narrower: set[tuple[str, str]] = set()
    for giver, theirs in own.items():
        for taker, mine in own.items():
            both = tuple(r for r in theirs if r in mine)
            if both == theirs and both != mine:
                narrower.add((giver, taker))
            if both == theirs or not both:
                share[(giver, taker)] = [1.0 if both else 0.0] * HOURS_OF_WEEK
                continue
            share[(giver, taker)] = [len(both) / len(theirs)] * HOURS_OF_WEEK
            others = tuple(r for r in theirs if r not in mine)
            users = frozenset(t for t, rs in own.items() if any(r in rs for r in others))
            on = week(others)[1]
            outside[(giver, taker)] = ([on.get(h, 0.0) for h in range(HOURS_OF_WEEK)], users)
    return Pools(people, agents, share, outside, frozenset(narrower))


def excess(agents: float, offered: float) -> float:
    """The share of the hour's offered work beyond what `agents` can do in it."""
    if offered <= 0:
        return 0.0 if agents > 0 else 1.0
    return max(offered - agents, 0.0) / offered


def overflow(agents: float, offered: float) -> float:
    """The share of tickets offered to `agents` (a share of one interpolated) that finds
    them all busy and goes on: Erlang B."""
    if offered <= 0:
        return 0.0 if agents > 0 else 1.0
    agents = min(agents, MAX_AGENTS)
    low = math.floor(agents)
    below = erlang_b(low, offered)
    if agents == low:
        return below
    return below + (agents - low) * (erlang_b(low + 1, offered) - below)
