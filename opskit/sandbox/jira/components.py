"""Components; the client updates and deletes them through their ``self`` links."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import body_object, not_found
from opskit.sandbox.jira.projects import component_json, components_of, find_project
from opskit.sandbox.state import state

bp = Blueprint("jira_components", __name__)
ASSIGNEE_TYPES = ("PROJECT_DEFAULT", "COMPONENT_LEAD", "PROJECT_LEAD", "UNASSIGNED")


@bp.get("/project/<id_or_key>/components")
def project_components(id_or_key: str) -> Response:
    project = find_project(id_or_key)
    return respond([component_json(c) for c in components_of(project["id"])])


def _component_doc(body: dict[str, Any], doc: Doc) -> Doc:
    for key in ("name", "description", "leadAccountId"):
        if key in body and body[key] is not None and not isinstance(body[key], str):
            raise JiraError(400, [], {key: f"{key} must be a string."})
        if key in body:
            doc[key] = body[key]
    if "assigneeType" in body:
        if body["assigneeType"] not in ASSIGNEE_TYPES:
            raise JiraError(400, [], {"assigneeType": "The assignee type is not valid."})
        doc["assigneeType"] = body["assigneeType"]
    if not isinstance(doc.get("name"), str) or not doc["name"].strip():
        raise JiraError(400, [], {"name": "The component name must not be empty."})
    clash = [
        c
        for c in components_of(doc["projectId"])
        if c["name"].lower() == doc["name"].lower() and c["id"] != doc.get("id")
    ]
    if clash:
        raise JiraError(
            400,
            [],
            {"name": f"A component with the name {doc['name']} already exists in this project."},
        )
    return doc


@bp.post("/component")
def create_component() -> Response:
    body = body_object()
    if not isinstance(body.get("project"), str):
        raise JiraError(400, [], {"project": "The project must be given by key."})
    project = find_project(body["project"])
    doc = _component_doc(body, {"project": project["key"], "projectId": project["id"]})
    doc["id"] = str(10000 + state().store.next_number("jira.component"))
    state().store.put("jira.component", doc["id"], doc)
    return respond(component_json(doc), 201)


def _component(cid: str) -> Doc:
    doc = state().store.get("jira.component", cid)
    if doc is None:
        raise not_found(f"The component with id {cid}")
    return doc


@bp.get("/component/<cid>")
def get_component(cid: str) -> Response:
    return respond(component_json(_component(cid)))


@bp.put("/component/<cid>")
def update_component(cid: str) -> Response:
    doc = _component_doc(body_object(), _component(cid))
    state().store.put("jira.component", cid, doc)
    return respond(component_json(doc))


@bp.delete("/component/<cid>")
def delete_component(cid: str) -> Response:
    _component(cid)
    state().store.delete("jira.component", cid)
    return Response(status=204)
