"""Smaller pieces of the engine: intervals, ladders, nights, windows, the PolicyTest kind."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from opskit.oncall.ladder import Page, pages, second_person_after
from opskit.oncall.nights import day_spans, night_seconds
from opskit.oncall.schedule import Schedules
from opskit.oncall.window import reference, settings_window
from opskit.time import intervals, zones
from tests.oncall.helpers import PEOPLE, policy, t, validated

spans = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 50)), max_size=12).map(
    lambda items: intervals.union((a, a + n) for a, n in items)
)


def covered(found: list[tuple[int, int]]) -> set[int]:
    return {x for a, b in found for x in range(a, b)}


@given(spans, spans)
def test_interval_operations_match_sets(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    assert covered(intervals.intersect(a, b)) == covered(a) & covered(b)
    assert covered(intervals.subtract(a, b)) == covered(a) - covered(b)
    assert covered(intervals.union([*a, *b])) == covered(a) | covered(b)
    assert intervals.total(intervals.subtract(a, b)) == len(covered(a) - covered(b))


LADDER = """kind: Rotation
name: primary
timezone: UTC
start: "2026-01-05"
layers:
  - {members: [ann, bob], shift: 1d, handoff: "00:00", restrictions: [{hours: "08:00-20:00"}]}
---
kind: EscalationLadder
name: main
repeat: 1
steps:
  - notify: [{rotation: primary}]
    escalate_after: 10m
  - notify: [{person: cat}, {person: dan}]
    escalate_after: 1h
"""


def test_ladder_pages_each_step_and_repeat_at_its_offset() -> None:
    p = policy(LADDER)
    at = t("2026-06-01T19:55")  # primary's window closes at 20:00
    found = pages(p.ladders["main"], Schedules(p, at - zones.DAY, at + zones.DAY), at)
    assert [(x.step, x.loop, x.offset // 60, x.people, x.unstaffed) for x in found] == [
        (1, 0, 0, ("bob",), ()),  # day 147 since the start: the second member
        (2, 0, 10, ("cat", "dan"), ()),
        (1, 1, 70, (), ("primary",)),  # 21:05: nobody on the rotation any more
        (2, 1, 80, ("cat", "dan"), ()),
    ]
    assert second_person_after(found) == 600


def test_second_person_counts_distinct_people() -> None:
    same = [
        Page(1, 0, 0, ("ann",), ()),
        Page(2, 0, 600, ("ann",), ()),
        Page(3, 0, 1200, ("ann", "bob"), ()),
    ]
    assert second_person_after(same) == 1200
    assert second_person_after([Page(1, 0, 0, ("ann",), ())]) is None
    assert second_person_after([Page(1, 0, 0, (), ("x",)), Page(2, 0, 60, ("a", "b"), ())]) == 60


def test_night_and_weekend_on_the_persons_clock() -> None:
    night = (22 * 60, 7 * 60)
    # 20:00-24:00 UTC on 1 June is 06:00-10:00 in Sydney (AEST): one night hour
    assert (
        night_seconds(night, "Australia/Sydney", [(t("2026-06-01T20:00"), t("2026-06-02T00:00"))])
        == 3600
    )
    assert night_seconds(night, "UTC", [(t("2026-06-01T20:00"), t("2026-06-02T00:00"))]) == 2 * 3600
    saturday = day_spans(
        None, (5,), "America/New_York", t("2026-06-06T00:00"), t("2026-06-08T00:00")
    )
    assert saturday == [(t("2026-06-06T04:00"), t("2026-06-07T04:00"))]
    holiday = day_spans(
        {dt.date(2026, 12, 25)}, (), "UTC", t("2026-12-24T12:00"), t("2026-12-26T12:00")
    )
    assert holiday == [(t("2026-12-25T00:00"), t("2026-12-26T00:00"))]


def test_reference_and_settings_window() -> None:
    assert reference("2026-06-01T10:30:45Z") == t("2026-06-01T10:30")
    assert reference(dt.datetime(2026, 6, 1, 10, 30)) == t("2026-06-01T10:30")
    assert settings_window({"now": "2026-06-01T00:00Z", "horizon": "2d"}) == (
        t("2026-06-01T00:00"),
        t("2026-06-03T00:00"),
    )
    # a broken horizon is reported against opskit.yaml; the checks fall back to 13 weeks
    lo, hi = settings_window({"now": "2026-06-01T00:00Z", "horizon": "1m1m"})
    assert hi - lo == 13 * 7 * zones.DAY


def test_zone_table_around_the_sydney_changes() -> None:
    sydney = zones.get("Australia/Sydney")
    # 5 April 2026: 03:00 AEDT becomes 02:00 AEST; 02:30 happens twice, fold=0 is the first
    assert sydney.utc(zones.wall_of(dt.date(2026, 4, 5), 150)) == t("2026-04-04T15:30")
    # 4 October 2026: 02:00 AEST becomes 03:00 AEDT; 02:30 does not exist, read as AEST
    assert sydney.utc(zones.wall_of(dt.date(2026, 10, 4), 150)) == t("2026-10-03T16:30")


POLICY_TEST = """kind: Team
name: ops
members: [ann, bob]
---
kind: Priority
name: P1
level: 1
title: Critical
urgency: high
---
kind: SlaTier
name: Gold
calendar: 24x7
targets: {P1: {first_response: 15m, resolution: 4h}}
---
kind: Service
name: api
team: ops
ladder: main
tier: Gold
---
"""


def test_policy_tests_are_checked_like_every_kind() -> None:
    good = (
        POLICY_TEST
        + LADDER
        + """---
kind: PolicyTest
name: t
scenario: {service: api, priority: P1, at: "2026-06-01T09:00", timezone: Europe/Berlin}
expect: {reachable_in_time: true}
"""
    )
    p = policy(good)
    assert p.tests["t"].at == dt.datetime(2026, 6, 1, 9, 0, tzinfo=zones.get("Europe/Berlin").tz)

    def problems(text: str) -> set[tuple[str, str]]:
        return {
            (d.rule, d.message.split(";")[0]) for d in validated(PEOPLE + text).diagnostics.items
        }

    assert ("ref-unknown", "PolicyTest 't' refers to unknown service 'apii'") in problems(
        good.replace("service: api,", "service: apii,")
    )
    assert ("schema", "unknown key 'reachable' in expect") in problems(
        good.replace("reachable_in_time: true", "reachable: true")
    )
