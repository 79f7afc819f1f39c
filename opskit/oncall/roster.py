"""Which member list deals a layer's turns, and from when: a roster change continues the order.

Without roster changes a layer deals turn k (counted from the rotation's first handoff)
to members[k mod n]. Changing the members re-deals every turn from there, so someone may
be on call twice in a row or wait a month. A layer's `roster_changes` keep the lists it
had: each change takes effect at a handoff, where the person after the one on call (in
the list before) takes the next turn, and the turns follow the new list from there.
"""

from __future__ import annotations

from typing import NamedTuple

from opskit.policy.model import Layer, Person, Rotation
from opskit.policy.values import Duration
from opskit.time import zones


class Deal(NamedTuple):
    since: int | None  # wall-clock instant this list takes over at; None: the layer's first
    origin: int  # wall-clock instant of this list's turn 0
    members: list[Person]


def turn_seconds(shift: Duration) -> int:
    return shift.calendar_seconds


def first_handoff(rotation: Rotation, layer: Layer) -> int:
    """Wall-clock instant of the layer's turn 0 (its rotation_virtual_start)."""
    return zones.wall_of(rotation.start, layer.handoff)


def deals(rotation: Rotation, layer: Layer) -> list[Deal]:
    """The layer's member lists in the order they deal, each from the handoff it takes over at."""
    length = turn_seconds(layer.shift)
    lists = [change.before for change in layer.roster_changes] + [layer.members]
    out = [Deal(None, first_handoff(rotation, layer), lists[0])]
    if length <= 0:
        return [Deal(None, out[0].origin, layer.members)]
    for change, members in zip(layer.roster_changes, lists[1:], strict=True):
        last = out[-1]
        wanted = zones.wall_of(change.at, layer.handoff)
        k = -((last.origin - wanted) // length)  # the first handoff on or after `at`
        if last.since is not None and last.origin + k * length <= last.since:
            k = (last.since - last.origin) // length + 1  # each list deals at least one turn
        handoff = last.origin + k * length
        out.append(Deal(handoff, handoff - _next_index(last.members, k, members) * length, members))
    return out


def _next_index(before: list[Person], turn: int, members: list[Person]) -> int:
    """Where the new list starts: the person after the one on call before the handoff (in
    the old order) who is still a member, never the one just on call unless alone."""
    if not members:
        return 0
    names = [p.name for p in members]
    if not before:
        return 0
    on_call = before[(turn - 1) % len(before)].name
    for step in range(len(before)):
        person = before[(turn + step) % len(before)].name
        if person in names and (person != on_call or len(names) == 1):
            return names.index(person)
    return 1 % len(names) if names[0] == on_call else 0


def order_after(deal: Deal, handoff: int, length: int) -> list[Person]:
    """The members in the order they take turns from `handoff`."""
    if not deal.members or length <= 0:
        return []
    first = (handoff - deal.origin) // length
    return [deal.members[(first + i) % len(deal.members)] for i in range(len(deal.members))]
