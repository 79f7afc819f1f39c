"""opskit's rendering equals PagerDuty's final schedule (the sandbox's reference renderer)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.oncall import render
from opskit.providers.pagerduty_schedule import override_payloads, schedule_payload
from opskit.sandbox import schedule_render as sr
from opskit.time import zones
from tests.oncall.helpers import policy

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC"]
# A year that crosses both DST changes in every zone above.
SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
UNTIL = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)

SHAPES = {
    "daily-0900": """
layers:
  - members: [ann, bob, cat]
    shift: 1d
    handoff: "09:00"
""",
    "weekly-with-days": """
layers:
  - members: [ann, bob]
    shift: 1w
    handoff: "10:00"
  - name: weekend
    members: [cat, dan]
    shift: 1w
    handoff: "18:00"
    restrictions:
      - days: [saturday, sunday]
        hours: "08:00-20:00"
""",
    "twelve-hours-at-night-change": """
layers:
  - members: [ann, bob, cat, dan]
    shift: 12h
    handoff: "02:30"
""",
    "custom-36h-overnight-window": """
layers:
  - members: [ann, bob, cat]
    shift: 1d12h
    handoff: "07:00"
    restrictions:
      - hours: "22:00-06:00"
      - hours: "12:00-13:00"
        days: [monday, friday]
""",
    "follow-the-sun": """
layers:
  - {name: a, members: [ann, bob], shift: 1w, handoff: "00:00", restrictions: [{hours: "00:00-08:00"}]}
  - {name: b, members: [cat], shift: 1w, handoff: "08:00", restrictions: [{hours: "08:00-16:00"}]}
  - {name: c, members: [dan, ann], shift: 1w, handoff: "16:00", restrictions: [{hours: "16:00-24:00"}]}
""",
    "calendar-same-zone-no-holidays": """
layers:
  - members: [ann, bob]
    shift: 1d
  - members: [cat, dan]
    shift: 1w
    handoff: "08:00"
    restrictions:
      - calendar: office
overrides:
  - {person: bob, start: "2026-03-29T01:00", end: "2026-03-29T05:00"}
  - {person: cat, start: "2026-10-25T01:30", end: "2026-10-26T12:00"}
  - {person: dan, start: "2026-10-25T11:00", end: "2026-10-25T12:00"}
""",
}


def rotation_text(zone: str, shape: str) -> str:
    calendar = f"""kind: Calendar
name: office
timezone: {zone}
working_hours:
  monday: ["08:00-12:00", "13:00-18:00"]
  wednesday: ["08:00-18:00"]
  friday: ["08:00-16:00"]
---
"""
    return (
        calendar
        + f'kind: Rotation\nname: r\ntimezone: {zone}\nstart: "2025-12-29"\n'
        + SHAPES[shape]
    )


def sandbox_final(
    payload: dict[str, object], overrides: list[dict[str, object]]
) -> list[tuple[str, int, int]]:
    layers = [sr.layer_from_api(layer) for layer in payload["schedule_layers"]]  # type: ignore[attr-defined]
    tz = zones.get(str(payload["time_zone"])).tz
    entries = sr.render_final(
        layers, [sr.override_from_api(o) for o in overrides], tz, SINCE, UNTIL
    )
    return [(e.user, int(e.start.timestamp()), int(e.end.timestamp())) for e in entries]


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("zone", ZONES)
def test_rendering_equals_pagerduty_final_schedule(zone: str, shape: str) -> None:
    rotation = policy(rotation_text(zone, shape)).rotations["r"]
    by_name = lambda p: p.name  # noqa: E731
    payload, warnings = schedule_payload(rotation, by_name)
    assert warnings == []
    expected = sandbox_final(payload, override_payloads(rotation, by_name))
    lo, hi = zones.from_datetime(SINCE), zones.from_datetime(UNTIL)
    ours = [(s.person, s.start, s.end) for s in render.render(rotation, lo, hi)]
    assert len(ours) > 100
    assert ours == expected


def test_calendar_in_another_zone_and_holidays_are_warned_about() -> None:
    text = """kind: Calendar
name: ny
timezone: America/New_York
working_hours: {monday: ["09:00-17:00"]}
holidays: {country: US}
---
kind: Rotation
name: r
timezone: Europe/Berlin
start: "2026-01-05"
layers:
  - members: [ann]
    shift: 1w
    restrictions: [{calendar: ny}]
"""
    rotation = policy(text).rotations["r"]
    payload, warnings = schedule_payload(rotation)
    assert any("no holidays" in w for w in warnings)
    assert any("drift by up to 60m" in w for w in warnings)
    (restriction,) = payload["schedule_layers"][0]["restrictions"]
    # 09:00 New York on 5 Jan 2026 is 15:00 in Berlin
    assert restriction == {
        "type": "weekly_restriction",
        "start_day_of_week": 1,
        "start_time_of_day": "15:00:00",
        "duration_seconds": 8 * 3600,
    }


def test_payload_shape() -> None:
    rotation = policy(rotation_text("Europe/Berlin", "weekly-with-days")).rotations["r"]
    payload, _ = schedule_payload(rotation, end=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    base, weekend = payload["schedule_layers"]
    # 29 Dec 2025 10:00 in Berlin (CET) is 09:00 UTC
    assert base["rotation_virtual_start"] == base["start"] == "2025-12-29T09:00:00Z"
    assert base["rotation_turn_length_seconds"] == 604_800
    assert base["users"][0] == {"user": {"id": "ann@example.org", "type": "user_reference"}}
    assert base["end"] == "2026-06-01T00:00:00Z"
    assert [r["start_day_of_week"] for r in weekend["restrictions"]] == [6, 7]
    assert weekend["restrictions"][0]["duration_seconds"] == 12 * 3600


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
restriction = st.tuples(
    st.integers(0, 95), st.integers(1, 95), st.sets(st.integers(0, 6), min_size=1)
).map(
    lambda r: (
        f'{{hours: "{r[0] // 4:02d}:{r[0] % 4 * 15:02d}-{(r[0] + r[1]) % 96 // 4:02d}:'
        f'{(r[0] + r[1]) % 96 % 4 * 15:02d}", days: [{", ".join(WEEKDAYS[d] for d in sorted(r[2]))}]}}'
    )
)
layer = st.tuples(
    st.sampled_from(["1h", "5h", "12h", "1d", "1d6h", "3d", "1w"]),
    st.sampled_from(["00:00", "01:30", "02:30", "09:00", "23:45"]),
    st.lists(st.sampled_from(["ann", "bob", "cat", "dan"]), min_size=1, max_size=4, unique=True),
    st.lists(restriction, max_size=2),
).map(
    lambda x: (
        f'  - {{members: [{", ".join(x[2])}], shift: {x[0]}, handoff: "{x[1]}"'
        + (f", restrictions: [{', '.join(x[3])}]" if x[3] else "")
        + "}\n"
    )
)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.lists(layer, min_size=1, max_size=3),
    st.integers(0, 330),
    st.integers(1, 35),
)
def test_random_rotations_render_as_pagerduty_does(
    zone: str, layers: list[str], day: int, days: int
) -> None:
    text = f'kind: Rotation\nname: r\ntimezone: {zone}\nstart: "2026-01-02"\nlayers:\n' + "".join(
        layers
    )
    rotation = policy(text).rotations["r"]
    by_name = lambda p: p.name  # noqa: E731
    payload, _ = schedule_payload(rotation, by_name)
    since = SINCE + dt.timedelta(days=day)
    until = since + dt.timedelta(days=days)
    sr_layers = [sr.layer_from_api(x) for x in payload["schedule_layers"]]
    expected = [
        (e.user, int(e.start.timestamp()), int(e.end.timestamp()))
        for e in sr.render_final(sr_layers, [], zones.get(zone).tz, since, until)
    ]
    lo, hi = zones.from_datetime(since), zones.from_datetime(until)
    assert [(s.person, s.start, s.end) for s in render.render(rotation, lo, hi)] == expected
