"""The plan's own rendering of PagerDuty layers equals the sandbox's reference renderer,
on layers of every shape: ended and future ones, restrictions of both kinds, DST zones."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.providers.pagerduty import final
from opskit.providers.pagerduty.times import utc_text
from opskit.sandbox import schedule_render as sr
from opskit.time import zones

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC"]
SINCE = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)  # both DST changes of the north fall inside
DAYS = 70
HOUR = 3600


@st.composite
def restrictions(draw: Any) -> dict[str, Any]:
    start = f"{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from([0, 30])):02d}:00"
    if draw(st.booleans()):
        return {
            "type": "daily_restriction",
            "start_time_of_day": start,
            "duration_seconds": draw(st.integers(1, 24)) * HOUR,
        }
    return {
        "type": "weekly_restriction",
        "start_time_of_day": start,
        "start_day_of_week": draw(st.integers(1, 7)),
        "duration_seconds": draw(st.integers(1, 7 * 24)) * HOUR,
    }


@st.composite
def layers(draw: Any) -> dict[str, Any]:
    start = SINCE + dt.timedelta(hours=draw(st.integers(-30 * 24, 40 * 24)))
    layer: dict[str, Any] = {
        "start": utc_text(start),
        "rotation_virtual_start": utc_text(
            SINCE + dt.timedelta(hours=draw(st.integers(-60 * 24, 20 * 24)))
        ),
        "rotation_turn_length_seconds": draw(st.sampled_from([8, 12, 24, 36, 7 * 24])) * HOUR,
        "users": [
            {"user": {"id": name}} for name in draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=4))
        ],
        "restrictions": draw(st.lists(restrictions(), max_size=3)),
    }  # fmt: skip
    if draw(st.booleans()):
        layer["end"] = utc_text(start + dt.timedelta(hours=draw(st.integers(1, 50 * 24))))
    return layer


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ZONES), st.lists(layers(), min_size=1, max_size=3))
def test_rendering_agrees_with_the_reference(zone: str, stack: list[dict[str, Any]]) -> None:
    until = SINCE + dt.timedelta(days=DAYS)
    reference = sr.render_final(
        [sr.layer_from_api(layer) for layer in stack], [], ZoneInfo(zone), SINCE, until
    )
    expected = [
        (zones.from_datetime(e.start), zones.from_datetime(e.end), e.user) for e in reference
    ]
    lo, hi = zones.from_datetime(SINCE), zones.from_datetime(until)
    assert final.render(stack, zone, lo, hi) == expected


def test_differences_name_each_stretch_paged_otherwise() -> None:
    before = [(0, 10, "ann"), (10, 20, "bob")]
    after = [(0, 5, "ann"), (5, 20, "cat"), (25, 30, "dan")]
    assert final.differences(before, after) == [
        (5, 10, "ann", "cat"),
        (10, 20, "bob", "cat"),
        (25, 30, "", "dan"),
    ]
    assert final.differences(before, before) == []
