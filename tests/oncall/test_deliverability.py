"""Deliverability rules on small policy sets, at fixed instants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from opskit.policy.checks import Context
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.model import Policy
from opskit.policy.validate import validate_files
from opskit.rules import run_all
from tests.oncall.helpers import PEOPLE as PEOPLE_TEXT
from tests.oncall.helpers import policy

REPO = Path(__file__).resolve().parents[2]
BASE = """kind: Team
name: ops
members: [ann, bob, cat]
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
targets:
  P1: {first_response: 15m, resolution: 4h}
---
kind: Service
name: api
team: ops
ladder: main
tier: Gold
---
"""


def findings(p: Policy, now: str = "2026-06-01T00:00", **settings: str) -> list[tuple[str, str]]:
    diagnostics = Diagnostics()
    run_all(Context(p, {"now": now, "horizon": "4w", **settings}), diagnostics)
    return [(d.rule, d.message) for d in diagnostics.items]


def rules(p: Policy, **kw: str) -> list[str]:
    return [rule for rule, _ in findings(p, **kw)]


LADDER = """kind: EscalationLadder
name: main
steps:
  - notify: [{rotation: primary}]
    escalate_after: 5m
  - notify: [{person: ann}, {person: bob}]
    escalate_after: 10m
---
"""


def primary(extra: str = "", members: str = "[ann, bob]", zone: str = "Europe/Berlin") -> str:
    return f'kind: Rotation\nname: primary\ntimezone: {zone}\nstart: "2026-01-05"\nlayers:\n  - members: {members}\n    shift: 1w\n{extra}---\n'


def primary_then_secondary(last: str) -> str:
    """A ladder: rotation primary, then rotation secondary, then `last` (a notify list)."""
    return ("kind: EscalationLadder\nname: main\nsteps:\n"
            "  - notify: [{rotation: primary}]\n    escalate_after: 5m\n"
            "  - notify: [{rotation: secondary}]\n    escalate_after: 5m\n"
            f"  - notify: {last}\n    escalate_after: 5m\n---\n")  # fmt: skip


def test_a_gap_free_24x7_rotation_passes() -> None:
    assert rules(policy(BASE + LADDER + primary())) == []


def test_a_restricted_rotation_leaves_a_24x7_promise_uncovered() -> None:
    p = policy(BASE + LADDER + primary('    restrictions: [{hours: "08:00-20:00"}]\n'))
    ((rule, message),) = findings(p)
    assert rule == "coverage-gap"
    assert "336h in 29 gap(s)" in message  # 12 h a night for 4 weeks, split at both ends
    assert "first Mon 2026-06-01 00:00–08:00 Europe/Berlin" not in message  # read in UTC: 24x7
    assert "Sun 2026-05-31 22:00" not in message
    assert "Mon 2026-06-01 00:00–06:00 UTC" in message


def test_overrides_fill_a_gap() -> None:
    p = policy(BASE + LADDER + primary(
        '    restrictions: [{hours: "00:00-24:00", days: [monday, tuesday, wednesday, thursday, friday, saturday]}]\n'
        'overrides:\n  - {person: cat, start: "2026-06-07T00:00", end: "2026-06-08T00:00"}\n'
    ))  # fmt: skip
    ((rule, message),) = findings(p)
    assert rule == "coverage-gap"
    assert "72h in 3 gap(s)" in message  # three of the four Sundays


def test_the_gap_check_uses_business_hours_for_business_tiers() -> None:
    office = """kind: Calendar
name: office
timezone: Europe/Berlin
working_hours: {monday: ["09:00-17:00"], tuesday: ["09:00-17:00"]}
---
"""
    text = (BASE.replace("calendar: 24x7", "calendar: office") + office + LADDER
            + primary('    restrictions: [{hours: "09:00-17:00", days: [monday]}]\n'))  # fmt: skip
    ((rule, message),) = findings(policy(text))
    assert rule == "coverage-gap"
    assert "32h in 4 gap(s)" in message and "Tue 2026-06-02 09:00–17:00 Europe/Berlin" in message


def test_holidays_of_a_restriction_calendar_are_their_own_rule() -> None:
    calendar = """kind: Calendar
name: mostly
timezone: UTC
working_hours: {monday: ["00:00-24:00"], tuesday: ["00:00-24:00"], wednesday: ["00:00-24:00"], thursday: ["00:00-24:00"], friday: ["00:00-24:00"], saturday: ["00:00-24:00"], sunday: ["00:00-24:00"]}
holidays: {extra: [{date: "2026-12-24", name: Christmas Eve}]}
---
"""
    p = policy(BASE + calendar + LADDER + primary("    restrictions: [{calendar: mostly}]\n"))
    ((rule, message),) = findings(p)  # 24 Dec is outside the 4w horizon, within a year
    assert rule == "holiday-uncovered"
    assert "Thu 2026-12-24 00:00–24:00 UTC (Christmas Eve, mostly)" in message


def test_a_24x7_ladder_reaching_one_person() -> None:
    text = (
        BASE.replace("level: 1", "level: 2")
        + """kind: Priority
name: P0
level: 1
title: Top
urgency: high
---
kind: EscalationLadder
name: main
repeat: 1
steps:
  - notify: [{rotation: primary}]
    escalate_after: 5m
  - notify: [{person: ann}]
    escalate_after: 5m
---
"""
        + primary(members="[ann]")
    )
    text = text.replace("targets:\n", "targets:\n  P0: {first_response: 15m, resolution: 4h}\n")
    text = text.replace("tier: Gold\n", "tier: Gold\npriorities: [P1]\n")
    assert rules(policy(text)) == ["ladder-24x7-single-person"]
    # with the top priority too, the older rule says it, once
    top = policy(text.replace("priorities: [P1]\n", ""), allow=frozenset({"ladder-single-person"}))
    assert rules(top) == ["ladder-single-person"]


def test_double_booking_is_flagged_only_when_the_step_reaches_nobody_new() -> None:
    ladder = primary_then_secondary("[{person: cat}]")
    secondary = (
        primary()
        .replace("name: primary", "name: secondary")
        .replace("[ann, bob]", "[bob, ann, cat]")
    )
    ((rule, message),) = findings(policy(BASE + ladder + primary() + secondary))
    assert rule == "double-booked"
    assert "step 2" in message and "2 such overlap(s)" in message
    with_cat = ladder.replace("[{rotation: secondary}]", "[{rotation: secondary}, {person: cat}]")
    assert rules(policy(BASE + with_cat + primary() + secondary)) == []


def test_follow_the_sun_nights_are_counted_in_each_persons_zone() -> None:
    rotation = """kind: Rotation
name: primary
timezone: UTC
start: "2026-01-05"
follow_the_sun: true
layers:
  - {name: day, members: [ann], shift: 1w, handoff: "08:00", restrictions: [{hours: "08:00-20:00"}]}
  - {name: night, members: [cat], shift: 1w, handoff: "20:00", restrictions: [{hours: "20:00-08:00"}]}
---
"""
    # cat lives in Sydney: 20:00-08:00 UTC is 06:00-18:00 there in June (AEST): one night hour a day
    ((rule, message),) = findings(policy(BASE + LADDER + rotation))
    assert rule == "follow-the-sun-nights"
    assert "cat" in message and "28h" in message
    assert rules(policy(BASE + LADDER + rotation), night="23:00-06:00") == []


@pytest.mark.parametrize(
    "now", ["2026-02-01", "2026-05-15", "2026-08-01", "2026-11-23", "2027-03-01"]
)
def test_the_example_repository_keeps_its_promises(now: str) -> None:
    result = validate_files([REPO / "policies", REPO / "playbooks"])
    assert findings(result.policy, now=now, horizon="13w") == []


def test_an_override_at_night_in_a_follow_the_sun_rotation_is_flagged_at_the_override() -> None:
    rotation = """kind: Rotation
name: primary
timezone: UTC
start: "2026-01-05"
follow_the_sun: true
layers:
  - {name: day, members: [dan, ann], shift: 1w, handoff: "00:00"}
overrides:
  - {person: ann, start: "2026-06-02T08:00", end: "2026-06-02T16:00"}
  - {person: dan, start: "2026-06-03T01:00", end: "2026-06-03T03:00"}
---
"""
    p = policy(BASE + LADDER + rotation)
    found = [(d, m) for d, m in findings(p) if d == "follow-the-sun-nights"]
    # dan (UTC) and ann (Berlin) work round the clock in their layer weeks; ann's override
    # (10:00-18:00 Berlin) is daytime, dan's (01:00-03:00 UTC) is night
    diagnostics = Diagnostics()
    run_all(Context(p, {"now": "2026-06-01T00:00", "horizon": "4w"}), diagnostics)
    lines = sorted(d.position.line for d in diagnostics.items if d.rule == "follow-the-sun-nights")
    text = (PEOPLE_TEXT + BASE + LADDER + rotation).splitlines()
    assert lines == sorted(
        [
            text.index('  - {name: day, members: [dan, ann], shift: 1w, handoff: "00:00"}') + 1,
        ]
        * 2
        + [text.index('  - {person: dan, start: "2026-06-03T01:00", end: "2026-06-03T03:00"}') + 1]
    )
    assert len(found) == 3


def test_a_secondary_with_night_gaps_pages_the_second_person_too_late() -> None:
    ladder = """kind: EscalationLadder
name: main
repeat: 1
steps:
  - notify: [{rotation: primary}]
    escalate_after: 5m
  - notify: [{rotation: secondary}]
    escalate_after: 10m
---
"""
    secondary = primary('    restrictions: [{hours: "08:00-20:00"}]\n', members="[cat]").replace(
        "name: primary", "name: secondary"
    )
    ((rule, message),) = findings(policy(BASE + ladder + primary() + secondary))
    assert rule == "second-person-late"
    # the secondary works 06:00-18:00 UTC in June; step 2 pages 5 minutes after the incident
    assert "in 'secondary'" in message and "first Mon 2026-06-01 00:00–05:55 UTC" in message
    # paging the lead with the secondary keeps the promise
    fixed = ladder.replace("[{rotation: secondary}]", "[{rotation: secondary}, {person: dan}]")
    assert rules(policy(BASE + fixed + primary() + secondary)) == []
    # a slow first step is the older rule's to report, not this one's
    slow = ladder.replace("escalate_after: 5m", "escalate_after: 20m")
    assert rules(
        policy(BASE + slow + primary() + secondary, allow=frozenset({"ladder-slower-than-sla"}))
    ) == ["ladder-slower-than-sla"]


def test_rule_ids_name_every_rule_of_the_module() -> None:
    from opskit.deliverability import checks as deliverability
    from opskit.rules import RULES

    ours = {r.id for r in RULES.values() if r.check and r.check.__module__ == deliverability.__name__}
    assert ours == deliverability.RULE_IDS


def test_an_override_can_double_book_rotations_that_share_nobody() -> None:
    """primary [ann, bob] and secondary [cat] never share a person, until an override puts
    ann on secondary in one of her primary weeks: then escalating reaches nobody new."""
    ladder = primary_then_secondary("[{person: bob}, {person: cat}]")
    secondary = primary(members="[cat]").replace("name: primary", "name: secondary")
    assert "double-booked" not in rules(policy(BASE + ladder + primary() + secondary))
    override = 'overrides:\n  - {person: ann, start: "2026-06-09T00:00", end: "2026-06-10T00:00"}\n'
    booked = secondary.replace("---\n", override + "---\n")
    ((_, message),) = [f for f in findings(policy(BASE + ladder + primary() + booked))
                       if f[0] == "double-booked"]  # fmt: skip
    assert "ann" in message and "step 2" in message


def test_a_ladder_rule_other_rules_consult_is_worked_out_once_a_run() -> None:
    from opskit.deliverability.said import said
    from opskit.policy.checks.base import Finding
    from opskit.policy.diagnostics import Position

    asked: list[Context] = []

    def rule(context: Context) -> Iterator[Finding]:
        asked.append(context)
        yield Finding(Position("ladders.yaml", 3, 5), "too slow")

    run = Context(policy(BASE + LADDER + primary()), {})
    assert said(run, rule) == said(run, rule) == [Finding(Position("ladders.yaml", 3, 5), "too slow")]
    assert asked == [run]
    said(Context(run.policy, {}), rule)  # another run asks again
    assert len(asked) == 2


def test_the_consulted_ladder_rules_report_what_the_policy_rules_find() -> None:
    from opskit.deliverability import said
    from opskit.policy.checks import ladders

    slow = policy(BASE + LADDER.replace("escalate_after: 5m", "escalate_after: 20m") + primary(),
                  allow=frozenset({"ladder-slower-than-sla"}))  # fmt: skip
    direct = list(ladders.too_slow(Context(slow, {})))
    assert direct, "the 20-minute first step is slower than the 15-minute response"
    assert list(said.ladder_too_slow(Context(slow, {}))) == direct
    alone = policy(BASE + LADDER.replace("{person: bob}", "{person: ann}") + primary(members="[ann]"),
                   allow=frozenset({"ladder-single-person"}))  # fmt: skip
    direct = list(ladders.single_person(Context(alone, {})))
    assert direct, "the ladder reaches ann alone"
    assert list(said.ladder_single_person(Context(alone, {}))) == direct


def test_who_a_ladder_reaches_is_kept_and_callers_cannot_change_it() -> None:
    ladder = policy(BASE + LADDER + primary()).ladders["main"]
    people = ladder.reachable()
    assert [p.name for p in people] == ["ann", "bob"]
    people.clear()
    assert [p.name for p in ladder.reachable()] == ["ann", "bob"]
