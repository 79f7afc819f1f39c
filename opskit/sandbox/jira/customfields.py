"""Custom field contexts and select options (no calls for these in the jira client)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import body_object, not_found
from opskit.sandbox.jira.paging import page_bean
from opskit.sandbox.state import state

bp = Blueprint("jira_customfields", __name__)


def _field(field_id: str) -> Doc:
    doc = state().store.get("jira.field", field_id)
    if doc is None:
        raise not_found(f"The custom field {field_id}")
    return doc


def _context(field_id: str, context_id: str) -> Doc:
    _field(field_id)
    doc = state().store.get("jira.context", context_id)
    if doc is None or doc["fieldId"] != field_id:
        raise not_found(f"The context {context_id}")
    return doc


def _context_json(doc: Doc) -> Doc:
    return {
        "id": doc["id"],
        "name": doc["name"],
        "description": doc.get("description", ""),
        "isGlobalContext": not doc["projectIds"],
        "isAnyIssueType": not doc["issueTypeIds"],
    }


def _string_list(body: dict[str, Any], key: str) -> list[str]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise JiraError(400, [], {key: f"{key} must be a list of ids."})
    return [str(v) for v in value]


@bp.get("/field/<field_id>/context")
def list_contexts(field_id: str) -> Response:
    _field(field_id)
    items = [
        _context_json(c) for c in state().store.all("jira.context") if c["fieldId"] == field_id
    ]
    return respond(page_bean(items, f"/field/{field_id}/context"))


@bp.post("/field/<field_id>/context")
def create_context(field_id: str) -> Response:
    _field(field_id)
    body = body_object()
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise JiraError(400, [], {"name": "The context name must be provided."})
    doc = {
        "id": str(10100 + state().store.next_number("jira.context")),
        "fieldId": field_id,
        "name": body["name"],
        "description": str(body.get("description") or ""),
        "projectIds": _string_list(body, "projectIds"),
        "issueTypeIds": _string_list(body, "issueTypeIds"),
    }
    state().store.put("jira.context", doc["id"], doc)
    return respond(
        {
            "id": doc["id"],
            "name": doc["name"],
            "description": doc["description"],
            "projectIds": doc["projectIds"],
            "issueTypeIds": doc["issueTypeIds"],
        },
        201,
    )


def _options(context_id: str) -> list[Doc]:
    return [o for o in state().store.all("jira.option") if o["contextId"] == context_id]


def _option_json(doc: Doc) -> Doc:
    return {"id": doc["id"], "value": doc["value"], "disabled": doc["disabled"]}


@bp.get("/field/<field_id>/context/<context_id>/option")
def list_options(field_id: str, context_id: str) -> Response:
    _context(field_id, context_id)
    items = [_option_json(o) for o in _options(context_id)]
    return respond(page_bean(items, f"/field/{field_id}/context/{context_id}/option", 100))


def _option_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    options = body.get("options")
    if (
        not isinstance(options, list)
        or not options
        or not all(isinstance(o, dict) and isinstance(o.get("value", ""), str) for o in options)
    ):
        raise JiraError(400, [], {"options": "Options must be a list of {value, disabled}."})
    return options


@bp.post("/field/<field_id>/context/<context_id>/option")
def create_options(field_id: str, context_id: str) -> Response:
    _context(field_id, context_id)
    existing = {o["value"].lower() for o in _options(context_id)}
    created = []
    for item in _option_items(body_object()):
        value = item.get("value")
        if not isinstance(value, str) or not value.strip() or value.lower() in existing:
            raise JiraError(400, [f"The option value '{value}' is empty or not unique."])
        existing.add(value.lower())
        doc: Doc = {
            "id": str(10200 + state().store.next_number("jira.option")),
            "contextId": context_id,
            "value": value,
            "disabled": bool(item.get("disabled", False)),
        }
        state().store.put("jira.option", doc["id"], doc)
        created.append(_option_json(doc))
    return respond({"options": created})


@bp.put("/field/<field_id>/context/<context_id>/option")
def update_options(field_id: str, context_id: str) -> Response:
    _context(field_id, context_id)
    updated = []
    for item in _option_items(body_object()):
        doc = state().store.get("jira.option", str(item.get("id")))
        if doc is None or doc["contextId"] != context_id:
            raise not_found(f"The option {item.get('id')}")
        if isinstance(item.get("value"), str):
            doc["value"] = item["value"]
        if isinstance(item.get("disabled"), bool):
            doc["disabled"] = item["disabled"]
        state().store.put("jira.option", doc["id"], doc)
        updated.append(_option_json(doc))
    return respond({"options": updated})
