"""`sla`: show a ticket's SLA clocks, as `opskit sla show` reads them (no effect).

Values: `ticket` (an issue key, e.g. `{{ inputs.ticket }}`).

The ticket is read fresh from Jira and evaluated by the SLA engine now; each clock is told
through `ctx.io.say`. Outputs: `ticket`, `tier`, `priority`, and `clocks`: metric ->
{`state`, `remaining` (business seconds, negative once breached), `deadline` (ISO, or
null while paused or stopped)}; an untracked ticket gives `untracked` (the reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from opskit.playbooks.step_api import StepContext, StepResult
from opskit.playbooks.steps import targets
from opskit.policy.model import Policy
from opskit.providers.jira.client import connect as jira_connect
from opskit.sla.collect import read_one
from opskit.sla.engine import Context, Untracked, evaluate
from opskit.sla.text import span


def ticket_clocks(policy: Policy, key: str, now: dt.datetime) -> dict[str, Any]:
    """The ticket's clocks as the step's outputs give them (read fresh, evaluated at `now`)."""
    reading = read_one(jira_connect(), key)
    result = evaluate(
        reading.issues[0], Context(policy, reading.directory, dict(reading.categories)), now
    )
    if isinstance(result, Untracked):
        return {"ticket": key, "untracked": result.reason}
    clocks = {
        clock.metric.value: {
            "state": clock.state.value,
            "remaining": clock.remaining,
            "deadline": clock.deadline.astimezone(dt.UTC).isoformat() if clock.deadline else None,
        }
        for clock in result.clocks
    }
    return {
        "ticket": key, "tier": result.tier, "priority": result.priority,
        "status": result.status, "summary": result.summary, "clocks": clocks,
    }  # fmt: skip


def left_text(remaining: int) -> str:
    return f"over by {span(-remaining)}" if remaining < 0 else f"{span(remaining)} left"


class Sla:
    def describe(self, values: Mapping[str, Any]) -> str:
        return (
            f"SLA: show the clocks of {values.get('ticket') or '?'} (reads Jira, changes nothing)"
        )

    def execute(self, ctx: StepContext) -> StepResult:
        key = targets.text(ctx.values, "ticket").upper()
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with targets.remote(f"SLA of {key}"):
            outputs = ticket_clocks(ctx.policy, key, now)
        if "untracked" in outputs:
            ctx.io.say(f"{key}: no SLA applies ({outputs['untracked']})")
            return StepResult("done", outputs, message=f"{key}: untracked")
        ctx.io.say(
            f"{key} ({outputs['tier']}, {outputs['priority']}, {outputs['status']}): "
            f"{outputs['summary']}"
        )
        for metric, clock in outputs["clocks"].items():
            due = f", due {clock['deadline']}" if clock["deadline"] else ""
            ctx.io.say(f"  {metric}: {clock['state']}, {left_text(clock['remaining'])}{due}")
        worst = ", ".join(f"{m} {c['state']}" for m, c in outputs["clocks"].items()) or "no clocks"
        outputs = {k: v for k, v in outputs.items() if k not in ("status", "summary")}
        return StepResult("done", outputs, message=f"{key}: {worst}")
