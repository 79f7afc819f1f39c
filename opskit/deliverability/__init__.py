"""Deliverability: can the promises be kept by the people and rotations on the roster?

These checks render rotations (opskit.oncall) over the validate window, so they live
above the policy layer and run as a validate stage after the policy's own checks.
"""

from __future__ import annotations

from opskit.deliverability import checks, said
from opskit.policy.checks import Rule, run_rules
from opskit.policy.checks.base import Context
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics, Level

__all__ = ["RULES", "stage"]

_E, _W = Level.ERROR, Level.WARNING
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule("render-budget", _E, "the rotations deliverability renders stay within one run's budget", checks.render_budget),
        Rule("ladder-slower-than-sla", _E, "the first step escalates before the first response is due", said.ladder_too_slow),
        Rule("ladder-single-person", _E, "a ladder for the top priority reaches two people", said.ladder_single_person),
        Rule("coverage-gap", _E, "the first step of a service's ladder covers its promised hours", checks.coverage_gap),
        Rule("holiday-uncovered", _E, "promised hours stay covered on holidays of restriction calendars", checks.holiday_uncovered),
        Rule("ladder-24x7-single-person", _E, "a 24x7 tier's ladder reaches two distinct people", checks.single_person_24x7),
        Rule("double-booked", _E, "escalating reaches someone new: nobody is on call in two steps of a ladder at once", checks.double_booked),
        Rule("second-person-late", _E, "a step with nobody on call does not delay the second person past the first response", checks.second_person_late),
        Rule("follow-the-sun-nights", _W, "follow-the-sun rotations keep people off nights (22:00-07:00 local)", checks.follow_the_sun_nights),
        Rule("restriction-dst-gap", _W, "restriction windows mean local time: PagerDuty, which runs them for their length in real time, pages whom they mean on clock-change days", checks.restriction_dst_gap),
    ]
}  # fmt: skip


def stage(context: Context, config: Config | None, diagnostics: Diagnostics) -> None:
    """The validate stage: every deliverability rule on the built model."""
    run_rules(RULES, context, diagnostics)
