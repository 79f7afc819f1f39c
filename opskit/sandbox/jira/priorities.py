"""Priorities: list, search, create and update (the jira client has no create call)."""

from __future__ import annotations

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import api_root, body_object, not_found, site
from opskit.sandbox.jira.paging import page_bean
from opskit.sandbox.state import state

bp = Blueprint("jira_priorities", __name__)


def _priority_json(doc: Doc) -> Doc:
    return {"self": f"{api_root()}/priority/{doc['id']}", **doc}


@bp.get("/priority")
def priorities() -> Response:
    return respond([_priority_json(p) for p in state().store.all("jira.priority")])


@bp.get("/priority/search")
def priority_search() -> Response:
    items = [_priority_json(p) for p in state().store.all("jira.priority")]
    return respond(page_bean(items, "/priority/search"))


@bp.get("/priority/<pid>")
def priority(pid: str) -> Response:
    doc = state().store.get("jira.priority", pid)
    if doc is None:
        raise not_found(f"The priority with ID {pid}")
    return respond(_priority_json(doc))


def _priority_fields(body: dict[str, object], current: Doc | None) -> Doc:
    out = dict(current or {})
    errors = {}
    for key in ("name", "statusColor"):
        if key in body or current is None:
            value = body.get(key)
            if not isinstance(value, str) or not value.strip():
                errors[key] = f"The {key} must be provided."
            else:
                out[key] = value
    if isinstance(out.get("name"), str) and any(
        p["name"].lower() == str(out["name"]).lower() and p["id"] != out.get("id")
        for p in state().store.all("jira.priority")
    ):
        errors["name"] = "A priority with this name already exists."
    description = body.get("description")
    if isinstance(description, str) and len(description) > 255:
        errors["description"] = "The description must not be longer than 255 characters."
    if errors:
        raise JiraError(400, [], errors)
    for key in ("description", "iconUrl"):
        if isinstance(body.get(key), str):
            out[key] = body[key]
    out.setdefault("iconUrl", f"{site()}/images/icons/priorities/medium.svg")
    return out


@bp.post("/priority")
def create_priority() -> Response:
    doc = _priority_fields(body_object(), None)
    doc["id"] = str(10000 + state().store.next_number("jira.priority"))
    state().store.put("jira.priority", doc["id"], doc)
    return respond({"id": doc["id"]}, 201)


@bp.put("/priority/<pid>")
def update_priority(pid: str) -> Response:
    current = state().store.get("jira.priority", pid)
    if current is None:
        raise not_found(f"The priority with ID {pid}")
    state().store.put("jira.priority", pid, _priority_fields(body_object(), current))
    return Response(status=204)
