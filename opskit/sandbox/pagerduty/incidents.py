"""Incidents: list, create (needs a From header), read and update."""

from __future__ import annotations

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid
from opskit.sandbox.pagerduty.common import (
    check_ref,
    decorate,
    fmt,
    load,
    need_from,
    need_str,
    new_id,
    ref,
    wrapped,
)
from opskit.sandbox.pagerduty.paging import RENDERERS, expand, id_filter, page
from opskit.sandbox.state import now, state

bp = Blueprint("pd_incidents", __name__)
STATUSES = ("triggered", "acknowledged", "resolved")


def render(doc: Doc) -> Doc:
    out = decorate("incident", {k: v for k, v in doc.items() if k not in ("service", "priority")})
    out["service"] = ref("service", doc["service"])
    if doc.get("priority"):
        out["priority"] = ref("priority", doc["priority"])
    out["assignments"] = []
    return out


def open_incident(service_id: str, title: str, urgency: str, dedup: str | None) -> Doc:
    number = state().store.next_number("pd.incident_number")
    doc: Doc = {
        "id": new_id("Q"),
        "incident_number": number,
        "title": title,
        "summary": f"[#{number}] {title}",
        "status": "triggered",
        "urgency": urgency,
        "service": service_id,
        "priority": None,
        "incident_key": dedup,
        "created_at": fmt(now()),
        "updated_at": fmt(now()),
    }
    state().store.put("pd.incident", doc["id"], doc)
    return doc


@bp.get("/incidents")
def list_incidents() -> Response:
    items = state().store.all("pd.incident")
    statuses = id_filter("statuses")
    services = id_filter("service_ids")
    if statuses:
        items = [i for i in items if i["status"] in statuses]
    if services:
        items = [i for i in items if i["service"] in services]
    return respond(page(items, "incidents", render))


@bp.post("/incidents")
def create_incident() -> Response:
    need_from()
    body = wrapped("incident")
    service = check_ref(body.get("service"), "service", "service")
    urgency = body.get("urgency", "high")
    if urgency not in ("high", "low"):
        raise pd_invalid("urgency must be high or low")
    doc = open_incident(
        service,
        need_str(body, "title") or "",
        urgency,
        body.get("incident_key") if isinstance(body.get("incident_key"), str) else None,
    )
    if body.get("priority") is not None:
        doc["priority"] = check_ref(body["priority"], "priority", "priority")
        state().store.put("pd.incident", doc["id"], doc)
    return respond({"incident": render(doc)}, 201)


@bp.get("/incidents/<iid>")
def get_incident(iid: str) -> Response:
    return respond({"incident": expand(render(load("incident", iid)))})


@bp.put("/incidents/<iid>")
def update_incident(iid: str) -> Response:
    doc = load("incident", iid)
    body = wrapped("incident")
    if "status" in body:
        if body["status"] not in STATUSES:
            raise pd_invalid("status must be triggered, acknowledged or resolved")
        doc["status"] = body["status"]
    if body.get("priority") is not None:
        doc["priority"] = check_ref(body["priority"], "priority", "priority")
    doc["updated_at"] = fmt(now())
    state().store.put("pd.incident", iid, doc)
    return respond({"incident": render(doc)})


RENDERERS["incident"] = render
