"""Comment templates: only the documented placeholders, filled from the clock."""

from __future__ import annotations

import datetime as dt

from opskit.policy.checks.base import Context
from opskit.policy.checks.placeholders import NAMES, fill, problems, unknown_placeholders
from opskit.policy.model import EnforceComment, Enforcement
from opskit.sla.enforce import texts
from opskit.sla.model import Metric, State
from tests.sla.enforce_helpers import clock, ticket
from tests.sla.helpers import load_policy


def test_every_documented_placeholder_is_filled() -> None:
    t = ticket("SUP-7", clock(Metric.NEXT_UPDATE, State.AT_RISK, remaining=1500))
    values = texts.values(t, t.clocks[0])
    assert set(values) == set(NAMES)
    text = fill(" ".join("{" + n + "}" for n in NAMES) + " {{literal}}", values)
    assert text == "SUP-7 next update at risk P3 Premium 2026-12-01 16:25 UTC 25m {literal}"


def test_a_paused_clock_has_no_deadline_and_a_breach_is_negative() -> None:
    paused = ticket("SUP-8", clock(Metric.RESOLUTION, State.AT_RISK, paused=True))
    assert texts.values(paused, paused.clocks[0])["deadline"] == "paused"
    late = ticket("SUP-9", clock(Metric.RESOLUTION, State.BREACHED, remaining=-5400))
    assert texts.values(late, late.clocks[0])["remaining"] == "-1h30m"


def test_unknown_or_tricky_placeholders_are_problems() -> None:
    assert problems("due {deadline}, {remaining} left") == []
    assert "unknown placeholder(s) {customer}" in problems("hi {customer}")[0]
    assert "{key.__class__}" in problems("{key.__class__}")[0]
    assert "{key!r}" in problems("{key!r}")[0]
    assert problems("an open { brace")  # unbalanced: reported, not a crash
    assert fill("{key.__class__} {key}", {"key": "SUP-1"}) == "{key.__class__} SUP-1"


def test_the_check_points_at_the_comment_text() -> None:
    policy = load_policy()
    assert list(unknown_placeholders(Context(policy))) == []  # the shipped tiers are fine
    tier = policy.tiers["Standard"]
    tier.enforce = {**tier.enforce, "breached": Enforcement(EnforceComment("late: {due}"))}
    [finding] = list(unknown_placeholders(Context(policy)))
    assert (
        "tier 'Standard' enforce.breached comment" in finding.message and "{due}" in finding.message
    )
    assert finding.position.line > 0


def test_now_is_utc_in_texts() -> None:
    t = ticket("SUP-1", clock(Metric.FIRST_RESPONSE, State.BREACHED))
    deadline = t.clocks[0].deadline
    assert deadline is not None and deadline.tzinfo == dt.UTC
