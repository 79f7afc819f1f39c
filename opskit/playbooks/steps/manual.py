"""`manual`: a checklist the engineer confirms item by item, then an optional note.

Every confirmation is journaled as it is given (`step.answer`), the note as `step.note`;
a run killed halfway through the list resumes at the first item not yet confirmed. An
item refused fails the step (resume asks again)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opskit.playbooks.step_api import StepContext, StepFailed, StepResult


class Manual:
    def describe(self, values: Mapping[str, Any]) -> str:
        items = [str(item) for item in values.get("checklist") or []]
        if not items:
            return "the engineer confirms the step is done"
        return "the engineer confirms:\n" + "\n".join(f"  ☐ {item}" for item in items)

    def execute(self, ctx: StepContext) -> StepResult:
        items = [str(item) for item in ctx.values.get("checklist") or []] or ["Done"]
        for item in items:
            if not ctx.io.confirm(item):
                raise StepFailed(f"not confirmed: {item}")
        note = ctx.io.note()
        outputs: dict[str, Any] = {"confirmed": len(items)}
        if note:
            outputs["note"] = note
        return StepResult("done", outputs, message=f"{len(items)} confirmed")
