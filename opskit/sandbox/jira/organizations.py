"""Jira Service Management organisations, their members and properties."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JsmError
from opskit.sandbox.jira.common import body_json, body_object, site
from opskit.sandbox.jira.paging import jsm_page
from opskit.sandbox.state import state

bp = Blueprint("jsm_organizations", __name__, url_prefix="/rest/servicedeskapi")


def jsm_links(path: str) -> Doc:
    return {"self": f"{site()}/rest/servicedeskapi{path}"}


def find_org(org_id: str) -> Doc:
    doc = state().store.get("jsm.org", org_id)
    if doc is None:
        raise JsmError(
            404,
            f"Organization with id {org_id} does not exist.",
            "sd.admin.organization.error.not.found",
        )
    return doc


def org_json(doc: Doc) -> Doc:
    return {"id": doc["id"], "name": doc["name"], "_links": jsm_links(f"/organization/{doc['id']}")}


@bp.get("/organization")
def list_orgs() -> Response:
    return respond(jsm_page([org_json(o) for o in state().store.all("jsm.org")]))


@bp.post("/organization")
def create_org() -> Response:
    name = body_object(jsm=True).get("name")
    if not isinstance(name, str) or not name.strip():
        raise JsmError(400, "The organization name must not be empty.")
    if any(o["name"].lower() == name.lower() for o in state().store.all("jsm.org")):
        raise JsmError(
            400,
            f"An organization with name '{name}' already exists.",
            "sd.admin.organization.error.name.exists",
        )
    doc: Doc = {
        "id": str(state().store.next_number("jsm.org")),
        "name": name,
        "members": [],
        "properties": {},
    }
    state().store.put("jsm.org", doc["id"], doc)
    return respond(org_json(doc), 201)


@bp.get("/organization/<org_id>")
def get_org(org_id: str) -> Response:
    return respond(org_json(find_org(org_id)))


@bp.delete("/organization/<org_id>")
def delete_org(org_id: str) -> Response:
    find_org(org_id)
    state().store.delete("jsm.org", org_id)
    return Response(status=204)


@bp.get("/organization/<org_id>/user")
def org_users(org_id: str) -> Response:
    members = [state().store.get("jira.user", a) for a in find_org(org_id)["members"]]
    return respond(jsm_page([jsm_user(m) for m in members if m]))


def jsm_user(doc: Doc) -> Doc:
    rest = f"{site()}/rest/api/2/user?accountId={doc['accountId']}"
    return {
        "accountId": doc["accountId"],
        "displayName": doc["displayName"],
        "emailAddress": doc["emailAddress"],
        "active": doc["active"],
        "timeZone": doc["timeZone"],
        "_links": {"jiraRest": rest, "self": rest},
    }


def _account_ids() -> list[str]:
    body = body_object(jsm=True)
    ids = body.get("accountIds")
    if not isinstance(ids, list) or not all(isinstance(a, str) for a in ids):
        raise JsmError(400, "accountIds must be a list of account ids.")
    unknown = [a for a in ids if state().store.get("jira.user", a) is None]
    if unknown:
        raise JsmError(400, f"The user {unknown[0]} does not exist.")
    return ids


@bp.post("/organization/<org_id>/user")
def add_org_users(org_id: str) -> Response:
    doc = find_org(org_id)
    doc["members"] = list(dict.fromkeys(doc["members"] + _account_ids()))
    state().store.put("jsm.org", org_id, doc)
    return Response(status=204)


@bp.delete("/organization/<org_id>/user")
def remove_org_users(org_id: str) -> Response:
    doc = find_org(org_id)
    gone = set(_account_ids())
    doc["members"] = [m for m in doc["members"] if m not in gone]
    state().store.put("jsm.org", org_id, doc)
    return Response(status=204)


@bp.get("/organization/<org_id>/property")
def org_property_keys(org_id: str) -> Response:
    keys = sorted(find_org(org_id)["properties"])
    return respond(
        {
            "keys": [
                {"key": k, "self": jsm_links(f"/organization/{org_id}/property/{k}")["self"]}
                for k in keys
            ]
        }
    )


@bp.get("/organization/<org_id>/property/<key>")
def get_org_property(org_id: str, key: str) -> Response:
    props = find_org(org_id)["properties"]
    if key not in props:
        raise JsmError(404, f"The property '{key}' does not exist.")
    return respond({"key": key, "value": props[key]})


@bp.put("/organization/<org_id>/property/<key>")
def put_org_property(org_id: str, key: str) -> Response:
    doc = find_org(org_id)
    value: Any = body_json(jsm=True)
    if not request.get_data(cache=True):
        raise JsmError(400, "The property value must be given as the request body.")
    created = key not in doc["properties"]
    doc["properties"][key] = value
    state().store.put("jsm.org", org_id, doc)
    return respond({"key": key, "value": value}, 201 if created else 200)


@bp.delete("/organization/<org_id>/property/<key>")
def delete_org_property(org_id: str, key: str) -> Response:
    doc = find_org(org_id)
    if key not in doc["properties"]:
        raise JsmError(404, f"The property '{key}' does not exist.")
    del doc["properties"][key]
    state().store.put("jsm.org", org_id, doc)
    return Response(status=204)
