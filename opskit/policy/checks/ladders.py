"""Escalation ladders: PagerDuty's limits, and whether they can keep the tiers' promises."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.policy.checks.base import Context, Finding
from opskit.policy.checks.tiers import effective_minutes, tightest_first_response
from opskit.policy.model import EscalationLadder, Service

MAX_TARGETS = 10


def targets(context: Context) -> Iterator[Finding]:
    for ladder in context.policy.ladders.values():
        for index, step in enumerate(ladder.source.data["steps"]):
            count = len(step["notify"])
            if count > MAX_TARGETS:
                position = ladder.source.at("steps", index, "notify")
                yield Finding(
                    position,
                    f"step {index + 1} notifies {count} targets; PagerDuty allows {MAX_TARGETS}",
                )


def repeat(context: Context) -> Iterator[Finding]:
    for ladder in context.policy.ladders.values():
        if not 0 <= ladder.repeat <= 9:
            position = ladder.source.at("repeat")
            yield Finding(position, f"repeat is {ladder.repeat}; PagerDuty allows 0 to 9")


def delay(context: Context) -> Iterator[Finding]:
    for ladder in context.policy.ladders.values():
        for index, step in enumerate(ladder.steps):
            if step.escalate_after.business_days == 0 and step.escalate_after.seconds < 60:
                position = ladder.source.at("steps", index, "escalate_after")
                yield Finding(
                    position,
                    f"step {index + 1} escalates after {step.escalate_after}; PagerDuty's minimum is 1m",
                )


def too_slow(context: Context) -> Iterator[Finding]:
    """The next responder must be paged while the first response can still be met."""
    for ladder in context.policy.ladders.values():
        first = ladder.steps[0].escalate_after
        worst = _tightest(context, ladder) if ladder.complete else None
        if worst is None:
            continue
        service, priority, minutes, target = worst
        promise = f"tier {service.tier.name!r} promises {priority} first response within {target} on service {service.name!r}"
        if len(ladder.steps) == 1 and ladder.repeat == 0:
            message = f"nobody else is paged if step 1 does not answer, but {promise}; add a step or repeat"
            yield Finding(ladder.source.at("steps"), message)
        elif effective_minutes(first, service.tier) >= minutes:
            message = f"step 1 escalates after {first}, but {promise}; escalate sooner"
            yield Finding(ladder.source.at("steps", 0, "escalate_after"), message)


def _tightest(context: Context, ladder: EscalationLadder) -> tuple[Service, str, float, str] | None:
    worst: tuple[Service, str, float, str] | None = None
    for service in context.policy.services_of(ladder):
        found = tightest_first_response(service.tier, [p.name for p in service.priorities])
        if found is None:
            continue
        name, targets = found
        minutes = effective_minutes(targets.first_response, service.tier)
        if worst is None or minutes < worst[2]:
            worst = (service, name, minutes, str(targets.first_response))
    return worst


def single_person(context: Context) -> Iterator[Finding]:
    top = min((p.level for p in context.policy.priorities.values()), default=None)
    for ladder in context.policy.ladders.values():
        if not ladder.complete:
            continue
        services = [
            s
            for s in context.policy.services_of(ladder)
            if any(p.level == top for p in s.priorities)
        ]
        people = ladder.reachable()
        if services and len(people) < 2:
            who = people[0].name if people else "nobody"
            yield Finding(
                ladder.source.at("steps"),
                f"ladder reaches only {who}, but backs top-priority incidents on {services[0].name!r}; "
                "add a second person so one absence cannot leave it unanswered",
            )
