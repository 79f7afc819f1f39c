"""Holiday coverage renders only holiday days; it must find what a full year's render finds."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.oncall.coverage import service_gaps
from opskit.oncall.schedule import Schedules, holiday_windows
from opskit.policy.model import Policy
from opskit.time import zones
from tests.oncall.helpers import policy, t

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
HOURS = ['["00:00-24:00"]', '["09:00-17:30"]', '["07:00-12:00", "13:00-19:00"]']


@functools.cache
def setup(calendar_zone: str, rotation_zone: str, hours: str, second_layer: bool) -> Policy:
    days = "".join(
        f"\n  {day}: {hours}"
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
    )
    backup = (
        '\n  - members: [bob]\n    shift: 1d\n    restrictions: [{hours: "20:00-02:00"}]'
        if second_layer
        else ""
    )
    text = f"""kind: Team
name: ops
members: [ann, bob, cat]
leads: [ann]
---
kind: Priority
name: P1
level: 1
title: Critical
urgency: high
---
kind: Calendar
name: office
timezone: {calendar_zone}
working_hours:{days}
holidays:
  country: DE
  extra: [{{date: "2026-12-31", name: Year end}}]
---
kind: SlaTier
name: Gold
calendar: 24x7
targets:
  P1: {{first_response: 15m, resolution: 4h}}
---
kind: Rotation
name: primary
timezone: {rotation_zone}
start: "2026-01-05"
layers:
  - members: [ann, cat]
    shift: 1w
    restrictions: [{{calendar: office}}]{backup}
---
kind: EscalationLadder
name: main
steps:
  - notify: [{{rotation: primary}}]
    escalate_after: 5m
  - notify: [{{person: ann}}, {{person: bob}}]
    escalate_after: 10m
---
kind: Service
name: api
team: ops
ladder: main
tier: Gold
---
"""
    return policy(text)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.sampled_from(ZONES),
    st.sampled_from(HOURS),
    st.booleans(),
    st.integers(0, 400),
)
def test_windowed_render_finds_the_same_holiday_gaps_as_a_full_year(
    calendar_zone: str, rotation_zone: str, hours: str, second_layer: bool, day: int
) -> None:
    p = setup(calendar_zone, rotation_zone, hours, second_layer)
    lo = t("2026-01-01T00:00") + day * zones.DAY + 3_600 * (day % 24)
    hi = lo + 365 * zones.DAY
    service = p.services["api"]
    full = service_gaps(
        service, Schedules(p, lo, hi), Schedules(p, lo, hi, honour_holidays=False)
    ).holiday
    days = holiday_windows(p, lo, hi)
    windowed = service_gaps(
        service,
        Schedules(p, lo, hi, windows=days),
        Schedules(p, lo, hi, honour_holidays=False, windows=days),
    ).holiday
    assert full, "the office closes on holidays, so a year always has holiday gaps"
    assert windowed == full


def test_windows_are_the_calendars_local_holiday_days() -> None:
    p = setup("America/New_York", "UTC", HOURS[1], False)
    lo = t("2026-12-20T00:00")
    days = holiday_windows(p, lo, lo + 14 * zones.DAY)
    new_york = "America/New_York"
    assert days == [
        (t("2026-12-25T00:00", new_york), t("2026-12-27T00:00", new_york)),  # DE: 25th and 26th
        (t("2026-12-31T00:00", new_york), t("2027-01-02T00:00", new_york)),  # extra, New Year
    ]


def test_twins_share_what_no_holiday_changes_and_render_apart_what_one_does() -> None:
    """The holiday-blind twin takes a rotation that follows no calendar from the other
    (one render), but renders a calendar-bound one itself: the gaps stay those of two
    separate schedules."""
    p = setup("Europe/Berlin", "Europe/Berlin", HOURS[1], True)
    lo = t("2026-12-20T00:00")
    hi = lo + 21 * zones.DAY
    honour = Schedules(p, lo, hi)
    blind = Schedules(p, lo, hi, honour_holidays=False, twin=honour)
    honour.twin = blind
    primary = p.rotations["primary"]  # on only in the office's hours: holidays change it
    assert blind.shifts(primary) == Schedules(p, lo, hi, honour_holidays=False).shifts(primary)
    assert honour.shifts(primary) != blind.shifts(primary)  # Christmas closes the office
    service = p.services["api"]
    alone = service_gaps(service, Schedules(p, lo, hi),
                         Schedules(p, lo, hi, honour_holidays=False))  # fmt: skip
    assert service_gaps(service, honour, blind) == alone and alone.holiday
    calm = setup.__wrapped__("Europe/Berlin", "Europe/Berlin", HOURS[0], False)  # a copy of its own
    plain = calm.rotations["primary"]
    plain.layers[0].restrictions.clear()  # a rotation no calendar touches
    one, other = Schedules(calm, lo, hi), Schedules(calm, lo, hi, honour_holidays=False)
    one.twin, other.twin = other, one
    assert other.shifts(plain) is one.shifts(plain)  # rendered once, by either
