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
from opskit.providers.jira.client import connect as jira_connect
from opskit.sla.collect import read_one
from opskit.sla.engine import Context, Untracked, evaluate


def span(seconds: int) -> str:
    sign, left = ("-" if seconds < 0 else ""), abs(seconds)
    days, left = divmod(left, 86400)
    hours, left = divmod(left, 3600)
    minutes = left // 60
    parts = [f"{days}d"] if days else []
    parts += [f"{hours}h"] if hours else []
    parts += [f"{minutes}m"] if minutes or not parts else []
    return sign + "".join(parts)


class Sla:
    def describe(self, values: Mapping[str, Any]) -> str:
        return (
            f"SLA: show the clocks of {values.get('ticket') or '?'} (reads Jira, changes nothing)"
        )

    def execute(self, ctx: StepContext) -> StepResult:
        key = targets.text(ctx.values, "ticket").upper()
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with targets.remote(f"SLA of {key}"):
            reading = read_one(jira_connect(), key)
            result = evaluate(
                reading.issues[0],
                Context(ctx.policy, reading.directory, dict(reading.categories)),
                now,
            )
        if isinstance(result, Untracked):
            ctx.io.say(f"{key}: no SLA applies ({result.reason})")
            return StepResult(
                "done", {"ticket": key, "untracked": result.reason}, message=f"{key}: untracked"
            )
        clocks: dict[str, Any] = {}
        ctx.io.say(f"{key} ({result.tier}, {result.priority}, {result.status}): {result.summary}")
        for clock in result.clocks:
            deadline = clock.deadline.astimezone(dt.UTC).isoformat() if clock.deadline else None
            clocks[clock.metric.value] = {
                "state": clock.state.value, "remaining": clock.remaining, "deadline": deadline,
            }  # fmt: skip
            left = (
                f"over by {span(-clock.remaining)}"
                if clock.remaining < 0
                else f"{span(clock.remaining)} left"
            )
            due = f", due {deadline}" if deadline else ""
            ctx.io.say(f"  {clock.metric.value}: {clock.state.value}, {left}{due}")
        worst = ", ".join(f"{m} {c['state']}" for m, c in clocks.items()) or "no clocks"
        return StepResult(
            "done",
            {"ticket": key, "tier": result.tier, "priority": result.priority, "clocks": clocks},
            message=f"{key}: {worst}",
        )
