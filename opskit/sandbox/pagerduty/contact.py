"""Users' contact methods and notification rules: how (and whether) someone can be woken."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid, pd_not_found
from opskit.sandbox.pagerduty.common import load, need_int, need_str, new_id, related, wrapped
from opskit.sandbox.pagerduty.paging import includes
from opskit.sandbox.state import state

bp = Blueprint("pd_contact", __name__)
METHOD_TYPES = {
    "email_contact_method", "phone_contact_method", "push_notification_contact_method",
    "sms_contact_method", "whatsapp_contact_method",
}  # fmt: skip


def methods_of(uid: str) -> list[Doc]:
    return [m for m in related("pd.contact_method") if m["user_id"] == uid]


def rules_of(uid: str) -> list[Doc]:
    return [r for r in related("pd.notification_rule") if r["user_id"] == uid]


def render_method(doc: Doc) -> Doc:
    out = {k: v for k, v in doc.items() if k != "user_id"}
    out["summary"] = doc["label"]
    return out


def render_rule(doc: Doc) -> Doc:
    method = state().store.get("pd.contact_method", doc["contact_method_id"]) or {
        "type": "email_contact_method"
    }
    return {
        "id": doc["id"], "type": "assignment_notification_rule", "summary": f"{doc['start_delay_in_minutes']} minutes",
        "start_delay_in_minutes": doc["start_delay_in_minutes"], "urgency": doc["urgency"],
        "contact_method": {"id": doc["contact_method_id"], "type": f"{method['type']}_reference"},
    }  # fmt: skip


def user_contacts(uid: str) -> dict[str, Any]:
    """A user's contact methods and rules: references, filled in when include[] asks (the
    type stays a reference type, as the document requires)."""
    wanted = includes()
    methods = [
        {
            **(render_method(m) if "contact_methods" in wanted else {"id": m["id"]}),
            "type": f"{m['type']}_reference",
        }
        for m in methods_of(uid)
    ]
    rules = [
        {
            **(render_rule(r) if "notification_rules" in wanted else {"id": r["id"]}),
            "type": "assignment_notification_rule_reference",
        }
        for r in rules_of(uid)
    ]
    return {"contact_methods": methods, "notification_rules": rules}


@bp.post("/users/<uid>/contact_methods")
def create_method(uid: str) -> Response:
    load("user", uid)
    body = wrapped("contact_method")
    kind = body.get("type")
    if not isinstance(kind, str) or kind not in METHOD_TYPES:
        raise pd_invalid("Contact method type is invalid")
    if kind == "whatsapp_contact_method":
        # "available in select regions and require account-level access": not this account
        # (the document describes no response for one, either)
        raise pd_invalid("WhatsApp contact methods are not enabled for this account")
    doc: Doc = {
        "id": new_id(),
        "type": kind,
        "user_id": uid,
        "label": need_str(body, "label"),
        "address": need_str(body, "address"),
    }
    if kind in ("phone_contact_method", "sms_contact_method"):
        doc["country_code"] = need_int(body, "country_code", 1, 1999)
    if kind == "push_notification_contact_method":
        if body.get("device_type") not in ("android", "ios"):
            raise pd_invalid("Device type must be android or ios")
        doc["device_type"] = body["device_type"]
    state().store.put("pd.contact_method", doc["id"], doc)
    return respond({"contact_method": render_method(doc)}, 201)


@bp.get("/users/<uid>/contact_methods")
def list_methods(uid: str) -> Response:
    load("user", uid)
    return respond({"contact_methods": [render_method(m) for m in methods_of(uid)]})


@bp.post("/users/<uid>/notification_rules")
def create_rule(uid: str) -> Response:
    load("user", uid)
    body = wrapped("notification_rule")
    method = body.get("contact_method")
    method_id = method.get("id") if isinstance(method, dict) else None
    if not isinstance(method_id, str) or method_id not in {m["id"] for m in methods_of(uid)}:
        raise (
            pd_not_found()
            if isinstance(method_id, str)
            else pd_invalid("contact_method must be a reference")
        )
    urgency = body.get("urgency")
    if urgency not in ("high", "low"):
        raise pd_invalid("Urgency must be high or low")
    doc = {"id": new_id(), "user_id": uid, "contact_method_id": method_id, "urgency": urgency,
           "start_delay_in_minutes": need_int(body, "start_delay_in_minutes", 0, 10_000, default=0)}  # fmt: skip
    state().store.put("pd.notification_rule", doc["id"], doc)
    return respond({"notification_rule": render_rule(doc)}, 201)


@bp.get("/users/<uid>/notification_rules")
def list_rules(uid: str) -> Response:
    load("user", uid)
    return respond({"notification_rules": [render_rule(r) for r in rules_of(uid)]})
