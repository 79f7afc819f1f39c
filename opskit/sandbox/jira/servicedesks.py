"""Service desks and linking organisations to them."""

from __future__ import annotations

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JsmError
from opskit.sandbox.jira.common import body_object
from opskit.sandbox.jira.organizations import find_org, jsm_links, org_json
from opskit.sandbox.jira.paging import jsm_page
from opskit.sandbox.state import state

bp = Blueprint("jsm_servicedesks", __name__, url_prefix="/rest/servicedeskapi")


@bp.get("/info")
def info() -> Response:
    return respond(
        {
            "version": "10.0.0",
            "platformVersion": "1001.0.0",
            "buildChangeSet": "sandbox",
            "isLicensedForUse": True,
            "_links": jsm_links("/info"),
        }
    )


def _desk(desk_id: str) -> Doc:
    doc = state().store.get("jsm.servicedesk", desk_id)
    if doc is None:
        raise JsmError(404, f"Service desk {desk_id} does not exist.")
    return doc


def desk_json(doc: Doc) -> Doc:
    project = state().store.get("jira.project", doc["projectId"]) or {}
    return {
        "id": doc["id"],
        "projectId": doc["projectId"],
        "projectKey": project.get("key"),
        "projectName": project.get("name"),
        "_links": jsm_links(f"/servicedesk/{doc['id']}"),
    }


@bp.get("/servicedesk")
def list_desks() -> Response:
    return respond(jsm_page([desk_json(d) for d in state().store.all("jsm.servicedesk")]))


@bp.get("/servicedesk/<desk_id>")
def get_desk(desk_id: str) -> Response:
    return respond(desk_json(_desk(desk_id)))


@bp.get("/servicedesk/<desk_id>/organization")
def desk_orgs(desk_id: str) -> Response:
    orgs = [state().store.get("jsm.org", o) for o in _desk(desk_id)["organizations"]]
    return respond(jsm_page([org_json(o) for o in orgs if o]))


def _org_id() -> str:
    value = body_object(jsm=True).get("organizationId")
    if isinstance(value, bool) or not isinstance(value, int):
        raise JsmError(400, "organizationId must be an integer.")
    return str(find_org(str(value))["id"])


@bp.post("/servicedesk/<desk_id>/organization")
def link_org(desk_id: str) -> Response:
    desk = _desk(desk_id)
    org_id = _org_id()
    if org_id not in desk["organizations"]:
        desk["organizations"].append(org_id)
        state().store.put("jsm.servicedesk", desk_id, desk)
    return Response(status=204)


@bp.delete("/servicedesk/<desk_id>/organization")
def unlink_org(desk_id: str) -> Response:
    desk = _desk(desk_id)
    org_id = _org_id()
    desk["organizations"] = [o for o in desk["organizations"] if o != org_id]
    state().store.put("jsm.servicedesk", desk_id, desk)
    return Response(status=204)
