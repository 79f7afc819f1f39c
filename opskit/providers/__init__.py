"""Sync targets, by name. Adding a target adds a line here and a module beside this one."""

from __future__ import annotations

import importlib
from typing import Any

PROVIDERS: dict[str, str] = {
    "pagerduty": "opskit.providers.pagerduty:PagerDutyProvider",
    "jira": "opskit.providers.jira.provider:JiraProvider",
}


def provider_class(name: str) -> Any:
    module, _, attribute = PROVIDERS[name].partition(":")
    return getattr(importlib.import_module(module), attribute)
