"""What the SLA goals of a JSM project must be, from the tiers: shared by the checklist
and the drift check, so both say the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from opskit.policy.model import Calendar, Policy, SlaTier
from opskit.policy.values import Duration

# JSM's metrics and the tier target each one carries.
METRICS = {
    "Time to first response": "first_response",
    "Time to next update": "next_update",
    "Time to resolution": "resolution",
}


@dataclass(frozen=True, slots=True)
class Goal:
    """An SLA goal a JSM project must have: one metric's target for a tier and priority."""

    metric: str
    tier: SlaTier
    priority: str  # the Jira priority name
    target: Duration
    jql: str
    policy_priority: str  # the Priority's name in the policies (the key of tier targets)

    @property
    def calendar(self) -> Calendar:
        return self.tier.calendar


def goals(policy: Policy, tier_field: str) -> list[Goal]:
    """Every (metric, tier, priority) goal, in the order JSM should evaluate them."""
    jira_names = {p.name: p.jira_name for p in policy.priorities.values()}
    order = sorted(policy.priorities.values(), key=lambda p: p.level)
    out: list[Goal] = []
    for metric, attribute in METRICS.items():
        for tier in policy.tiers.values():
            for priority in order:
                targets = tier.targets.get(priority.name)
                target = getattr(targets, attribute) if targets else None
                if target is None:
                    continue
                name = jira_names[priority.name]
                jql = f'"{tier_field}" = "{tier.name}" AND priority = "{name}"'
                out.append(Goal(metric, tier, name, target, jql, priority.name))
    return out


def hours(goal: Goal) -> float | None:
    """The goal in working hours of its calendar, as JSM takes it; None when business days
    cannot be said in hours (working days of different lengths)."""
    seconds = goal.target.seconds
    if goal.target.business_days:
        lengths = {
            sum(e - s for s, e in spans) for spans in goal.calendar.working_hours.values() if spans
        }
        if len(lengths) != 1:
            return None
        seconds += goal.target.business_days * lengths.pop() * 60
    return seconds / 3600


def hours_text(value: float) -> str:
    whole_minutes = round(value * 60)
    h, m = divmod(whole_minutes, 60)
    if not h:
        return f"{m}m"
    return f"{h}h{m:02d}m" if m else f"{h}h"
