"""How much rendering a set of rotations takes, known from the policy before any is done.

A rotation is small to write and can be large to render: twenty layers of one-hour turns are
43,680 turns a quarter and 350,000 over the longest horizon. Deliverability renders every
rotation a service's ladder uses, so fifty such rotations took validate 7 s over a quarter and
44 s and 175 MB over two years. `pieces` counts what rendering a rotation over some seconds
makes (turns, restriction windows, overrides: no fewer than one layer's shifts), so that a caller can refuse a run larger than `RENDER_BUDGET` up front
and say which rotations make it so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from opskit.oncall.roster import turn_seconds
from opskit.policy.model import Rotation
from opskit.time import zones

# What one run renders: a base, and an allowance a rotation, so that the work stays linear in
# what the repository holds. Rendering and checking a million pieces takes about 3 s on one
# core here; a rotation of three daily layers is about 300 pieces a quarter, so a thousand such
# rotations stay far below.
RENDER_BUDGET = 1_000_000
PER_ROTATION = 1_000
WEEK = 7 * zones.DAY


def pieces(rotation: Rotation, seconds: int, windows: int = 1) -> int:
    """The turns, restriction windows and overrides rendering `rotation` over `windows`
    spans of `seconds` in all meets (layers stacked may split a shift further)."""
    weeks = -(-seconds // WEEK) + windows
    out = len(rotation.overrides)
    for layer in rotation.layers:
        length = turn_seconds(layer.shift)
        if length > 0:
            # a window can cut a turn at each end, and a roster change starts a new one
            out += seconds // length + windows * (2 + len(layer.roster_changes))
        for r in layer.restrictions:
            per_week = (
                len(r.days)
                if r.calendar is None
                else sum(len(spans) for spans in r.calendar.working_hours.values())
            )
            out += per_week * weeks
    return out


def budget(rotations: int) -> int:
    """The pieces a run that renders `rotations` rotations may render."""
    return RENDER_BUDGET + PER_ROTATION * rotations


def heaviest(sizes: Iterable[tuple[Rotation, int]], count: int = 3) -> list[tuple[Rotation, int]]:
    """The `count` rotations with the most pieces, most first (by name among equals)."""
    return sorted(sizes, key=lambda pair: (-pair[1], pair[0].name))[:count]


def named(sizes: Sequence[tuple[Rotation, int]]) -> str:
    return ", ".join(f"{rotation.name!r} ({size:,})" for rotation, size in heaviest(sizes))


def refusal(rotations: Iterable[Rotation], seconds: int) -> str | None:
    """Why rendering `rotations` over `seconds` is refused, or None if it fits the budget."""
    sizes = [(rotation, pieces(rotation, seconds)) for rotation in rotations]
    wanted, allowed = sum(size for _, size in sizes), budget(len(sizes))
    if wanted <= allowed:
        return None
    return (
        f"rendering {len(sizes)} rotation(s) over {seconds // zones.DAY} day(s) takes {wanted:,} "
        f"turns, restriction windows and overrides, more than the {allowed:,} one run renders for "
        f"as many; the most: {named(sizes)}; ask for a shorter window or fewer rotations"
    )
