"""Sync targets, by name. Adding a target adds a line to each table here and a module beside
this one."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from opskit.policy.validate import Stage
    from opskit.sync.natural_keys import NaturalKey

PROVIDERS: dict[str, str] = {
    "pagerduty": "opskit.providers.pagerduty.provider:PagerDutyProvider",
    "jira": "opskit.providers.jira.provider:JiraProvider",
}

# What each target calls the objects it makes from policies, by policy kind. Light modules,
# apart from the providers and their clients: `opskit validate` reads them on every run.
NATURAL_KEYS: dict[str, str] = {
    "pagerduty": "opskit.providers.pagerduty.keys",
    "jira": "opskit.providers.jira.keys",
}


def provider_class(name: str) -> Any:
    module, _, attribute = PROVIDERS[name].partition(":")
    return getattr(importlib.import_module(module), attribute)


def natural_keys(name: str) -> Mapping[str, NaturalKey]:
    """A target's declarations: policy kind -> the name its objects have there."""
    module = importlib.import_module(NATURAL_KEYS[name])
    return cast("Mapping[str, NaturalKey]", module.NATURAL_KEYS)


def check_stages() -> list[Stage]:
    """The checks the targets add to `opskit validate` (and so to plan and apply)."""
    from opskit.sync.natural_keys import NaturalKeyStage

    return [NaturalKeyStage({name: partial(natural_keys, name) for name in NATURAL_KEYS})]
