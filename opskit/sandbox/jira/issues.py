"""Issues: create, read (fields, expand=changelog), edit, delete, comments, transitions."""

from __future__ import annotations

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.common import (
    api_root,
    body_object,
    jira_time,
    me,
)
from opskit.sandbox.jira.issue_json import comment_json, issue_json
from opskit.sandbox.jira.issue_model import (
    add_comment,
    apply_fields,
    create,
    find_issue,
    transition,
)
from opskit.sandbox.jira.paging import int_arg
from opskit.sandbox.state import now, state

bp = Blueprint("jira_issues", __name__)


@bp.post("/issue")
def create_issue() -> Response:
    body = body_object()
    fields = body.get("fields")
    if not isinstance(fields, dict):
        raise JiraError(400, ["The request must contain a fields object."])
    issue = create(dict(fields), me()["accountId"], now())
    return respond(
        {"id": issue["id"], "key": issue["key"], "self": f"{api_root()}/issue/{issue['id']}"}, 201
    )


@bp.get("/issue/<key>")
def get_issue(key: str) -> Response:
    wanted = request.args.get("fields")
    fields = None if not wanted or wanted in ("*all", "*navigable") else set(wanted.split(","))
    return respond(issue_json(find_issue(key), fields, request.args.get("expand", "")))


@bp.put("/issue/<key>")
def edit_issue(key: str) -> Response:
    issue = find_issue(key)
    body = body_object()
    fields = body.get("fields", {})
    if not isinstance(fields, dict):
        raise JiraError(400, ["fields must be an object."])
    wf.record_change(issue, me()["accountId"], now(), apply_fields(issue, fields))
    issue["updated"] = jira_time(now())
    state().store.put("jira.issue", issue["key"], issue)
    return Response(status=204)


@bp.delete("/issue/<key>")
def delete_issue(key: str) -> Response:
    state().store.delete("jira.issue", find_issue(key)["key"])
    return Response(status=204)


@bp.get("/issue/<key>/comment")
def list_comments(key: str) -> Response:
    issue = find_issue(key)
    comments = [comment_json(issue, c) for c in issue.get("comments", [])]
    start, size = int_arg("startAt", 0), int_arg("maxResults", 50, 1, 100)
    return respond(
        {
            "startAt": start,
            "maxResults": size,
            "total": len(comments),
            "comments": comments[start : start + size],
        }
    )


@bp.post("/issue/<key>/comment")
def post_comment(key: str) -> Response:
    issue = find_issue(key)
    body = body_object()
    if not isinstance(body.get("body"), str) or not body["body"].strip():
        raise JiraError(400, [], {"comment": "Comment body can not be empty!"})
    comment = add_comment(issue, me()["accountId"], body["body"], now())
    state().store.put("jira.issue", issue["key"], issue)
    return respond(comment_json(issue, comment), 201)


@bp.get("/issue/<key>/transitions")
def transitions(key: str) -> Response:
    issue = find_issue(key)
    root = api_root()
    return respond(
        {
            "expand": "transitions",
            "transitions": [
                {
                    "id": tid,
                    "name": target,
                    "to": wf.status_json(target, root),
                    "hasScreen": False,
                    "isGlobal": True,
                    "isInitial": False,
                    "isConditional": False,
                }
                for tid, target in wf.TRANSITIONS.items()
                if target != issue["status"]
            ],
        }
    )


@bp.post("/issue/<key>/transitions")
def do_transition(key: str) -> Response:
    issue = find_issue(key)
    body = body_object()
    tid = body.get("transition", {}).get("id") if isinstance(body.get("transition"), dict) else None
    target = wf.TRANSITIONS.get(str(tid))
    if target is None or target == issue["status"]:
        raise JiraError(400, [f"Transition id '{tid}' is not valid for this issue."])
    transition(issue, target, me()["accountId"], now())
    state().store.put("jira.issue", issue["key"], issue)
    return Response(status=204)
