"""Projects; a service_desk project also gets its JSM service desk."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import api_root, body_object, not_found, user_by_id
from opskit.sandbox.jira.paging import page_bean
from opskit.sandbox.state import state

bp = Blueprint("jira_projects", __name__)
KEY = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


def find_project(id_or_key: str) -> Doc:
    for p in state().store.all("jira.project"):
        if id_or_key in (p["id"], p["key"]):
            return p
    raise not_found(f"No project could be found with key '{id_or_key}'.")


def project_json(doc: Doc, issue_types: bool = False) -> Doc:
    """A project; ``issue_types`` adds the types it offers (always on a single project,
    with ``expand=issueTypes`` on lists, as in Cloud)."""
    out: Doc = {
        "self": f"{api_root()}/project/{doc['id']}",
        "id": doc["id"],
        "key": doc["key"],
        "name": doc["name"],
        "description": doc.get("description", ""),
        "projectTypeKey": doc["projectTypeKey"],
        "simplified": False,
        "style": "classic",
        "components": [component_json(c) for c in components_of(doc["id"])],
    }
    lead = user_by_id(doc.get("leadAccountId"))
    if lead:
        out["lead"] = lead
    if issue_types or "issueTypes" in request.args.get("expand", "").split(","):
        from opskit.sandbox.jira.issuetypes import project_types, type_json

        out["issueTypes"] = [type_json(t) for t in project_types(doc)]
    return out


@bp.get("/project")
def list_projects() -> Response:
    return respond([project_json(p) for p in state().store.all("jira.project")])


@bp.get("/project/search")
def search_projects() -> Response:
    items = [project_json(p) for p in state().store.all("jira.project")]
    return respond(page_bean(items, "/project/search"))


@bp.post("/project")
def create_project() -> Response:
    body = body_object()
    errors = {}
    key, name = body.get("key"), body.get("name")
    if not isinstance(key, str) or not KEY.match(key):
        errors["projectKey"] = (
            "Project keys must start with an uppercase letter, followed by "
            "one or more uppercase alphanumeric characters."
        )
    elif any(p["key"] == key for p in state().store.all("jira.project")):
        errors["projectKey"] = f"Project '{key}' uses this project key."
    if not isinstance(name, str) or not name.strip():
        errors["projectName"] = "You must specify a valid project name."
    if body.get("projectTypeKey") not in ("software", "service_desk", "business"):
        errors["projectTypeKey"] = "A valid project type key is required."
    if not isinstance(body.get("leadAccountId"), str | None):
        errors["projectLead"] = "The project lead must be given by account id."
    if errors:
        raise JiraError(400, [], errors)
    doc = {
        "id": str(10000 + state().store.next_number("jira.project")),
        "key": key,
        "name": name,
        "projectTypeKey": body["projectTypeKey"],
        "description": str(body.get("description") or ""),
        "leadAccountId": body.get("leadAccountId"),
    }
    state().store.put("jira.project", doc["id"], doc)
    if doc["projectTypeKey"] == "service_desk":
        sd_id = str(state().store.next_number("jsm.servicedesk"))
        state().store.put(
            "jsm.servicedesk", sd_id, {"id": sd_id, "projectId": doc["id"], "organizations": []}
        )
    return respond(
        {"self": f"{api_root()}/project/{doc['id']}", "id": int(doc["id"]), "key": key}, 201
    )


@bp.get("/project/<id_or_key>")
def get_project(id_or_key: str) -> Response:
    return respond(project_json(find_project(id_or_key), issue_types=True))


@bp.put("/project/<id_or_key>")
def update_project(id_or_key: str) -> Response:
    doc = find_project(id_or_key)
    body = body_object()
    for key in ("name", "description", "leadAccountId"):
        if key in body:
            if not isinstance(body[key], str):
                raise JiraError(400, [], {key: f"{key} must be a string."})
            doc[key] = body[key]
    state().store.put("jira.project", doc["id"], doc)
    return respond(project_json(doc))


@bp.delete("/project/<id_or_key>")
def delete_project(id_or_key: str) -> Response:
    doc = find_project(id_or_key)
    state().store.delete("jira.project", doc["id"])
    return Response(status=204)


def components_of(project_id: str) -> list[Doc]:
    return [c for c in state().store.all("jira.component") if c["projectId"] == project_id]


def component_json(doc: Doc) -> Doc:
    out: dict[str, Any] = {
        "self": f"{api_root()}/component/{doc['id']}",
        "id": doc["id"],
        "name": doc["name"],
        "description": doc.get("description", ""),
        "project": doc["project"],
        "projectId": int(doc["projectId"]),
        "assigneeType": doc.get("assigneeType", "PROJECT_DEFAULT"),
        "isAssigneeTypeValid": True,
    }
    lead = user_by_id(doc.get("leadAccountId"))
    if lead:
        out["lead"] = lead
    return out
