"""targets.jira in opskit.yaml: which projects, which service desk, which tier field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from opskit.cli.errors import UsageError
from opskit.cli.repository import open_repository
from opskit.policy.diagnostics import Diagnostics

DEFAULT_TIER_FIELD = "Support tier"
PROPERTY = "opskit"  # the organisation property holding the marker and the customer's facts


@dataclass(frozen=True, slots=True)
class Settings:
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


def current() -> Settings:
    """The settings of the repository the running command works on (its --config or cwd).

    The sync commands build a provider from the workspace name alone, so the
    provider finds opskit.yaml the way those commands did.
    """
    context = click.get_current_context(silent=True)
    path = context.params.get("config_path") if context is not None else None
    config = open_repository(Path(path) if path else None, Diagnostics(), required=False)
    if config is None:
        raise UsageError("no opskit.yaml: the Jira target needs targets.jira in it")
    return Settings.from_config(config.targets)
