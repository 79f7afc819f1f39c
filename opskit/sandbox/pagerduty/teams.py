"""Teams and team memberships."""

from __future__ import annotations

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid, pd_not_found
from opskit.sandbox.pagerduty.common import (
    check_ref,
    decorate,
    json_object,
    load,
    need_str,
    new_id,
    ref,
    wrapped,
)
from opskit.sandbox.pagerduty.paging import RENDERERS, page
from opskit.sandbox.state import state

bp = Blueprint("pd_teams", __name__)


TEAM_ROLES = {"observer", "responder", "manager"}


def render_team(doc: Doc) -> Doc:
    out = decorate("team", {k: v for k, v in doc.items() if k != "members"})
    return out


@bp.get("/teams")
def list_teams() -> Response:
    teams = state().store.all("pd.team")
    query = request.args.get("query", "").lower()
    if query:
        teams = [t for t in teams if query in t["name"].lower()]
    return respond(page(teams, "teams", render_team))


@bp.post("/teams")
def create_team() -> Response:
    body = wrapped("team")
    name = need_str(body, "name")
    if any(t["name"] == name for t in state().store.all("pd.team")):
        raise pd_invalid("Name has already been taken")
    doc: Doc = {
        "id": new_id(),
        "name": name,
        "description": need_str(body, "description", required=False),
        "members": [],
    }
    state().store.put("pd.team", doc["id"], doc)
    return respond({"team": render_team(doc)}, 201)


@bp.get("/teams/<tid>")
def get_team(tid: str) -> Response:
    return respond({"team": render_team(load("team", tid))})


@bp.put("/teams/<tid>")
def update_team(tid: str) -> Response:
    doc = load("team", tid)
    body = wrapped("team")
    if "name" in body:
        doc["name"] = need_str(body, "name")
    if "description" in body:
        doc["description"] = need_str(body, "description", required=False)
    state().store.put("pd.team", tid, doc)
    return respond({"team": render_team(doc)})


@bp.delete("/teams/<tid>")
def delete_team(tid: str) -> Response:
    load("team", tid)
    state().store.delete("pd.team", tid)
    return Response(status=204)


@bp.get("/teams/<tid>/members")
def team_members(tid: str) -> Response:
    doc = load("team", tid)
    members = [{"id": m["user_id"], **m} for m in doc.get("members", [])]
    return respond(
        page(members, "members", lambda m: {"user": ref("user", m["user_id"]), "role": m["role"]})
    )


@bp.put("/teams/<tid>/users/<uid>")
def add_member(tid: str, uid: str) -> Response:
    doc = load("team", tid)
    check_ref({"id": uid, "type": "user_reference"}, "user", "user")
    role = "manager"
    if request.get_data():
        body = json_object()
        if not isinstance(body, dict):
            raise pd_invalid("body must be an object")
        role = body.get("role", role)
    if not isinstance(role, str) or role not in TEAM_ROLES:
        raise pd_invalid("role must be one of observer, responder, manager")
    members = [m for m in doc.get("members", []) if m["user_id"] != uid]
    members.append({"user_id": uid, "role": role})
    doc["members"] = members
    state().store.put("pd.team", tid, doc)
    return Response(status=204)


@bp.delete("/teams/<tid>/users/<uid>")
def remove_member(tid: str, uid: str) -> Response:
    doc = load("team", tid)
    members = doc.get("members", [])
    if not any(m["user_id"] == uid for m in members):
        raise pd_not_found()
    doc["members"] = [m for m in members if m["user_id"] != uid]
    state().store.put("pd.team", tid, doc)
    return Response(status=204)


RENDERERS["team"] = render_team
