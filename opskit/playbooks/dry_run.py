"""`playbook run --dry-run`: every step with its values filled in; nothing runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opskit.playbooks import render
from opskit.playbooks.state import step_values
from opskit.policy.model import Playbook


@dataclass(frozen=True, slots=True)
class DryStep:
    """A playbook step as a dry run shows it: filled in and described, or its problem."""

    index: int
    step: dict[str, Any]
    when: str | None
    description: str
    problem: str | None


def dry_run(playbook: Playbook, inputs: Mapping[str, Any]) -> list[DryStep]:
    """Every step in list order, values filled in from the inputs; outputs of earlier steps
    show as `<steps.id.key>`. Nothing runs, nothing is written."""
    from opskit.playbooks.steps import kind

    names = render.context(inputs, {}, dry_run=True)
    shown: list[DryStep] = []
    for index, step in enumerate(playbook.steps, 1):
        step_id = str(step["id"])
        when = str(step["when"]) if "when" in step else None
        try:
            values = render.render_value(step_values(step), names, f"step {step_id}")
            if when is not None:
                render.evaluate(step["when"], names, f"step {step_id}: when")
        except render.TemplateProblem as problem:
            shown.append(DryStep(index, dict(step), when, "", str(problem)))
            continue
        try:
            description = kind(str(step["kind"])).describe(values)
        except (KeyError, ModuleNotFoundError):
            description = f"(step kind {step['kind']!r} is not available in this opskit)"
        shown.append(DryStep(index, dict(step), when, description, None))
    return shown
