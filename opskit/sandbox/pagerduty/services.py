"""Services with support hours, urgency rules and scheduled actions; priorities."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid
from opskit.sandbox.pagerduty import integrations
from opskit.sandbox.pagerduty.common import (
    check_ref,
    decorate,
    load,
    need_str,
    new_id,
    ref,
    wrapped,
)
from opskit.sandbox.pagerduty.paging import RENDERERS, expand, id_filter, page
from opskit.sandbox.pagerduty.service_rules import (
    check_actions,
    check_support_hours,
    check_urgency_rule,
)
from opskit.sandbox.state import state

bp = Blueprint("pd_services", __name__)


def _timeout(body: dict[str, Any], key: str) -> int | None:
    """0, null or (on create) absent turn the feature off, which reads back as null."""
    value = body.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise pd_invalid(f"{key} must be a number of seconds or null")
    return value or None


TIMEOUTS = ("auto_resolve_timeout", "acknowledgement_timeout")


def fields(body: dict[str, Any]) -> dict[str, Any]:
    rule = check_urgency_rule(
        body.get("incident_urgency_rule", {"type": "constant", "urgency": "high"})
    )
    hours = check_support_hours(body["support_hours"]) if body.get("support_hours") else None
    actions = check_actions(body.get("scheduled_actions") or [])
    # Scheduled actions are optional (they raise open incidents' urgency when support
    # hours start); support hours are not.
    if rule["type"] == "use_support_hours" and hours is None:
        raise pd_invalid("A use_support_hours urgency rule needs support_hours")
    if rule["type"] != "use_support_hours" and (hours or actions):
        raise pd_invalid("support_hours and scheduled_actions need a use_support_hours rule")
    teams = body.get("teams") or []
    if not isinstance(teams, list):
        raise pd_invalid("teams must be a list")
    return {
        "name": need_str(body, "name"),
        "description": need_str(body, "description", required=False),
        "escalation_policy": check_ref(
            body.get("escalation_policy"), "escalation_policy", "escalation_policy"
        ),
        "status": "active",
        "auto_resolve_timeout": _timeout(body, "auto_resolve_timeout"),
        "acknowledgement_timeout": _timeout(body, "acknowledgement_timeout"),
        "incident_urgency_rule": rule,
        "support_hours": hours,
        "scheduled_actions": actions,
        "teams": [check_ref(t, "team", "teams") for t in teams],
        "alert_creation": "create_alerts_and_incidents",
    }


def render(doc: Doc) -> Doc:
    out = decorate("service", doc)
    out["escalation_policy"] = ref("escalation_policy", doc["escalation_policy"])
    out["teams"] = [ref("team", t) for t in doc["teams"]]
    out["integrations"] = integrations.rendered(doc)  # none until one is added
    return out


@bp.get("/services")
def list_services() -> Response:
    items = state().store.all("pd.service")
    query = request.args.get("query", "").lower()
    if query:
        items = [s for s in items if query in s["name"].lower()]
    teams = id_filter("team_ids")
    if teams:
        items = [s for s in items if teams & set(s["teams"])]
    return respond(page(items, "services", render))


@bp.post("/services")
def create_service() -> Response:
    body = wrapped("service")
    f = fields(body)
    if any(s["name"] == f["name"] for s in state().store.all("pd.service")):
        raise pd_invalid("Name has already been taken")
    doc = {"id": new_id(), **f}
    state().store.put("pd.service", doc["id"], doc)
    return respond({"service": render(doc)}, 201)


@bp.get("/services/<sid>")
def get_service(sid: str) -> Response:
    return respond({"service": expand(render(load("service", sid)))})


@bp.put("/services/<sid>")
def update_service(sid: str) -> Response:
    doc = load("service", sid)
    body = wrapped("service")
    # name and escalation_policy are required; a timeout left out keeps its value
    kept = {key: doc.get(key) for key in TIMEOUTS if key not in body}
    doc.update({**fields(body), **kept})
    state().store.put("pd.service", sid, doc)
    return respond({"service": render(doc)})


@bp.delete("/services/<sid>")
def delete_service(sid: str) -> Response:
    load("service", sid)
    state().store.delete("pd.service", sid)
    return Response(status=204)


@bp.get("/priorities")
def list_priorities() -> Response:
    items = state().store.all("pd.priority")
    return respond(page(items, "priorities", lambda d: decorate("priority", d)))


RENDERERS["service"] = render
