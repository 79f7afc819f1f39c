"""SLA tiers: targets in order and present for every priority in use."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.policy.checks.base import Context, Finding
from opskit.policy.model import SlaTier, Targets
from opskit.policy.values import Duration


def effective_minutes(duration: Duration, tier: SlaTier) -> float:
    """Compare durations on one scale: a business day counts as the calendar's shortest working day."""
    if not duration.business_days:
        return duration.minutes
    days = [sum(end - start for start, end in w) for w in tier.calendar.working_hours.values() if w]
    return duration.business_days * (min(days) if days else 1440) + duration.minutes


def order(context: Context) -> Iterator[Finding]:
    for tier in context.policy.tiers.values():
        for priority, targets in tier.targets.items():
            resolution = effective_minutes(targets.resolution, tier)
            for field in ("first_response", "next_update"):
                value = getattr(targets, field)
                if value is not None and effective_minutes(value, tier) > resolution:
                    yield Finding(
                        tier.source.at("targets", priority, field),
                        f"{priority} {field.replace('_', ' ')} {value} is later than its resolution target "
                        f"{targets.resolution}",
                    )


def coverage(context: Context) -> Iterator[Finding]:
    for service in context.policy.services.values():
        missing = [p.name for p in service.priorities if p.name not in service.tier.targets]
        if missing:
            where = ("priorities",) if "priorities" in service.source.data else ("tier",)
            yield Finding(
                service.source.at(*where),
                f"service {service.name!r} takes {', '.join(missing)} but tier {service.tier.name!r} "
                f"has no targets for {'it' if len(missing) == 1 else 'them'}",
            )


def tightest_first_response(tier: SlaTier, priorities: list[str]) -> tuple[str, Targets] | None:
    chosen = [(name, tier.targets[name]) for name in priorities if name in tier.targets]
    if not chosen:
        return None
    return min(chosen, key=lambda item: effective_minutes(item[1].first_response, tier))
