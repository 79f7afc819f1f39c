"""`decide`: a question whose answer picks the step the run goes to next.

`options` maps each answer to a step id. The answer comes from the terminal or an
--answers file (`<step-id>: <answer>`); --yes never picks one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opskit.playbooks.step_api import StepContext, StepFailed, StepResult


class Decide:
    def describe(self, values: Mapping[str, Any]) -> str:
        options = values.get("options") or {}
        lines = [f"asks: {values.get('question', 'which way?')}"]
        lines += [f"  {answer} → {target}" for answer, target in options.items()]
        return "\n".join(lines)

    def execute(self, ctx: StepContext) -> StepResult:
        options = {str(k): str(v) for k, v in (ctx.values.get("options") or {}).items()}
        if not options:
            raise StepFailed("a decide step needs options")
        question = str(ctx.values.get("question") or f"{ctx.step_id}: which way?")
        answer = ctx.io.ask(question, list(options))
        return StepResult(
            "done",
            {"answer": answer},
            next_step=options[answer],
            message=f"{answer} → {options[answer]}",
        )
