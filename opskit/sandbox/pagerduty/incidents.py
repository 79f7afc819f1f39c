"""Incidents: list, create (needs a From header), read and update.

An incident keeps the instants availability figures are made of: ``created_at``, when it
was triggered, and ``resolved_at``, null until it is resolved (by ``PUT /incidents/{id}``
or an Events API ``resolve``). ``last_status_change_at`` is when its status last changed;
the document says a triggered incident shows its ``updated_at`` there. A resolved incident
stays resolved: PagerDuty cannot reopen one.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid
from opskit.sandbox.pagerduty import incident_log
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
from opskit.sandbox.pagerduty.incident_log import rendered_people, user_with_email
from opskit.sandbox.pagerduty.paging import RENDERERS, expand
from opskit.sandbox.state import now, state

bp = Blueprint("pd_incidents", __name__)
STATUSES = ("triggered", "acknowledged", "resolved")
URGENCIES = ("high", "low")


def render(doc: Doc) -> Doc:
    out = decorate("incident", {k: v for k, v in doc.items() if k not in ("service", "priority")})
    out["service"] = ref("service", doc["service"])
    if doc.get("priority"):
        out["priority"] = ref("priority", doc["priority"])
    out.pop("acknowledgements", None)
    out.update(rendered_people(doc))
    # null until resolved, as PagerDuty sends it (the document types it a plain string)
    out["resolved_at"] = doc.get("resolved_at")
    if doc["status"] == "triggered" or not doc.get("last_status_change_at"):
        out["last_status_change_at"] = doc["updated_at"]
    return out


def new_incident(
    service_id: str, title: str, urgency: str, dedup: str | None, created: datetime
) -> Doc:
    """A triggered incident opened at ``created`` (unsaved; numbered as the account's next)."""
    number = state().store.next_number("pd.incident_number")
    return {
        "id": new_id("Q"),
        "incident_number": number,
        "title": title,
        "summary": f"[#{number}] {title}",
        "status": "triggered",
        "urgency": urgency,
        "service": service_id,
        "priority": None,
        "incident_key": dedup,
        "created_at": fmt(created),
        "updated_at": fmt(created),
        "last_status_change_at": fmt(created),
        "resolved_at": None,
    }


def open_incident(service_id: str, title: str, urgency: str, dedup: str | None) -> Doc:
    doc = new_incident(service_id, title, urgency, dedup, now())
    state().store.put("pd.incident", doc["id"], doc)
    return doc


def set_status(doc: Doc, status: str, when: datetime) -> None:
    """Move the incident to ``status`` at ``when`` (unsaved). Resolving stamps
    ``resolved_at``; a resolved incident refuses any other status."""
    if status not in STATUSES:
        raise pd_invalid("status must be triggered, acknowledged or resolved")
    if doc["status"] == "resolved" and status != "resolved":
        raise pd_invalid("Incident Already Resolved")
    if status != doc["status"]:
        doc["status"] = status
        doc["last_status_change_at"] = fmt(when)
        if status == "resolved":
            doc["resolved_at"] = fmt(when)
    doc["updated_at"] = fmt(when)


@bp.get("/incidents")
def list_incidents() -> Response:
    from opskit.sandbox.pagerduty.incident_query import listed

    return respond(listed(state().store.all("pd.incident"), render))


@bp.post("/incidents")
def create_incident() -> Response:
    body = wrapped("incident")
    service = check_ref(body.get("service"), "service", "service")
    urgency = body.get("urgency", "high")
    if urgency not in URGENCIES:
        raise pd_invalid("urgency must be high or low")
    sender = need_from()
    doc = open_incident(
        service,
        need_str(body, "title") or "",
        urgency,
        body.get("incident_key") if isinstance(body.get("incident_key"), str) else None,
    )
    who = user_with_email(sender)
    incident_log.opened(doc, now(), ("user", who) if who else None, "web_trigger")
    state().store.put("pd.incident", doc["id"], doc)
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
    if body.get("priority") is not None:
        doc["priority"] = check_ref(body["priority"], "priority", "priority")
    before, at = doc["status"], now()
    set_status(doc, body["status"] if "status" in body else doc["status"], at)
    sender = request.headers.get("From", "").strip()
    who = user_with_email(sender) if sender else None
    agent = ("user", who) if who else None
    if doc["status"] == "acknowledged" and agent is not None:
        incident_log.acknowledged(doc, at, agent, "website")
    elif doc["status"] == "resolved" and before != "resolved":
        incident_log.resolved(doc, at, agent, "website")
    state().store.put("pd.incident", iid, doc)
    return respond({"incident": render(doc)})


RENDERERS["incident"] = render
