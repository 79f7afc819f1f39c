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
from opskit.sandbox.jira.paging import int_arg
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
    ("resolutiondate", "Resolved", "datetime"),
    ("duedate", "Due date", "date"),
]
# Read-only numbers (seconds) that JQL cannot search, flagged as Cloud flags them.
TIME_FIELDS = [
    ("timespent", "Time Spent", ["timespent"]),
    ("aggregatetimespent", "\u03a3 Time Spent", []),
]
MAX_USERS = 1000  # the most any user search answers at once, as in Cloud


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


def _window(users: list[Doc]) -> list[Doc | None]:
    start, size = int_arg("startAt", 0), int_arg("maxResults", 50, 0, MAX_USERS)
    return [user_json(u) for u in users[start : start + size]]


def _matching(query: str, account: str | None) -> list[Doc]:
    query = query.lower()
    return [
        u
        for u in state().store.all("jira.user")
        if (account and u["accountId"] == account)
        or (query and (query in u["emailAddress"].lower() or query in u["displayName"].lower()))
    ]


@bp.get("/user/search")
def user_search() -> Response:
    query = request.args.get("query") or ""
    if not query and not request.args.get("accountId"):
        raise JiraError(400, ["The query parameter 'query' or 'accountId' is required."])
    return respond(_window(_matching(query, request.args.get("accountId"))))


@bp.get("/user/assignable/search")
def assignable_search() -> Response:
    """Users who may be assigned issues of a project (every active user in the sandbox)."""
    from opskit.sandbox.jira.issue_model import find_issue
    from opskit.sandbox.jira.projects import find_project

    if request.args.get("issueKey") or request.args.get("issueId"):
        find_issue(str(request.args.get("issueKey") or request.args.get("issueId")))
    elif request.args.get("project"):
        find_project(str(request.args.get("project")))
    else:
        raise JiraError(400, ["One of 'issueKey', 'issueId' or 'project' is required."])
    query, account = request.args.get("query") or "", request.args.get("accountId")
    users = _matching(query, account) if query or account else state().store.all("jira.user")
    return respond(_window([u for u in users if u.get("active", True)]))


@bp.get("/users/search")
def all_users() -> Response:
    return respond(_window(state().store.all("jira.user")))


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
    system += [
        {"id": fid, "key": fid, "name": name, "custom": False, "orderable": False,
         "navigable": True, "searchable": False, "clauseNames": clauses,
         "schema": {"type": "number", "system": fid}}
        for fid, name, clauses in TIME_FIELDS
    ]  # fmt: skip
    return system + state().store.all("jira.field")


@bp.get("/field")
def fields() -> Response:
    return respond(all_fields())


def _schema(custom: str) -> Doc:
    """The JSON type of a custom field's values, from its type key (select when unknown)."""
    kind = custom.rpartition(":")[2]
    types: dict[str, Doc] = {
        "multiselect": {"type": "array", "items": "option"},
        "multicheckboxes": {"type": "array", "items": "option"},
        "textfield": {"type": "string"},
        "textarea": {"type": "string"},
        "float": {"type": "number"},
        "datepicker": {"type": "date"},
    }
    return {**types.get(kind, {"type": "option"}), "custom": custom}


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
        "schema": {**_schema(str(body.get("type", ""))), "customId": number},
    }
    state().store.put("jira.field", fid, doc)
    return respond(doc, 201)
