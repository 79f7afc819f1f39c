"""Restriction windows on clock-change days: what the policy means, what PagerDuty runs, and
restriction-dst-gap where the two page different people."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.oncall import dst, render
from opskit.oncall.restrictions import Windows, restriction_spans
from opskit.policy.checks import Context
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.model import Policy, Rotation
from opskit.providers.pagerduty_schedule import schedule_payload
from opskit.rules import run_all
from opskit.sandbox import schedule_render as sr
from opskit.time import zones
from opskit.time.intervals import Span, union
from tests.oncall.helpers import PEOPLE, policy, t

RULE = "restriction-dst-gap"
SPLIT = """kind: Rotation
name: support
timezone: Europe/Berlin
start: "2026-01-05"
layers:
  - name: weekdays
    members: [ann, bob]
    shift: 1w
    handoff: "00:00"
    restrictions:
      - days: [monday, tuesday, wednesday, thursday, friday]
  - name: weekend
    members: [cat]
    shift: 1w
    handoff: "00:00"
    restrictions:
      - days: [saturday, sunday]
"""


def found(p: Policy, now: str = "2026-06-01T00:00") -> list[tuple[str, int, str]]:
    diagnostics = Diagnostics()
    run_all(Context(p, {"now": now, "horizon": "4w"}), diagnostics)
    return [(d.rule, d.position.line, d.message) for d in diagnostics.items]


def line_of(text: str, needle: str) -> int:
    return (PEOPLE + text).splitlines().index(needle) + 1


def test_a_weekend_layer_loses_the_last_hour_of_the_autumn_sunday() -> None:
    ((rule, line, message),) = found(policy(SPLIT))
    assert rule == RULE
    assert line == line_of(SPLIT, "      - days: [saturday, sunday]")
    # a 4-week horizon from June: clock changes are annual, so the rule looks a year ahead
    assert "on Sun 2026-10-25, when the clocks go back, it ends at 23:00, not 24:00" in message
    assert "nobody is on call Sun 2026-10-25 23:00–24:00 Europe/Berlin, where the policy means cat" in message
    # and in spring the weekend runs on into Monday, over the weekday layer: 2 days in all
    assert "(2h on 2 day(s) in the next year)" in message
    assert 'an override {person: cat, start: "2026-10-25T23:00", end: "2026-10-26T00:00"}' in message
    assert 'a restriction of its own: {hours: "23:00-24:00", days: [sunday]}' in message


def test_the_fixes_it_suggests_make_pagerduty_page_whom_the_policy_means() -> None:
    window = SPLIT.replace(
        "      - days: [saturday, sunday]\n",
        '      - days: [saturday, sunday]\n      - {hours: "23:00-24:00", days: [sunday]}\n',
    )
    # the autumn gap is closed; the spring Monday hour remains, and is told with its override
    ((rule, _, message),) = found(policy(window))
    assert rule == RULE and "the clocks go forward" in message and "autumn" not in message
    assert "cat is on call Mon 2027-03-29 00:00–01:00 Europe/Berlin, where the policy means ann" in message
    fix = 'an override {person: ann, start: "2027-03-29T00:00", end: "2027-03-29T01:00"}'
    assert f"add {fix}" in message and "a restriction of its own" not in message
    override = (
        window + "overrides:\n"
        '  - {person: ann, start: "2027-03-29T00:00", end: "2027-03-29T01:00"}\n'
    )
    assert found(policy(override)) == []


def test_windows_without_a_clock_change_inside_are_left_alone() -> None:
    office = SPLIT.replace("      - days: [monday, tuesday, wednesday, thursday, friday]", '      - {hours: "08:00-18:00"}')
    office = office.replace("      - days: [saturday, sunday]", '      - {hours: "18:00-23:00"}')
    assert found(policy(office)) == []
    assert found(policy(SPLIT.replace("Europe/Berlin", "Asia/Tokyo"))) == []  # no DST there


def test_extra_time_where_the_policy_means_nobody_is_not_a_finding() -> None:
    night = """kind: Rotation
name: nights
timezone: America/New_York
start: "2026-01-05"
layers:
  - members: [ann, bob]
    shift: 1w
    restrictions: [{hours: "22:00-06:00"}]
"""
    # spring: PagerDuty runs 8 hours, to 07:00, where nobody is meant: more cover, not less
    # autumn: it stops at 05:00, an hour early: that is the finding
    ((rule, _, message),) = found(policy(night))
    assert rule == RULE and "(1h on 1 day(s) in the next year)" in message
    assert "on Sun 2026-11-01, when the clocks go back, it ends at 05:00, not 06:00" in message


def test_a_calendar_in_the_rotations_zone_is_run_by_pagerduty_for_its_hours_too() -> None:
    text = """kind: Calendar
name: late
timezone: Europe/Berlin
working_hours: {saturday: ["20:00-24:00"], sunday: ["00:00-06:00"]}
---
kind: Rotation
name: support
timezone: Europe/Berlin
start: "2026-01-05"
layers:
  - members: [ann]
    shift: 1w
    restrictions: [{calendar: late}]
"""
    ((rule, _, message),) = found(policy(text))
    assert rule == RULE and "each working window of calendar 'late'" in message
    assert "nobody is on call Sun 2026-10-25 05:00–06:00 Europe/Berlin" in message


# What is drawn: PAGERDUTY as the sandbox's reference renderer runs the payload opskit sends,
# LOCAL as the wall clock says, and where they page different people, the rule says so.

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WINDOW = st.tuples(
    st.integers(0, 95), st.integers(1, 95), st.sets(st.integers(0, 6), min_size=1)
).map(
    lambda r: (
        f'{{hours: "{r[0] // 4:02d}:{r[0] % 4 * 15:02d}-'
        + ("24:00" if (r[0] + r[1]) % 96 == 0 else f"{(r[0] + r[1]) % 96 // 4:02d}:{(r[0] + r[1]) % 96 % 4 * 15:02d}")
        + f'", days: [{", ".join(WEEKDAYS[d] for d in sorted(r[2]))}]}}'
    )
)
# windows with a clock change inside them, most of the time: over a night or the whole Sunday
NIGHT = st.tuples(
    st.sampled_from(["00:00", "01:00", "01:30", "22:00"]),
    st.sampled_from(["04:00", "06:00", "24:00"]),
    st.sampled_from(["saturday, sunday", "sunday", "sunday, monday"]),
).map(lambda w: f'{{hours: "{w[0]}-{w[1]}", days: [{w[2]}]}}')
LAYER = st.tuples(
    st.sampled_from(["5h", "12h", "1d", "3d", "1w"]),
    st.sampled_from(["00:00", "01:30", "02:30", "09:00"]),
    st.lists(st.sampled_from(["ann", "bob", "cat", "dan"]), min_size=1, max_size=3, unique=True),
    st.lists(st.one_of(WINDOW, NIGHT, NIGHT), min_size=1, max_size=2),
).map(
    lambda x: (
        f'  - {{members: [{", ".join(x[2])}], shift: {x[0]}, handoff: "{x[1]}", '
        f"restrictions: [{', '.join(x[3])}]}}\n"
    )
)
# three weeks around each zone's spring and autumn changes of 2026
STARTS = {
    "Europe/Berlin": [(3, 20), (10, 16)],  # 29 Mar, 25 Oct
    "America/New_York": [(3, 1), (10, 23)],  # 8 Mar, 1 Nov
    "Australia/Sydney": [(3, 27), (9, 25)],  # 5 Apr, 4 Oct
}


def rotation_of(zone: str, layers: list[str]) -> Rotation:
    text = f'kind: Rotation\nname: r\ntimezone: {zone}\nstart: "2026-01-02"\nlayers:\n' + "".join(layers)
    return policy(text).rotations["r"]


def pagerduty(rotation: Rotation, since: dt.datetime, until: dt.datetime) -> list[tuple[str, int, int]]:
    payload, _ = schedule_payload(rotation, lambda p: p.name)
    layers = [sr.layer_from_api(x) for x in payload["schedule_layers"]]
    entries = sr.render_final(layers, [], ZoneInfo(rotation.timezone), since, until)
    return [(e.user, int(e.start.timestamp()), int(e.end.timestamp())) for e in entries]


def local_windows(rotation: Rotation, lo: int, hi: int) -> list[list[Span]]:
    """Per restriction, its windows on the wall clock, by zoneinfo, one day at a time."""
    tz = ZoneInfo(rotation.timezone)
    out = []
    for layer in rotation.layers:
        for r in layer.restrictions:
            assert r.window is not None
            spans: list[Span] = []
            day = dt.datetime.fromtimestamp(lo, tz).date() - dt.timedelta(days=1)
            while day <= dt.datetime.fromtimestamp(hi, tz).date():
                if day.weekday() in r.days:
                    start, end = r.window
                    length = (end - start) % 1440 or 1440
                    a = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=start)
                    b = a + dt.timedelta(minutes=length)
                    spans.append((
                        max(lo, int(a.replace(tzinfo=tz).timestamp())),
                        min(hi, int(b.replace(tzinfo=tz).timestamp())),
                    ))  # fmt: skip
                day += dt.timedelta(days=1)
            out.append(union(spans))
    return out


def misses(meant: list[tuple[str, int, int]], runs: list[tuple[str, int, int]]) -> list[Span]:
    """Where `meant` has someone on call and `runs` does not have them, read at every boundary."""
    points = sorted({x for _, a, b in meant + runs for x in (a, b)})

    def at(found: list[tuple[str, int, int]], x: int) -> str | None:
        return next((who for who, a, b in found if a <= x < b), None)

    out = [
        (a, b)
        for a, b in itertools.pairwise(points)
        if at(meant, a) is not None and at(meant, a) != at(runs, a)
    ]
    return union(out)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ZONES), st.lists(LAYER, min_size=1, max_size=2), st.integers(0, 1))
def test_drawn_both_ways_and_told_where_they_part(zone: str, layers: list[str], which: int) -> None:
    rotation = rotation_of(zone, layers)
    month, day = STARTS[zone][which]
    since = dt.datetime(2026, month, day, tzinfo=dt.UTC)
    until = since + dt.timedelta(days=21)
    lo, hi = zones.from_datetime(since), zones.from_datetime(until)
    # what PagerDuty will do is what the sandbox's reference does with the payload sent
    runs = [(s.person, s.start, s.end) for s in render.render(rotation, lo, hi, windows=Windows.PAGERDUTY)]
    assert runs == pagerduty(rotation, since, until)
    # what the policy means: every window ends on the wall clock
    tz = zones.get(zone)
    meant = [
        restriction_spans(r, tz, lo, hi, windows=Windows.LOCAL)
        for layer in rotation.layers
        for r in layer.restrictions
    ]
    assert meant == local_windows(rotation, lo, hi)
    # and the rule's findings cover exactly the times whom they mean is not paged
    local = [(s.person, s.start, s.end) for s in render.render(rotation, lo, hi, windows=Windows.LOCAL)]
    gaps = dst.restriction_gaps(rotation, lo, hi)
    assert union(m.span for g in gaps for m in g.misses) == misses(local, runs)


@pytest.mark.parametrize("zone", ZONES)
def test_the_default_drawing_is_still_pagerdutys_for_hours_windows(zone: str) -> None:
    rotation = rotation_of(zone, ['  - {members: [ann, bob], shift: 1d, restrictions: [{hours: "01:00-05:00"}]}\n'])
    lo, hi = t("2026-01-01T00:00"), t("2027-01-01T00:00")
    assert render.render(rotation, lo, hi) == render.render(rotation, lo, hi, windows=Windows.PAGERDUTY)
    assert render.render(rotation, lo, hi) != render.render(rotation, lo, hi, windows=Windows.LOCAL)


@pytest.mark.parametrize("zone", ZONES)
def test_calendar_windows_are_drawn_as_pagerduty_runs_the_payload(zone: str) -> None:
    text = f"""kind: Calendar
name: late
timezone: {zone}
working_hours: {{saturday: ["20:00-24:00"], sunday: ["00:00-06:00", "09:00-17:00"]}}
---
kind: Rotation
name: r
timezone: {zone}
start: "2026-01-02"
layers:
  - {{members: [ann, bob], shift: 1d, handoff: "01:30"}}
  - {{members: [cat], shift: 1w, restrictions: [{{calendar: late}}]}}
"""
    rotation = policy(text).rotations["r"]
    since, until = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    lo, hi = zones.from_datetime(since), zones.from_datetime(until)
    runs = render.render(rotation, lo, hi, honour_holidays=False, windows=Windows.PAGERDUTY)
    assert [(s.person, s.start, s.end) for s in runs] == pagerduty(rotation, since, until)
    # the default drawing keeps the calendar's own clock, which is what the rule compares with
    local = render.render(rotation, lo, hi, honour_holidays=False, windows=Windows.LOCAL)
    assert render.render(rotation, lo, hi, honour_holidays=False) == local != runs


def test_a_zone_lists_its_clock_changes() -> None:
    changes = zones.get("Europe/Berlin").changes(t("2026-01-01T00:00"), t("2027-01-01T00:00"))
    assert changes == [t("2026-03-29T01:00"), t("2026-10-25T01:00")]
    assert zones.get("Asia/Tokyo").changes(t("2026-01-01T00:00"), t("2027-01-01T00:00")) == []
