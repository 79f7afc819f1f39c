"""`page`: a PagerDuty Events API v2 trigger, acknowledge or resolve for a policy service.

Values: `action` (trigger | acknowledge | resolve, default trigger), `service` (a policy
service; its PagerDuty service of the same name receives the event through its first
Events API v2 integration, whose routing key is read over REST as `sla enforce` reads it),
`summary` and `severity` (trigger; default the step's title, and `error`), `details` (a
mapping, trigger's custom details), `dedup_key` (optional).

The dedup key: a trigger uses `dedup_key` or else the step's mark (`opskit-<run>-<step>`).
Acknowledge and resolve use, first found: `dedup_key`; `of` (a step id whose outputs hold
`dedup_key`: a page or notify step); else the latest earlier trigger of this run on the same service (its
outputs say service and action). With none of these the step fails: it never acts on an
incident opskit did not open or was not told about.

Idempotency: Events v2 merges events by dedup key. When an earlier attempt was cut off
(`in_flight`), the incident with that key is looked up over REST first (`GET /incidents
?incident_key=...&date_range=all`): a trigger whose incident exists is adopted (sent again
only while the incident is still open, which changes nothing; a resolved one stays
resolved); an acknowledge or resolve whose incident is already in that state is adopted.

Outputs: `service`, `action`, `dedup_key`, and when the incident is found `incident_id`,
`incident_number`, `incident_url`, `status`. The routing key never appears.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opskit.playbooks.step_api import StepContext, StepFailed, StepResult
from opskit.playbooks.steps import targets
from opskit.providers.pagerduty.client import Api
from opskit.providers.pagerduty.client import connect as pd_connect
from opskit.sla.enforce.pagerduty_side import Events, routing_keys
from opskit.sync.errors import TargetError, UnclearWrite

ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "error", "warning", "info")
STATUS_AFTER = {"acknowledge": "acknowledged", "resolve": "resolved"}


class _Events(Events):
    """Enforce's Events API client, for any event action (all are idempotent by key); an
    event that may have landed unseen is an unclear write, which resume looks for."""

    def send(
        self, routing_key: str, body: dict[str, Any], *,
        unclear: type[TargetError] = UnclearWrite,
    ) -> None:  # fmt: skip
        super().send(routing_key, body, unclear=unclear)


def find_incident(api: Api, dedup_key: str) -> dict[str, Any] | None:
    """The newest incident with this dedup key (any status), or None."""
    found = list(api.pages("/incidents", {"incident_key": dedup_key, "date_range": "all"}))
    found = [i for i in found if i.get("incident_key") in (None, dedup_key)]
    if not found:
        return None
    return max(found, key=lambda i: int(i.get("incident_number") or 0))


def routing_key(api: Api, service: str) -> str:
    keys = routing_keys(api)
    if service not in keys:
        raise StepFailed(f"PagerDuty has no service named {service!r}")
    key = keys[service]
    if key is None:
        raise StepFailed(f"PagerDuty service {service!r} has no Events API v2 integration")
    return key


def incident_outputs(incident: Mapping[str, Any] | None) -> dict[str, Any]:
    if incident is None:
        return {}
    return {
        "incident_id": incident.get("id"),
        "incident_number": incident.get("incident_number"),
        "incident_url": incident.get("html_url"),
        "status": incident.get("status"),
    }


def trigger_dedup_key(ctx: StepContext) -> str:
    return targets.optional(ctx.values, "dedup_key") or ctx.mark


def target_dedup_key(ctx: StepContext, service: str) -> str:
    given = targets.optional(ctx.values, "dedup_key")
    if given:
        return given
    of = targets.optional(ctx.values, "of")
    if of:
        key = targets.outputs_of(ctx, of).get("dedup_key")
        if not isinstance(key, str) or not key:
            raise StepFailed(f"step {of!r} recorded no dedup_key")
        return key
    triggers = targets.earlier(
        ctx,
        lambda out: (
            out.get("action") == "trigger"
            and out.get("service") == service
            and isinstance(out.get("dedup_key"), str)
        ),
    )
    if not triggers:
        raise StepFailed(
            f"no earlier page trigger on {service!r} in this run: "
            "name the incident with `of: <step id>` or `dedup_key`"
        )
    return str(ctx.outputs[triggers[-1]]["dedup_key"])


def send_page(
    ctx: StepContext,
    *,
    service: str,
    action: str,
    dedup_key: str,
    summary: str = "",
    severity: str = "error",
    details: Mapping[str, Any] | None = None,
) -> StepResult:
    """Send one event for `service` (a policy service), adopting an interrupted attempt."""
    if service not in ctx.policy.services:
        raise StepFailed(f"unknown service {service!r}: not in the policy")
    what = f"PagerDuty {action} on {service}"
    with targets.remote(what):
        api = pd_connect()
        key = routing_key(api, service)
        before = find_incident(api, dedup_key) if ctx.in_flight else None
        adopted, send = False, True
        if before is not None and action == "trigger":
            # the same key again changes nothing while it is open; a resolved one stays so
            adopted, send = True, before.get("status") != "resolved"
        elif before is not None and before.get("status") in (STATUS_AFTER.get(action), "resolved"):
            adopted, send = True, False
        if send:
            body: dict[str, Any] = {"event_action": action, "dedup_key": dedup_key}
            if action == "trigger":
                body["payload"] = {
                    "summary": (summary or f"{ctx.playbook}: {ctx.step_id}")[:1024],
                    "source": f"opskit playbook {ctx.playbook}",
                    "severity": severity,
                    "custom_details": {"run": ctx.run_id, "step": ctx.step_id, **(details or {})},
                }
            _Events().send(key, body)
        incident = find_incident(api, dedup_key)
    outputs: dict[str, Any] = {"service": service, "action": action, "dedup_key": dedup_key}
    outputs.update(incident_outputs(incident))
    number = f" #{incident.get('incident_number')}" if incident else " (no incident has that key)"
    verb = "found" if adopted else "sent"
    return StepResult(
        "done", outputs, adopted=adopted, message=f"{what} {verb} ({dedup_key}){number}"
    )


class Page:
    def describe(self, values: Mapping[str, Any]) -> str:
        action = str(values.get("action") or "trigger")
        service = str(values.get("service") or "?")
        if action == "trigger":
            severity = values.get("severity") or "error"
            summary = values.get("summary") or values.get("title") or ""
            return f"PagerDuty: trigger {service} ({severity}): {summary}".rstrip(": ")
        target = values.get("dedup_key") or (
            f"the incident of step {values['of']}" if values.get("of") else "this run's incident"
        )
        return f"PagerDuty: {action} {target} on {service}"

    def execute(self, ctx: StepContext) -> StepResult:
        values = ctx.values
        action = targets.choice(values, "action", ACTIONS, "trigger")
        service = targets.text(values, "service")
        if action == "trigger":
            details = values.get("details")
            if details is not None and not isinstance(details, Mapping):
                raise StepFailed("`details` must be a mapping")
            return send_page(
                ctx,
                service=service,
                action=action,
                dedup_key=trigger_dedup_key(ctx),
                summary=targets.text(values, "summary", default=str(values.get("title") or "")),
                severity=targets.choice(values, "severity", SEVERITIES, "error"),
                details=details,
            )
        if service not in ctx.policy.services:
            raise StepFailed(f"unknown service {service!r}: not in the policy")
        return send_page(
            ctx, service=service, action=action, dedup_key=target_dedup_key(ctx, service)
        )
