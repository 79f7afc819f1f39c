"""Properties of the renderer and of the zone tables it stands on."""

from __future__ import annotations

import datetime as dt
import functools
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.oncall import render, roster
from opskit.policy.model import Rotation
from opskit.time import zones
from tests.oncall.helpers import policy

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC", "Asia/Kolkata"]
START = zones.from_datetime(dt.datetime(2025, 12, 29, tzinfo=dt.UTC))
instants = st.integers(START, START + 3 * 366 * zones.DAY)


@given(st.sampled_from(ZONES), instants)
def test_zone_table_agrees_with_zoneinfo(name: str, t: int) -> None:
    zone = zones.get(name)
    assert zone.wall(t) == t + int(
        dt.datetime.fromtimestamp(t, zone.tz).utcoffset().total_seconds()
    )  # type: ignore[union-attr]
    naive = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=t)  # read t as a wall time
    assert zone.utc(t) == int(naive.replace(tzinfo=zone.tz).timestamp())


@functools.cache
def rotation(zone: str, shift: str, handoff: str, members: int, restricted: bool) -> Rotation:
    names = ["ann", "bob", "cat", "dan"][:members]
    restriction = (
        '\n    restrictions: [{hours: "22:00-06:00"}, {hours: "09:00-10:00", days: [monday]}]'
    )
    text = f"""kind: Rotation
name: r
timezone: {zone}
start: "2026-01-05"
layers:
  - members: [{", ".join(names)}]
    shift: {shift}
    handoff: "{handoff}"{restriction if restricted else ""}
"""
    return policy(text).rotations["r"]


shapes = st.tuples(
    st.sampled_from(ZONES),
    st.sampled_from(["1h", "8h", "12h", "1d", "1d12h", "3d", "1w", "2w"]),
    st.sampled_from(["00:00", "02:30", "09:00", "23:15"]),
    st.integers(1, 4),
)
windows = st.tuples(instants, st.integers(1, 60 * zones.DAY))


@settings(max_examples=60, deadline=None)
@given(shapes, st.booleans(), windows)
def test_shifts_in_a_layer_never_overlap(
    shape: tuple[str, str, str, int], restricted: bool, window: tuple[int, int]
) -> None:
    lo, length = window
    shifts = render.render(rotation(*shape, restricted), lo, lo + length)
    assert all(a.end <= b.start for a, b in itertools.pairwise(shifts))
    assert all(lo <= s.start < s.end <= lo + length for s in shifts)


@settings(max_examples=60, deadline=None)
@given(shapes, windows)
def test_unrestricted_layer_covers_everything_after_its_start(
    shape: tuple[str, str, str, int], window: tuple[int, int]
) -> None:
    lo, length = window
    rot = rotation(*shape, False)
    first = zones.get(rot.timezone).utc(roster.first_handoff(rot, rot.layers[0]))
    shifts = render.render(rot, lo, lo + length)
    if lo + length <= first:
        assert shifts == []  # nothing before the rotation starts
        return
    assert shifts[0].start == max(lo, first)
    assert shifts[-1].end == lo + length
    assert all(a.end == b.start for a, b in itertools.pairwise(shifts))


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.sampled_from(["1d", "1w", "12h"]),
    st.sampled_from(["00:00", "09:00", "23:15"]),
)
def test_handoffs_keep_local_time_across_dst(zone: str, shift: str, handoff: str) -> None:
    rot = rotation(zone, shift, handoff, 3, False)
    tz = zones.get(zone)
    shifts = render.render(rot, START, START + 366 * zones.DAY)
    minutes = {(tz.wall(s.start) % zones.DAY) // 60 for s in shifts[1:]}
    h, m = map(int, handoff.split(":"))
    expected = {h * 60 + m, (h * 60 + m + 720) % 1440} if shift == "12h" else {h * 60 + m}
    assert minutes == expected


def test_nine_oclock_handoff_in_berlin_around_both_changes() -> None:
    rot = rotation("Europe/Berlin", "1d", "09:00", 2, False)
    tz = zones.get("Europe/Berlin")
    for day in ("2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26"):
        lo = tz.utc(zones.wall_of(dt.date.fromisoformat(day), 8 * 60))
        (_, shift) = render.render(rot, lo, lo + 2 * 3600)
        assert tz.wall(shift.start) % zones.DAY == 9 * 3600
    # the day of the spring change is an hour shorter in elapsed time
    a = tz.utc(zones.wall_of(dt.date(2026, 3, 28), 540))
    shifts = render.render(rot, a, a + 2 * zones.DAY)
    assert shifts[0].end - shifts[0].start == 23 * 3600


@settings(max_examples=60, deadline=None)
@given(shapes, st.booleans(), windows)
def test_a_lone_level_stacks_as_under_a_silent_one(
    shape: tuple[str, str, str, int], restricted: bool, window: tuple[int, int]
) -> None:
    # stack() returns a lone level merged without walking it; an empty level above it
    # sends the same shifts through the walk, which must give the same schedule
    lo, length = window
    r = rotation(*shape, restricted)
    layer = render.render_layer(r, r.layers[0], lo, lo + length)
    assert render.stack([layer]) == render.stack([[], layer]) == render.render(r, lo, lo + length)


def test_a_lone_level_drops_empty_shifts_as_the_walk_does() -> None:
    level = [render.Shift(5, 5, "ann", "l"), render.Shift(0, 5, "ann", "l"), render.Shift(9, 12, "bob", "l")]
    assert render.stack([level]) == render.stack([[], level]) == [
        render.Shift(0, 5, "ann", "l"), render.Shift(9, 12, "bob", "l")
    ]
