"""Service integrations: what alerts enter a service through; Events API v2 keys.

A new service has none, as in PagerDuty: an Events API v2 integration is added with
``POST /services/{id}/integrations`` (type ``events_api_v2_inbound_integration``) and its
``integration_key`` is the routing key events are sent with. Services list their
integrations as references, and in full with ``include[]=integrations`` (keeping the
reference type there, ``events_api_v2_inbound_integration_reference``, as the document's
``Service.integrations`` items require; see ``paging.expand``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid, pd_not_found
from opskit.sandbox.pagerduty.common import base_url, fmt, load, new_id, wrapped
from opskit.sandbox.pagerduty.paging import includes
from opskit.sandbox.state import now, state

bp = Blueprint("pd_integrations", __name__)

WITH_KEY = ("events_api_v2_inbound_integration", "generic_events_api_inbound_integration")
TYPES = frozenset({
    *WITH_KEY, "generic_email_inbound_integration", "aws_cloudwatch_inbound_integration",
    "cloudkick_inbound_integration", "event_transformer_api_inbound_integration",
    "keynote_inbound_integration", "nagios_inbound_integration", "pingdom_inbound_integration",
    "sql_monitor_inbound_integration",
})  # fmt: skip
MAX_PER_SERVICE = 100


def _self(service_id: str, integration_id: str) -> str:
    return f"{base_url()}/services/{service_id}/integrations/{integration_id}"


def full(service: Doc, item: Doc) -> Doc:
    out = {
        "id": item["id"], "type": item["type"], "summary": item["name"], "name": item["name"],
        "self": _self(service["id"], item["id"]),
        "html_url": f"https://sandbox.pagerduty.local/services/{service['id']}/integrations/{item['id']}",
        "service": {"id": service["id"], "type": "service_reference", "summary": service["name"],
                    "self": f"{base_url()}/services/{service['id']}"},
        "created_at": item["created_at"],
    }  # fmt: skip
    if item.get("integration_key"):
        out["integration_key"] = item["integration_key"]
    if item.get("integration_email"):
        out["integration_email"] = item["integration_email"]
    return out


def reference(service: Doc, item: Doc) -> Doc:
    return {"id": item["id"], "type": item["type"] + "_reference", "summary": item["name"],
            "self": _self(service["id"], item["id"]),
            "html_url": f"https://sandbox.pagerduty.local/services/{service['id']}/integrations/{item['id']}"}  # fmt: skip


def rendered(service: Doc) -> list[Doc]:
    """A service's integrations as its `integrations` field shows them."""
    items = service.get("integrations") or []
    if "integrations" not in includes():
        return [reference(service, item) for item in items]
    return [{**full(service, item), "type": item["type"] + "_reference"} for item in items]


def service_with_key(routing_key: str) -> Doc | None:
    for service in state().store.all("pd.service"):
        for item in service.get("integrations") or []:
            if item.get("integration_key") == routing_key and item["type"] in WITH_KEY:
                return service
    return None


def _fields(body: dict[str, Any]) -> tuple[str, str]:
    kind = body.get("type")
    if kind not in TYPES:
        raise pd_invalid("Integration type is not valid")
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise pd_invalid("Integration name must be a non-blank string")
    return str(kind), str(
        name or {"events_api_v2_inbound_integration": "Events API V2"}.get(kind, kind)
    )


@bp.post("/services/<sid>/integrations")
def create_integration(sid: str) -> Response:
    service = load("service", sid)
    kind, name = _fields(wrapped("integration"))
    items: list[Doc] = list(service.get("integrations") or [])
    if len(items) >= MAX_PER_SERVICE:
        raise pd_invalid("A service can have at most 100 integrations")
    item: Doc = {"id": new_id(), "type": kind, "name": name, "created_at": fmt(now())}
    if kind in WITH_KEY:
        item["integration_key"] = hashlib.sha256(f"{sid}/{item['id']}".encode()).hexdigest()[:32]
    if kind == "generic_email_inbound_integration":
        item["integration_email"] = f"{item['id'].lower()}@sandbox.pagerduty.local"
    service["integrations"] = [*items, item]
    state().store.put("pd.service", sid, service)
    return respond({"integration": full(service, item)}, 201)


def _find(service: Doc, iid: str) -> Doc:
    for item in service.get("integrations") or []:
        if item["id"] == iid:
            return dict(item)
    raise pd_not_found()


@bp.get("/services/<sid>/integrations/<iid>")
def get_integration(sid: str, iid: str) -> Response:
    service = load("service", sid)
    return respond({"integration": full(service, _find(service, iid))})


@bp.put("/services/<sid>/integrations/<iid>")
def update_integration(sid: str, iid: str) -> Response:
    service = load("service", sid)
    item = _find(service, iid)
    body = wrapped("integration")
    if "type" in body and body["type"] != item["type"]:
        raise pd_invalid("An integration's type cannot be changed")
    if "name" in body:
        item["name"] = _fields({"type": item["type"], "name": body["name"]})[1]
    service["integrations"] = [item if i["id"] == iid else i for i in service["integrations"]]
    state().store.put("pd.service", sid, service)
    return respond({"integration": full(service, item)})
