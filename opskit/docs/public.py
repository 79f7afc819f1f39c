"""What the public pages say: how to reach support, tiers, severities and services."""

from __future__ import annotations

from typing import Any

from opskit.docs.inputs import SiteInput, customer_facing, priorities, public_tiers, tiers_of
from opskit.docs.words import hours_words, promise
from opskit.policy.model import SlaTier

# What a service's PagerDuty urgency means for a customer's urgent request.
PAGING = {
    "high": "urgent requests page the engineer on call day and night",
    "support_hours": "urgent requests page the engineer on call in these hours",
    "low": "requests are handled in working hours",
}
METRICS = (("first_response", "First response"), ("next_update", "Updates"),
           ("resolution", "Resolution"))  # fmt: skip


def contacts(site: SiteInput) -> dict[str, Any]:
    policy = site.policy
    leads = [
        {"team": team.name, "name": lead.full_name, "email": lead.email}
        for team in sorted(policy.teams.values(), key=lambda t: t.name)
        for lead in team.leads
    ]
    urgent = [p for p in priorities(policy) if p.urgency == "high"]
    return {"service_desk": site.service_desk, "leads": leads, "urgent": urgent,
            "tiers": public_tiers(policy)}  # fmt: skip


def tier_promises(site: SiteInput, tier: SlaTier) -> list[dict[str, Any]]:
    rows = []
    for priority in priorities(site.policy):
        targets = tier.targets.get(priority.name)
        sentences = [] if targets is None else [
            {"metric": label, "text": promise(metric, priority.name, duration, tier.calendar)}
            for metric, label in METRICS
            if (duration := getattr(targets, metric)) is not None
        ]  # fmt: skip
        rows.append({"priority": priority, "promises": sentences})
    return rows


def tiers(site: SiteInput) -> list[dict[str, Any]]:
    return [
        {
            "tier": tier,
            "hours": hours_words(tier.calendar),
            "calendar": None if tier.calendar.always_open else tier.calendar.name,
            "rows": tier_promises(site, tier),
            "availability": _percent(tier.review.availability_percent),
        }
        for tier in public_tiers(site.policy)
    ]


def services(site: SiteInput) -> list[dict[str, Any]]:
    policy = site.policy
    out = []
    for service in customer_facing(policy):
        hours = service.support_hours
        out.append({
            "service": service,
            "tiers": [t.name for t in tiers_of(policy, service)],
            "hours": hours_words(hours),
            "calendar": None if hours.always_open else hours.name,
            "priorities": [p.name for p in sorted(service.priorities, key=lambda p: p.level)],
            "urgency": service.urgency if service.urgency in PAGING else "high",
        })  # fmt: skip
    return out


def _percent(value: float | None) -> str | None:
    """99.9 -> "99.9%"; the promise as the tier writes it, no rounding."""
    return None if value is None else f"{value:g}%"
