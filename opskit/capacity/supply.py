"""Supply from policy: how many people answer a queue in each hour, from the rotations.

Everyone on shift in any layer of a desk's rotations counts, where the layers' restrictions
and their calendars' holidays let them work: two desks overlapping (Berlin's afternoon, New
York's morning) are two people at their desks, though PagerDuty pages only one. Overrides
change who, not how many, so they are left out. A person on two of the desk's rotations at
once counts once. Each rotation's `shrinkage` (breaks, meetings, training) takes its share
of its people's time: the productive agents of an hour are fractional.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.capacity.demand import HOURS_OF_WEEK, hour_of_week
from opskit.oncall.render import render_layer
from opskit.policy.model import Rotation
from opskit.time import zones

HOUR = 3600
MAX_HOURS = 53 * 7 * 24  # a year of hours bounds one rendering


@dataclass(frozen=True, slots=True)
class Staffing:
    """People on shift in each hour of [lo, hi) (hour starts, epoch seconds)."""

    lo: int
    people: tuple[int, ...]  # per hour: head count (shares of the hour on shift, rounded)
    productive: tuple[float, ...]  # per hour: their share of time free for tickets


def staffing(rotations: Sequence[Rotation], lo: int, hi: int) -> Staffing:
    """People on shift through each whole hour of [lo, hi), and their productive time.

    A person counts in an hour for the share of it they are on shift (a 15:00 handoff in
    the middle of nothing is a whole hour; a shift ending at 15:30 gives half of one).
    """
    lo, hi = lo - lo % HOUR, hi - hi % HOUR
    hours = (hi - lo) // HOUR
    if not 0 < hours <= MAX_HOURS:
        raise ValueError(f"a staffing window is 1 to {MAX_HOURS} hours long")
    present: list[dict[str, float]] = [{} for _ in range(hours)]  # person -> (1 - shrinkage)
    share: list[dict[str, float]] = [{} for _ in range(hours)]  # person -> share of the hour
    for rotation in rotations:
        keep = 1.0 - rotation.shrinkage
        for layer in rotation.layers:
            for shift in render_layer(rotation, layer, lo, hi):
                for h in range((shift.start - lo) // HOUR, (shift.end - 1 - lo) // HOUR + 1):
                    a, b = max(shift.start, lo + h * HOUR), min(shift.end, lo + (h + 1) * HOUR)
                    part = share[h].get(shift.person, 0.0) + (b - a) / HOUR
                    share[h][shift.person] = min(part, 1.0)
                    present[h].setdefault(shift.person, keep)
    people = tuple(round(sum(s.values())) for s in share)
    productive = tuple(
        sum(part * present[h][person] for person, part in share[h].items()) for h in range(hours)
    )
    return Staffing(lo, people, productive)


def typical_week(found: Staffing, zone_name: str) -> tuple[dict[int, int], dict[int, float]]:
    """Per hour of the week on the zone's clock: the most usual head count over the weeks,
    and the mean productive agents of the hours with that head count (holidays and the
    odd short week are the simulation's business)."""
    zone = zones.get(zone_name)
    heads: dict[int, Counter[int]] = {}
    kept: dict[tuple[int, int], list[float]] = {}
    for h, (count, agents) in enumerate(zip(found.people, found.productive, strict=True)):
        week_hour = hour_of_week(zones.to_datetime(found.lo + h * HOUR), zone)
        heads.setdefault(week_hour, Counter())[count] += 1
        kept.setdefault((week_hour, count), []).append(agents)
    usual = {h: c.most_common(1)[0][0] for h, c in heads.items()}
    productive = {h: sum(kept[(h, n)]) / len(kept[(h, n)]) for h, n in usual.items()}
    return ({h: usual.get(h, 0) for h in range(HOURS_OF_WEEK)},
            {h: productive.get(h, 0.0) for h in range(HOURS_OF_WEEK)})  # fmt: skip
