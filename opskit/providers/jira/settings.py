"""targets.jira in opskit.yaml: which projects, which service desk, which tier field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIER_FIELD = "Support tier"
PROPERTY = "opskit"  # the organisation property holding the marker and the customer's facts


@dataclass(frozen=True, slots=True)
class Settings:
    """targets.jira of opskit.yaml: the projects, the service desk and the tier field."""

    projects: list[str] = field(default_factory=list)
    service_desk: str | None = None
    tier_field: str = DEFAULT_TIER_FIELD

    @classmethod
    def from_config(cls, targets: dict[str, Any]) -> Settings:
        jira = targets.get("jira") or {}
        projects = [str(p) for p in jira.get("projects") or []]
        desk = jira.get("service_desk")
        return cls(
            projects, str(desk) if desk else None, str(jira.get("tier_field") or DEFAULT_TIER_FIELD)
        )
