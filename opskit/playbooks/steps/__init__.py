"""The step kinds, by name: "module:class" loaded on first use (explicit, like the CLI's
commands), each class implementing `opskit.playbooks.step_api.StepKind`."""

from __future__ import annotations

import importlib

from opskit.playbooks.step_api import StepKind

KINDS: dict[str, str] = {
    "manual": "opskit.playbooks.steps.manual:Manual",
    "run": "opskit.playbooks.steps.run:Run",
    "wait": "opskit.playbooks.steps.wait:Wait",
    "decide": "opskit.playbooks.steps.decide:Decide",
    "page": "opskit.playbooks.steps.page:Page",
    "jira": "opskit.playbooks.steps.jira:Jira",
    "http": "opskit.playbooks.steps.http:Http",
    "notify": "opskit.playbooks.steps.notify:Notify",
    "sla": "opskit.playbooks.steps.sla:Sla",
}


def kind(name: str) -> StepKind:
    module, _, attribute = KINDS[name].partition(":")
    found: StepKind = getattr(importlib.import_module(module), attribute)()
    return found
