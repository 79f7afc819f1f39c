"""Priority schemes: which priorities a project offers (Jira Cloud's /priorityscheme).

A project belongs to one scheme at a time: adding it to a scheme takes it out of
the one it was in. The site's default scheme is not emulated.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import api_root, body_object, not_found
from opskit.sandbox.jira.paging import page_bean
from opskit.sandbox.state import state

bp = Blueprint("jira_priorityschemes", __name__)
KIND = "jira.priorityscheme"


def _ids(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise JiraError(400, [], {key: f"{key} must be a list of ids."})
    return [str(v) for v in value]


def _check(doc: Doc) -> None:
    known = {p["id"] for p in state().store.all("jira.priority")}
    unknown = [p for p in doc["priorityIds"] if p not in known]
    if unknown:
        raise JiraError(
            400, [], {"priorityIds": f"The priority with ID {unknown[0]} does not exist."}
        )
    if doc["defaultPriorityId"] not in doc["priorityIds"]:
        raise JiraError(
            400,
            [],
            {"defaultPriorityId": "The default priority must be one of the scheme's priorities."},
        )
    projects = {p["id"] for p in state().store.all("jira.project")}
    missing = [p for p in doc["projectIds"] if p not in projects]
    if missing:
        raise JiraError(
            400, [], {"projectIds": f"The project with ID {missing[0]} does not exist."}
        )
    if not isinstance(doc.get("name"), str) or not doc["name"].strip():
        raise JiraError(400, [], {"name": "The priority scheme name must be provided."})
    if any(
        s["name"].lower() == doc["name"].lower() and s["id"] != doc.get("id")
        for s in state().store.all(KIND)
    ):
        raise JiraError(409, [f"A priority scheme with the name {doc['name']} already exists."])


def _claim_projects(doc: Doc) -> None:
    for other in state().store.all(KIND):
        if other["id"] != doc["id"] and set(other["projectIds"]) & set(doc["projectIds"]):
            other["projectIds"] = [p for p in other["projectIds"] if p not in doc["projectIds"]]
            state().store.put(KIND, other["id"], other)


def _scheme_json(doc: Doc, expand: set[str]) -> Doc:
    out: Doc = {
        "self": f"{api_root()}/priorityscheme/{doc['id']}",
        "id": doc["id"],
        "name": doc["name"],
        "description": doc.get("description", ""),
        "defaultPriorityId": doc["defaultPriorityId"],
        "default": False,  # the site's default scheme (not emulated) says True
    }
    if "priorities" in expand:
        found = [state().store.get("jira.priority", p) for p in doc["priorityIds"]]
        out["priorities"] = _page([
            {**p, "sequence": str(n), "isDefault": p["id"] == doc["defaultPriorityId"]}
            for n, p in enumerate(found) if p
        ])  # fmt: skip
    if "projects" in expand:
        projects = [state().store.get("jira.project", p) for p in doc["projectIds"]]
        out["projects"] = _page([
            {"id": p["id"], "key": p["key"], "name": p["name"], "projectTypeKey": p["projectTypeKey"]}
            for p in projects if p
        ])  # fmt: skip
    return out


def _page(values: list[Doc]) -> Doc:
    return {"startAt": 0, "maxResults": 50, "total": len(values), "isLast": True, "values": values}


@bp.get("/priorityscheme")
def list_schemes() -> Response:
    expand = set((request.args.get("expand") or "").split(","))
    wanted = set(request.args.getlist("schemeId"))
    items = [s for s in state().store.all(KIND) if not wanted or s["id"] in wanted]
    return respond(page_bean([_scheme_json(s, expand) for s in items], "/priorityscheme"))


@bp.post("/priorityscheme")
def create_scheme() -> Response:
    body = body_object()
    doc: Doc = {
        "id": str(10000 + state().store.next_number(KIND)),
        "name": body.get("name"),
        "description": str(body.get("description") or ""),
        "priorityIds": _ids(body.get("priorityIds"), "priorityIds"),
        "projectIds": _ids(body.get("projectIds", []), "projectIds"),
        "defaultPriorityId": str(body.get("defaultPriorityId")),
    }
    _check(doc)
    state().store.put(KIND, doc["id"], doc)
    _claim_projects(doc)
    return respond({"id": doc["id"]}, 201)


def _change(current: list[str], change: Any, key: str) -> list[str]:
    if change is None:
        return current
    if not isinstance(change, dict):
        raise JiraError(400, [], {key: f"{key} must be an object with add and remove."})
    parts = {part: change.get(part) or {} for part in ("add", "remove")}
    if not all(isinstance(p, dict) for p in parts.values()):
        raise JiraError(400, [], {key: f"{key}.add and {key}.remove must be objects with ids."})
    added = _ids(parts["add"].get("ids", []), key)
    removed = set(_ids(parts["remove"].get("ids", []), key))
    return [i for i in dict.fromkeys(current + added) if i not in removed]


@bp.put("/priorityscheme/<scheme_id>")
def update_scheme(scheme_id: str) -> Response:
    current = state().store.get(KIND, scheme_id)
    if current is None:
        raise not_found(f"The priority scheme with ID {scheme_id}")
    body = body_object()
    doc = dict(current)
    for key in ("name", "description"):
        if key in body:
            if not isinstance(body[key], str):
                raise JiraError(400, [], {key: f"{key} must be a string."})
            doc[key] = body[key]
    if "defaultPriorityId" in body:
        doc["defaultPriorityId"] = str(body["defaultPriorityId"])
    doc["priorityIds"] = _change(doc["priorityIds"], body.get("priorities"), "priorities")
    doc["projectIds"] = _change(doc["projectIds"], body.get("projects"), "projects")
    _check(doc)
    state().store.put(KIND, scheme_id, doc)
    _claim_projects(doc)
    return respond({"priorityScheme": _scheme_json(doc, {"priorities", "projects"})}, 202)


@bp.delete("/priorityscheme/<scheme_id>")
def delete_scheme(scheme_id: str) -> Response:
    if state().store.get(KIND, scheme_id) is None:
        raise not_found(f"The priority scheme with ID {scheme_id}")
    state().store.delete(KIND, scheme_id)
    return Response(status=204)
