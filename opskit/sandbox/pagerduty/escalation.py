"""Escalation policies, with PagerDuty's limits on rules, targets and loops."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid
from opskit.sandbox.pagerduty.common import (
    check_ref,
    decorate,
    load,
    need_int,
    need_str,
    new_id,
    ref,
    related_index,
    wrapped,
)
from opskit.sandbox.pagerduty.paging import RENDERERS, expand, id_filter, page
from opskit.sandbox.state import state

bp = Blueprint("pd_escalation", __name__)
MAX_TARGETS = 10


def _rule(data: Any, index: int) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise pd_invalid("escalation_rules must be objects")
    delay = data.get("escalation_delay_in_minutes")
    if isinstance(delay, bool) or not isinstance(delay, int) or delay < 1:
        raise pd_invalid("Escalation delay in minutes must be at least 1")
    targets = data.get("targets")
    if not isinstance(targets, list) or not targets:
        raise pd_invalid("Escalation rules must have at least one target")
    if len(targets) > MAX_TARGETS:
        raise pd_invalid(f"Escalation rules may have at most {MAX_TARGETS} targets")
    checked = []
    for t in targets:
        kind = str(t.get("type", "")).removesuffix("_reference") if isinstance(t, dict) else ""
        if kind not in ("user", "schedule"):
            raise pd_invalid("Escalation targets must be user or schedule references")
        checked.append({"id": check_ref(t, kind, "targets"), "type": f"{kind}_reference"})
    rid = data.get("id") if isinstance(data.get("id"), str) else f"R{index}"
    return {"id": rid, "escalation_delay_in_minutes": delay, "targets": checked}


def _handoff(body: dict[str, Any]) -> str:
    value = body.get("on_call_handoff_notifications", "if_has_services")
    if value not in ("if_has_services", "always"):
        raise pd_invalid("on_call_handoff_notifications must be if_has_services or always")
    return str(value)


def fields(body: dict[str, Any]) -> dict[str, Any]:
    rules = body.get("escalation_rules")
    if not isinstance(rules, list) or not rules:
        raise pd_invalid("Escalation policy must have at least one escalation rule")
    teams = body.get("teams") or []
    if not isinstance(teams, list) or len(teams) > 1:
        raise pd_invalid("An escalation policy can belong to at most one team")
    return {
        "name": need_str(body, "name"),
        "description": need_str(body, "description", required=False),
        "num_loops": need_int(body, "num_loops", 0, 9, default=0),
        "on_call_handoff_notifications": _handoff(body),
        "escalation_rules": [_rule(r, i) for i, r in enumerate(rules)],
        "teams": [check_ref(t, "team", "teams") for t in teams],
    }


def render(doc: Doc) -> Doc:
    out = decorate("escalation_policy", doc)
    out["escalation_rules"] = [
        {**r, "targets": [ref(t["type"].removesuffix("_reference"), t["id"]) for t in r["targets"]]}
        for r in doc["escalation_rules"]
    ]
    out["teams"] = [ref("team", t) for t in doc["teams"]]
    by_policy = related_index(
        "services by policy", "pd.service", lambda s: [s["escalation_policy"]]
    )
    out["services"] = [ref("service", s["id"]) for s in by_policy.get(doc["id"], [])]
    return out


@bp.get("/escalation_policies")
def list_policies() -> Response:
    items = state().store.all("pd.escalation_policy")
    query = request.args.get("query", "").lower()
    if query:
        items = [p for p in items if query in p["name"].lower()]
    teams = id_filter("team_ids")
    if teams:
        items = [p for p in items if teams & set(p["teams"])]
    return respond(page(items, "escalation_policies", render))


@bp.post("/escalation_policies")
def create_policy() -> Response:
    doc = {"id": new_id(), **fields(wrapped("escalation_policy"))}
    state().store.put("pd.escalation_policy", doc["id"], doc)
    return respond({"escalation_policy": render(doc)}, 201)


@bp.get("/escalation_policies/<pid>")
def get_policy(pid: str) -> Response:
    return respond({"escalation_policy": expand(render(load("escalation_policy", pid)))})


@bp.put("/escalation_policies/<pid>")
def update_policy(pid: str) -> Response:
    doc = load("escalation_policy", pid)
    # A PUT carries the whole policy (name and escalation_rules are required, as on create).
    doc.update(fields(wrapped("escalation_policy")))
    state().store.put("pd.escalation_policy", pid, doc)
    return respond({"escalation_policy": render(doc)})


@bp.delete("/escalation_policies/<pid>")
def delete_policy(pid: str) -> Response:
    load("escalation_policy", pid)
    if any(s["escalation_policy"] == pid for s in state().store.all("pd.service")):
        raise pd_invalid("Escalation policy is in use by one or more services")
    state().store.delete("pd.escalation_policy", pid)
    return Response(status=204)


RENDERERS["escalation_policy"] = render
