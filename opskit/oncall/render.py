"""Rotations to shifts, with PagerDuty's schedule-layer semantics.

Turn k of a layer starts k shift-lengths after the rotation's first handoff,
counted on the wall clock of the rotation's zone (a 09:00 handoff stays 09:00
across DST) and belongs to member k mod n. Restrictions cut turns without
stretching them; later layers win where they are active; overrides win over all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from opskit.oncall.restrictions import Windows, active_spans
from opskit.oncall.roster import Deal, deals, turn_seconds
from opskit.policy.model import Layer, Person, Rotation
from opskit.time import zones
from opskit.time.intervals import Span, union

OVERRIDE = "override"


class Shift(NamedTuple):
    start: int
    end: int
    person: str
    layer: str  # layer name, or OVERRIDE


def turns(rotation: Rotation, layer: Layer, lo: int, hi: int) -> list[tuple[int, int, Person]]:
    """(start, end, person) of the turns meeting [lo, hi), clipped to it; each member list
    deals from the handoff it takes over at (see opskit.oncall.roster)."""
    length = turn_seconds(layer.shift)
    if length <= 0:
        return []
    zone = zones.get(rotation.timezone)
    plan = deals(rotation, layer)
    out: list[tuple[int, int, Person]] = []
    for i, deal in enumerate(plan):
        a = max(lo, zone.utc(deal.origin if deal.since is None else deal.since))
        b = hi if i + 1 == len(plan) else min(hi, zone.utc(plan[i + 1].since or 0))
        if a < b and deal.members:
            out += _dealt(deal, length, zone, a, b)
    return out


def _dealt(
    deal: Deal, length: int, zone: zones.Zone, lo: int, hi: int
) -> list[tuple[int, int, Person]]:
    origin, count = deal.origin, len(deal.members)
    k = (zone.wall(lo) - origin) // length
    while zone.utc(origin + k * length) > lo:
        k -= 1
    while zone.utc(origin + (k + 1) * length) <= lo:
        k += 1
    out = []
    start = zone.utc(origin + k * length)
    while start < hi:
        end = zone.utc(origin + (k + 1) * length)
        if end > start:
            out.append((max(start, lo), min(end, hi), deal.members[k % count]))
        k, start = k + 1, end
    return out


def render_layer(
    rotation: Rotation,
    layer: Layer,
    lo: int,
    hi: int,
    *,
    honour_holidays: bool = True,
    windows: Windows = Windows.OPSKIT,
) -> list[Shift]:
    spans = turns(rotation, layer, lo, hi)
    if not spans:
        return []
    zone = zones.get(rotation.timezone)
    active = active_spans(
        layer, zone, spans[0][0], spans[-1][1], honour_holidays=honour_holidays, windows=windows
    )
    if not layer.restrictions:
        return merge([Shift(a, b, person.name, layer.name) for a, b, person in spans])
    out: list[Shift] = []
    j = 0  # turns and active spans are both sorted and disjoint: one pass over both
    for start, end, person in spans:
        while j < len(active) and active[j][1] <= start:
            j += 1
        k = j
        while k < len(active) and active[k][0] < end:
            a, b = max(start, active[k][0]), min(end, active[k][1])
            if a < b:
                out.append(Shift(a, b, person.name, layer.name))
            k += 1
    return merge(out)


def merge(shifts: Sequence[Shift]) -> list[Shift]:
    """Sorted, with back-to-back shifts of one person joined."""
    out: list[Shift] = []
    for s in sorted(shifts):
        if out and out[-1].person == s.person and out[-1].end == s.start:
            out[-1] = out[-1]._replace(end=s.end)
        else:
            out.append(s)
    return out


def stack(levels: Sequence[Sequence[Shift]]) -> list[Shift]:
    """Shifts of several levels, highest first: each shows where those above are silent."""
    if len(levels) == 1:  # nothing above it (most rotations: one layer, no overrides)
        return merge([shift for shift in levels[0] if shift.start < shift.end])
    covered: list[Span] = []
    out: list[Shift] = []
    for depth, level in enumerate(levels):
        ordered = sorted(level)
        j = 0
        for shift in ordered:
            while j < len(covered) and covered[j][1] <= shift.start:
                j += 1  # shifts in a level do not overlap, so the pointer only moves on
            k, cursor = j, shift.start
            while k < len(covered) and covered[k][0] < shift.end:
                if covered[k][0] > cursor:
                    out.append(shift._replace(start=cursor, end=covered[k][0]))
                cursor = max(cursor, covered[k][1])
                k += 1
            if cursor < shift.end:
                out.append(shift._replace(start=cursor))
        if depth + 1 < len(levels):  # the lowest level has nobody below to cover
            covered = union([*covered, *((s.start, s.end) for s in ordered)])
    return merge(out)


def override_levels(rotation: Rotation, lo: int, hi: int) -> list[list[Shift]]:
    """The rotation's overrides in [lo, hi), each a level of its own, the last one highest."""
    return [
        [Shift(max(a, lo), min(b, hi), o.person.name, OVERRIDE)]
        for o in reversed(rotation.overrides)
        for a, b in [(zones.from_datetime(o.start), zones.from_datetime(o.end))]
        if max(a, lo) < min(b, hi)
    ]


def render(
    rotation: Rotation,
    lo: int,
    hi: int,
    *,
    honour_holidays: bool = True,
    windows: Windows = Windows.OPSKIT,
) -> list[Shift]:
    """The rotation's final schedule in [lo, hi); `windows` says how restriction windows
    end when the clocks change inside one (see opskit.oncall.restrictions)."""
    overrides = override_levels(rotation, lo, hi)
    layers = [
        render_layer(rotation, layer, lo, hi, honour_holidays=honour_holidays, windows=windows)
        for layer in reversed(rotation.layers)
    ]
    return stack([*overrides, *layers])
