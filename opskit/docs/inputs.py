"""What a site is built from: the validated policies, the repository, one instant."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opskit.policy.model import Policy, Priority, Service, SlaTier
from opskit.time import zones


@dataclass(frozen=True, slots=True)
class SiteInput:
    """What every page of the site is rendered from: policies, repository and instant."""

    policy: Policy
    root: Path  # the repository: source paths are shown relative to it
    now: int  # UTC seconds: the only time the pages depend on
    workspace: str = "default"
    service_desk: str | None = None  # the Jira Service Management project key, if any

    @property
    def now_text(self) -> str:
        return zones.to_datetime(self.now).strftime("%Y-%m-%d %H:%M UTC")

    @property
    def now_iso(self) -> str:
        return zones.to_datetime(self.now).strftime("%Y-%m-%dT%H:%M:%SZ")


def priorities(policy: Policy) -> list[Priority]:
    return sorted(policy.priorities.values(), key=lambda p: (p.level, p.name))


def public_tiers(policy: Policy) -> list[SlaTier]:
    """Tiers still sold, the most demanding first: round the clock, then the quickest answer."""

    def demand(tier: SlaTier) -> tuple[bool, int, int, str]:
        first = [tier.targets[p.name].first_response for p in priorities(policy)
                 if p.name in tier.targets]  # fmt: skip
        quickest = min(first, default=None)
        bd, seconds = (quickest.business_days, quickest.seconds) if quickest else (0, 0)
        return (not tier.calendar.always_open, bd, seconds, tier.name)

    return sorted((t for t in policy.tiers.values() if not t.retired), key=demand)


def customer_facing(policy: Policy) -> list[Service]:
    """Services some Customer has; the others (e.g. a major-incident pager) are internal."""
    used = {id(s) for customer in policy.customers.values() for s in customer.services}
    return sorted((s for s in policy.services.values() if id(s) in used), key=lambda s: s.name)


def tiers_of(policy: Policy, service: Service) -> list[SlaTier]:
    """The tiers a service is sold under: its customers' tiers, most demanding first."""
    sold = {id(c.tier) for c in policy.customers.values() if service in c.services}
    return [t for t in public_tiers(policy) if id(t) in sold]


def source_path(root: Path, file: str) -> str:
    """A policy file's path relative to the repository, with forward slashes."""
    path = Path(file)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
