"""ladder-24x7-single-person on the rendered schedule: every step paging one person, at any instant."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.oncall import render
from opskit.oncall.coverage import double_bookings, single_person_spans
from opskit.oncall.schedule import Schedules
from opskit.policy.checks import Context
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.model import Policy
from opskit.rules import RULES, run_all
from opskit.time import zones
from opskit.time.intervals import Span
from tests.oncall.helpers import PEOPLE, policy, t

RULE = "ladder-24x7-single-person"
ALLOW = frozenset({"ladder-single-person", "ladder-slower-than-sla"})
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
  P1: {first_response: 30m, resolution: 4h}
---
kind: Service
name: api
team: ops
ladder: main
tier: Gold
---
"""
PRIMARY = """kind: Rotation
name: primary
timezone: Europe/Berlin
start: "2026-01-05"
layers:
  - members: [ann, bob]
    shift: 1w
---
"""


def ladder(*steps: str, repeat: int = 1) -> str:
    body = "".join(f"  - notify: [{s}]\n    escalate_after: 10m\n" for s in steps)
    return f"kind: EscalationLadder\nname: main\nrepeat: {repeat}\nsteps:\n{body}---\n"


def found(p: Policy, now: str = "2026-06-01T00:00", horizon: str = "4w") -> list[tuple[str, int, str]]:
    diagnostics = Diagnostics()
    run_all(Context(p, {"now": now, "horizon": horizon}), diagnostics)
    return [(d.rule, d.position.line, d.message) for d in diagnostics.items]


def line_of(text: str, needle: str) -> int:
    return (PEOPLE + text).splitlines().index(needle) + 1


def test_a_person_step_who_is_also_in_the_rotation_leaves_their_weeks_with_one_person() -> None:
    text = BASE + PRIMARY + ladder("{rotation: primary}", "{person: bob}")
    ((rule, line, message),) = found(policy(text))
    assert rule == RULE
    assert line == line_of(text, "  - notify: [{person: bob}]")  # the step that reaches nobody new
    # bob has the odd weeks from 5 Jan, handing off at 09:00 Berlin (07:00 UTC): 1 June is his
    assert "first bob Mon 2026-06-01 07:00–Mon 2026-06-08 07:00 UTC" in message
    assert "for 336h in 2 span(s) in the next 4w" in message
    # paging the other one with bob reaches a second person in every week
    both = BASE + PRIMARY + ladder("{rotation: primary}", "{person: bob}, {person: ann}")
    assert found(policy(both)) == []


def test_one_repeating_rotation_step_reaches_one_person_whoever_is_on_call() -> None:
    text = BASE + PRIMARY + ladder("{rotation: primary}", repeat=2)
    ((rule, line, message),) = found(policy(text))
    assert rule == RULE and line == line_of(text, "  - notify: [{rotation: primary}]")
    assert "for 672h in 1 span(s)" in message  # all four weeks, ann's and bob's
    assert "first ann Mon 2026-06-01 00:00–07:00 UTC" in message
    # without a repeat, the older rule says "nobody else is paged", and this one does not repeat it
    once = policy(BASE + PRIMARY + ladder("{rotation: primary}", repeat=0), allow=ALLOW)
    assert [rule for rule, _, _ in found(once)] == ["ladder-slower-than-sla"]


def test_a_step_with_nobody_on_call_is_not_the_same_person() -> None:
    secondary = PRIMARY.replace("name: primary", "name: secondary").replace(
        "    shift: 1w\n", '    shift: 1w\n    restrictions: [{hours: "08:00-20:00"}]\n'
    )
    # secondary has the same person as primary by day: double-booked's to say, not this rule's
    text = BASE + PRIMARY + secondary + ladder("{rotation: primary}", "{rotation: secondary}")
    rules = [rule for rule, _, _ in found(policy(text))]
    assert RULE not in rules and "double-booked" in rules


def test_the_check_only_looks_at_24x7_tiers() -> None:
    office = """kind: Calendar
name: office
timezone: Europe/Berlin
working_hours: {monday: ["00:00-24:00"], tuesday: ["00:00-24:00"], wednesday: ["00:00-24:00"], thursday: ["00:00-24:00"], friday: ["00:00-24:00"], saturday: ["00:00-24:00"], sunday: ["00:00-24:00"]}
---
"""
    text = BASE.replace("calendar: 24x7", "calendar: office") + office + PRIMARY
    text += ladder("{rotation: primary}", "{person: bob}")
    assert RULE not in [rule for rule, _, _ in found(policy(text))]


# Random small rotations and ladders, checked against a brute-force minute-by-minute walk.

MEMBERS = st.lists(st.sampled_from(["ann", "bob", "cat"]), min_size=1, max_size=2, unique=True)
LAYER = st.tuples(
    MEMBERS,
    st.sampled_from(["4h", "12h", "1d", "2d"]),
    st.sampled_from(["00:00", "07:30", "09:00"]),
    st.sampled_from(["", '"08:00-20:00"', '"22:00-06:00"']),
)
ROTATION = st.lists(LAYER, min_size=1, max_size=2)
TARGET = st.one_of(
    st.integers(0, 2).map(lambda i: ("rotation", i)),
    st.sampled_from(["ann", "bob", "cat"]).map(lambda name: ("person", name)),
)
STEP = st.lists(TARGET, min_size=1, max_size=2, unique=True)


def rotation_text(index: int, zone: str, layers: list[tuple[list[str], str, str, str]]) -> str:
    out = f'kind: Rotation\nname: r{index}\ntimezone: {zone}\nstart: "2026-01-05"\nlayers:\n'
    for members, shift, handoff, hours in layers:
        restriction = f", restrictions: [{{hours: {hours}}}]" if hours else ""
        out += f'  - {{members: [{", ".join(members)}], shift: {shift}, handoff: "{handoff}"{restriction}}}\n'
    return out + "---\n"


def targets(step: list[tuple[str, int | str]], count: int) -> str:
    out: list[str] = []
    for kind, value in step:
        target = f"{{rotation: r{int(value) % count}}}" if kind == "rotation" else f"{{person: {value}}}"
        if target not in out:
            out.append(target)
    return ", ".join(out)


def brute_force(p: Policy, lo: int, hi: int) -> dict[int, str]:
    """Minute -> the one person every step pages then, read off the rendered shifts."""
    shifts = {name: render.render(r, lo, hi) for name, r in p.rotations.items()}
    out: dict[int, str] = {}
    for minute in range(lo, hi, 60):
        paged: list[set[str]] = []
        for step in p.ladders["main"].steps:
            people = {person.name for person in step.people}
            for r in step.rotations:
                people |= {s.person for s in shifts[r.name] if s.start <= minute < s.end}
            paged.append(people)
        union = set().union(*paged)
        if all(paged) and len(union) == 1:
            out[minute] = union.pop()
    return out


def minutes(spans: list[Span]) -> set[int]:
    return {m for a, b in spans for m in range(a, b, 60)}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zone=st.sampled_from(["Europe/Berlin", "UTC", "America/New_York"]),
    rotations=st.lists(ROTATION, min_size=1, max_size=3),
    steps=st.lists(STEP, min_size=1, max_size=3),
    repeat=st.sampled_from([0, 1, 2, 2]),
    day=st.integers(0, 364),
    minute=st.integers(0, 1439),
)
def test_the_check_agrees_with_a_minute_by_minute_walk(
    zone: str,
    rotations: list[list[tuple[list[str], str, str, str]]],
    steps: list[list[tuple[str, int | str]]],
    repeat: int,
    day: int,
    minute: int,
) -> None:
    notify = [targets(step, len(rotations)) for step in steps]
    text = BASE + "".join(rotation_text(i, zone, layers) for i, layers in enumerate(rotations))
    p = policy(text + ladder(*notify, repeat=repeat), allow=ALLOW)
    now = dt.datetime(2026, 1, 1) + dt.timedelta(days=day, minutes=minute)
    lo = t(now.isoformat(timespec="minutes"))
    hi = lo + 3 * zones.DAY
    expected = brute_force(p, lo, hi)

    # the spans of the engine are exactly the minutes of the walk, with the same person
    schedules = Schedules(p, lo, hi)
    spans = single_person_spans(p.ladders["main"], schedules)
    assert {m: a.person for a in spans for m in range(a.span[0], a.span[1], 60)} == expected

    # the rule: said for what double-booked does not say already, with its first instant
    booked = minutes([b.span for b in double_bookings(p.ladders["main"], schedules)])
    left = sorted(m for m in expected if m not in booked)
    check = RULES[RULE].check
    assert check is not None
    context = Context(p, {"now": now.isoformat(timespec="minutes"), "horizon": "3d"})
    ours = [message for _, message in check(context)]
    main = p.ladders["main"]
    if len(main.reachable()) < 2:  # one name: ladder-single-person says so (a P1 service)
        assert ours == []
        return
    if not left or (len(main.steps) == 1 and repeat == 0):
        assert ours == []
        return
    (message,) = ours
    first = zones.to_datetime(left[0]).strftime("%a %Y-%m-%d %H:%M")
    assert f"first {expected[left[0]]} {first}" in message
    assert f"for {round(len(left) / 60, 1):g}h in" in message
