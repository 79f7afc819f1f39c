"""Users, found by `query` (name or email), with include[] of their teams."""

from __future__ import annotations

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import PdError, pd_invalid
from opskit.sandbox.pagerduty.common import (
    decorate,
    load,
    need_from,
    need_str,
    new_id,
    ref,
    related,
    wrapped,
    zone,
)
from opskit.sandbox.pagerduty.contact import user_contacts
from opskit.sandbox.pagerduty.paging import RENDERERS, expand, id_filter, page
from opskit.sandbox.state import state

bp = Blueprint("pd_users", __name__)
ROLES = {
    "admin",
    "limited_user",
    "observer",
    "owner",
    "read_only_user",
    "restricted_access",
    "read_only_limited_user",
    "user",
}


def render_user(doc: Doc) -> Doc:
    out = decorate("user", doc)
    out["teams"] = [
        ref("team", t["id"])
        for t in related("pd.team")
        if any(m["user_id"] == doc["id"] for m in t.get("members", []))
    ]
    out |= user_contacts(doc["id"])
    return out


@bp.get("/users")
def list_users() -> Response:
    users = state().store.all("pd.user")
    query = request.args.get("query", "").lower()
    if query:
        users = [u for u in users if query in u["name"].lower() or query in u["email"].lower()]
    teams = id_filter("team_ids")
    if teams:
        members = {
            m["user_id"]
            for t in state().store.all("pd.team")
            if t["id"] in teams
            for m in t.get("members", [])
        }
        users = [u for u in users if u["id"] in members]
    return respond(page(users, "users", render_user))


@bp.get("/users/me")
def me() -> Response:
    raise PdError(
        400,
        "Because this request was made using an account-level access token, we were unable "
        "to determine the user's identity. Please use a user-level token.",
        2001,
    )


@bp.get("/users/<uid>")
def get_user(uid: str) -> Response:
    return respond({"user": expand(render_user(load("user", uid)))})


@bp.post("/users")
def create_user() -> Response:
    need_from()
    body = wrapped("user")
    email = need_str(body, "email") or ""
    if "@" not in email:
        raise pd_invalid("Email is invalid")
    if any(u["email"].lower() == email.lower() for u in state().store.all("pd.user")):
        raise pd_invalid("Email has already been taken")
    role = body.get("role", "user")
    if not isinstance(role, str) or role not in ROLES:
        raise pd_invalid("Role is invalid")
    tz = body.get("time_zone", "Etc/UTC")
    zone(tz)
    doc = {
        "id": new_id(),
        "name": need_str(body, "name"),
        "email": email,
        "role": role,
        "time_zone": tz,
        "description": body.get("description"),
        "job_title": None,
    }
    state().store.put("pd.user", doc["id"], doc)
    return respond({"user": render_user(doc)}, 201)


RENDERERS["user"] = render_user
