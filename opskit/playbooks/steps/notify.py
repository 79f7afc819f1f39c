"""`notify`: tell whoever is on call now for a service, through its escalation ladder.

Values: `service` (a policy service), `message` (the page's summary; default the step's
title), `severity` (default error), `dedup_key` (optional).

Who is on call comes from the on-call engine on the policy (the ladder's first step that
pages anyone, now); they are reached by a PagerDuty trigger on that service, whose
escalation policy is the ladder `opskit apply` made: the same event and the same
idempotency rule as a `page` trigger (dedup key `dedup_key` or the step's mark; when an
earlier attempt was cut off, the incident with that key is adopted).

Outputs: `on_call` (full names), `ladder`, `service`, `action` (trigger), `dedup_key`,
and the incident's `incident_id`, `incident_number`, `incident_url`, `status` when found.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from opskit.oncall.who import who
from opskit.playbooks.step_api import StepContext, StepFailed, StepResult
from opskit.playbooks.steps import targets
from opskit.playbooks.steps.page import SEVERITIES, send_page, trigger_dedup_key
from opskit.policy.model import Policy


def on_call_now(policy: Policy, service: str, t: int) -> tuple[str, list[str]]:
    """The service's ladder and the full names of the people its first staffed step pages."""
    answer = who(policy, t, service=service)
    [ladder] = answer["ladders"]
    for page in ladder["pages"]:
        if page["people"]:
            names = [
                policy.people[p].full_name if p in policy.people else p for p in page["people"]
            ]
            return str(ladder["ladder"]), names
    return str(ladder["ladder"]), []


class Notify:
    def describe(self, values: Mapping[str, Any]) -> str:
        service = values.get("service") or "?"
        message = values.get("message") or values.get("title") or ""
        return f"Notify on call for {service} (PagerDuty trigger): {message}".rstrip(": ")

    def execute(self, ctx: StepContext) -> StepResult:
        values = ctx.values
        service = targets.text(values, "service")
        if service not in ctx.policy.services:
            raise StepFailed(f"unknown service {service!r}: not in the policy")
        message = targets.text(values, "message", default=str(values.get("title") or ""))
        if not message:
            raise StepFailed("the step needs `message`")
        ladder, people = on_call_now(ctx.policy, service, int(time.time()))
        ctx.io.say(f"On call for {service} ({ladder}): {', '.join(people) if people else 'nobody'}")
        result = send_page(
            ctx,
            service=service,
            action="trigger",
            dedup_key=trigger_dedup_key(ctx),
            summary=message,
            severity=targets.choice(values, "severity", SEVERITIES, "error"),
            details={"on_call": ", ".join(people)},
        )
        outputs = {"on_call": people, "ladder": ladder, **result.outputs}
        who_line = ", ".join(people) if people else "nobody on call"
        return replace(result, outputs=outputs, message=f"{result.message}; {who_line}")
