"""serverInfo, myself, users and fields."""

from __future__ import annotations

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import (
    body_object,
    jira_time,
    me,
    not_found,
    site,
    user_by_id,
    user_json,
)
from opskit.sandbox.state import now, state

bp = Blueprint("jira_platform", __name__)

SYSTEM_FIELDS = [
    ("summary", "Summary", "string"),
    ("description", "Description", "string"),
    ("status", "Status", "status"),
    ("priority", "Priority", "priority"),
    ("project", "Project", "project"),
    ("issuetype", "Issue Type", "issuetype"),
    ("created", "Created", "datetime"),
    ("updated", "Updated", "datetime"),
    ("reporter", "Reporter", "user"),
    ("assignee", "Assignee", "user"),
    ("components", "Components", "array"),
    ("labels", "Labels", "array"),
    ("comment", "Comment", "comments-page"),
    ("resolution", "Resolution", "resolution"),
]


@bp.get("/serverInfo")
def server_info() -> Response:
    return respond(
        {
            "baseUrl": site(),
            "version": "1001.0.0-SNAPSHOT",
            "versionNumbers": [1001, 0, 0],
            "deploymentType": "Cloud",
            "buildNumber": 100500,
            "buildDate": "2026-01-01T00:00:00.000+0000",
            "serverTime": jira_time(now()),
            "scmInfo": "sandbox",
            "serverTitle": "opskit sandbox",
        }
    )


@bp.get("/myself")
def myself() -> Response:
    return respond(user_json(me()))


@bp.get("/user/search")
def user_search() -> Response:
    query = (request.args.get("query") or "").lower()
    if not query and not request.args.get("accountId"):
        raise JiraError(400, ["The query parameter 'query' or 'accountId' is required."])
    wanted = request.args.get("accountId")
    users = [
        u
        for u in state().store.all("jira.user")
        if (wanted and u["accountId"] == wanted)
        or (query and (query in u["emailAddress"].lower() or query in u["displayName"].lower()))
    ]
    return respond([user_json(u) for u in users])


@bp.get("/user")
def get_user() -> Response:
    user = user_by_id(request.args.get("accountId"))
    if user is None:
        raise not_found("The user")
    return respond(user)


def field_json(doc: Doc) -> Doc:
    return doc


def all_fields() -> list[Doc]:
    system = [
        {
            "id": fid,
            "key": fid,
            "name": name,
            "custom": False,
            "orderable": True,
            "navigable": True,
            "searchable": True,
            "clauseNames": [fid],
            "schema": {"type": kind, "system": fid},
        }
        for fid, name, kind in SYSTEM_FIELDS
    ]
    return system + state().store.all("jira.field")


@bp.get("/field")
def fields() -> Response:
    return respond(all_fields())


@bp.post("/field")
def create_field() -> Response:
    body = body_object()
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise JiraError(400, [], {"name": "The custom field name must be provided."})
    number = 10100 + state().store.next_number("jira.field")
    fid = f"customfield_{number}"
    doc = {
        "id": fid,
        "key": fid,
        "name": name,
        "custom": True,
        "orderable": True,
        "navigable": True,
        "searchable": True,
        "clauseNames": [f"cf[{number}]", name],
        "schema": {"type": "option", "custom": str(body.get("type", "")), "customId": number},
    }
    state().store.put("jira.field", fid, doc)
    return respond(doc, 201)
