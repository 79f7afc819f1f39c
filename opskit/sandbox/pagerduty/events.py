"""Events API v2 ``enqueue``: opens, acknowledges and resolves incidents by dedup key."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.body import json_body
from opskit.sandbox.errors import EventsError
from opskit.sandbox.pagerduty import incident_log
from opskit.sandbox.pagerduty.common import new_id
from opskit.sandbox.pagerduty.incidents import open_incident, set_status
from opskit.sandbox.pagerduty.integrations import service_with_key
from opskit.sandbox.state import now, state

bp = Blueprint("pd_events", __name__)


SEVERITIES = ("critical", "error", "warning", "info")


def _event() -> dict[str, Any]:
    data = json_body()
    if not isinstance(data, dict):
        raise EventsError(400, "Event object is invalid", ["Event must be an object"])
    errors = []
    if not isinstance(data.get("routing_key"), str) or len(data["routing_key"]) != 32:
        errors.append("'routing_key' must be a 32 character string")
    if data.get("event_action") not in ("trigger", "acknowledge", "resolve"):
        errors.append("'event_action' must be one of trigger, acknowledge, resolve")
    payload = data.get("payload")
    if data.get("event_action") == "trigger":
        if not isinstance(payload, dict):
            errors.append("'payload' is missing or blank")
        else:
            for key in ("summary", "source"):
                if not isinstance(payload.get(key), str) or not payload[key]:
                    errors.append(f"'payload.{key}' is missing or blank")
            if payload.get("severity") not in SEVERITIES:
                errors.append("'payload.severity' must be critical, error, warning or info")
    elif not isinstance(data.get("dedup_key"), str):
        errors.append("'dedup_key' is required for acknowledge and resolve")
    if data.get("dedup_key") is not None and not isinstance(data.get("dedup_key"), str):
        errors.append("'dedup_key' must be a string")
    if errors:
        raise EventsError(400, "Event object is invalid", errors)
    return data


@bp.post("/v2/enqueue")
def enqueue() -> Response:
    data = _event()
    service = service_with_key(data["routing_key"])
    if service is None:
        raise EventsError(400, "Event object is invalid", ["Invalid routing key"])
    dedup = data.get("dedup_key") or new_id("D")
    current = next(
        (
            i
            for i in state().store.all("pd.incident")
            if i.get("incident_key") == dedup and i["status"] != "resolved"
        ),
        None,
    )
    agent = ("service", str(service["id"]))
    if data["event_action"] == "trigger" and current is None:
        opened = open_incident(service["id"], data["payload"]["summary"], "high", dedup)
        incident_log.opened(opened, now(), agent, "api")
        state().store.put("pd.incident", opened["id"], opened)
    elif current is not None and data["event_action"] != "trigger":
        status = {"acknowledge": "acknowledged", "resolve": "resolved"}[data["event_action"]]
        before, at = current["status"], now()
        set_status(current, status, at)
        if status == "acknowledged":
            incident_log.acknowledged(current, at, agent, "api")
        elif before != "resolved":
            incident_log.resolved(current, at, agent, "api")
        state().store.put("pd.incident", current["id"], current)
    return respond({"status": "success", "message": "Event processed", "dedup_key": dedup}, 202)
