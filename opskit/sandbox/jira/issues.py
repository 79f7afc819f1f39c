"""Issues: create, read (fields, expand), edit (``fields`` + ``update``), delete, assign,
and the edit screen's metadata."""

from __future__ import annotations

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import edits
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.comments import check_ops, run_ops
from opskit.sandbox.jira.common import api_root, body_object, flag, jira_time, me
from opskit.sandbox.jira.editscreen import comment_meta, field_meta, screen
from opskit.sandbox.jira.issue_json import issue_json
from opskit.sandbox.jira.issue_model import create, find_issue, save
from opskit.sandbox.jira.projects import find_project
from opskit.sandbox.state import now, state

bp = Blueprint("jira_issues", __name__)
# The jira client assigns through /rest/api/latest (Cloud serves it as v2).
latest_bp = Blueprint("jira_issues_latest", __name__, url_prefix="/rest/api/latest")


@bp.post("/issue")
def create_issue() -> Response:
    body = body_object()
    fields = body.get("fields")
    if not isinstance(fields, dict):
        raise JiraError(400, ["The request must contain a fields object."])
    issue = create(fields, me()["accountId"], now(), body.get("update"))
    return respond(
        {"id": issue["id"], "key": issue["key"], "self": f"{api_root()}/issue/{issue['id']}"}, 201
    )


def _wanted(raw: str | None) -> set[str] | None:
    if not raw:
        return None
    names = {f.strip() for f in raw.split(",") if f.strip()}
    return None if names & {"*all", "*navigable"} else names


@bp.get("/issue/<key>")
def get_issue(key: str) -> Response:
    issue = find_issue(key)
    return respond(issue_json(issue, _wanted(request.args.get("fields")), _expand()))


def _expand() -> str:
    return request.args.get("expand", "")


def edit(issue: Doc, body: Doc, author: str) -> None:
    """Apply an edit request's ``fields`` and ``update`` (checked first, then all at once),
    recording one history entry; the caller saves."""
    when = now()
    new, comment_ops = edits.plan(issue, body.get("fields"), body.get("update"))
    checked = check_ops(issue, comment_ops)
    items = edits.apply(issue, new)
    run_ops(issue, checked, author, when)
    wf.record_change(issue, author, when, items)
    if items:
        issue["updated"] = jira_time(when)


@bp.put("/issue/<key>")
def edit_issue(key: str) -> Response:
    issue = find_issue(key)
    body = body_object()
    if "fields" not in body and "update" not in body and "properties" not in body:
        raise JiraError(400, ["one of 'fields' or 'update' required"])
    props = body.get("properties")
    if props is not None:
        from opskit.sandbox.jira.properties import check_properties

        checked = check_properties(props)
    edit(issue, body, me()["accountId"])
    if props is not None:
        issue.setdefault("properties", {}).update(checked)
    save(issue)
    # notifyUsers only decides whether watchers get mail: the sandbox sends none.
    if flag("returnIssue"):
        return respond(issue_json(issue, None, _expand()))
    return Response(status=204)


@bp.delete("/issue/<key>")
def delete_issue(key: str) -> Response:
    state().store.delete("jira.issue", find_issue(key)["key"])
    return Response(status=204)


@bp.get("/issue/<key>/editmeta")
def editmeta(key: str) -> Response:
    issue = find_issue(key)
    fields = {fid: field_meta(f, issue["projectId"]) for fid, f in screen().items()}
    return respond({"fields": {**fields, "comment": comment_meta()}})


def _default_assignee(issue: Doc) -> str | None:
    """Jira's automatic assignee: a component lead where a component says so, else the
    project lead."""
    for cid in issue.get("components", []):
        comp = state().store.get("jira.component", cid) or {}
        if comp.get("assigneeType") == "COMPONENT_LEAD" and comp.get("leadAccountId"):
            return str(comp["leadAccountId"])
    return find_project(issue["projectId"]).get("leadAccountId")


@latest_bp.put("/issue/<key>/assignee")
@bp.put("/issue/<key>/assignee")
def assign(key: str) -> Response:
    issue = find_issue(key)
    body = body_object()
    keys = [k for k in ("accountId", "name", "key") if body.get(k) is not None]
    if len(keys) > 1:
        raise JiraError(400, ["Only one of 'accountId', 'name' or 'key' may be given."])
    if keys and keys[0] != "accountId":
        raise JiraError(400, ["Jira Cloud identifies users by accountId only."])
    aid = body.get("accountId")
    if aid == "-1":
        aid = _default_assignee(issue)
    elif aid is not None and (
        not isinstance(aid, str) or state().store.get("jira.user", aid) is None
    ):
        raise JiraError(400, [], {"assignee": f"User '{str(aid)[:100]}' does not exist."})
    new, _ = edits.plan(issue, {"assignee": {"accountId": aid} if aid else None}, None)
    items = edits.apply(issue, new)
    if items:
        wf.record_change(issue, me()["accountId"], now(), items)
        issue["updated"] = jira_time(now())
    save(issue)
    return Response(status=204)
