"""Comment endpoints: list (paged, ordered), add, read, edit and delete by id; and the
``update.comment`` operations of edits and transitions (add, edit, remove)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import adf
from opskit.sandbox.jira.comment_model import (
    comment_json,
    find_comment,
    new_comment,
    properties,
    service_desk,
    visibility,
)
from opskit.sandbox.jira.common import body_object, jira_time, me
from opskit.sandbox.jira.issue_model import find_issue, save
from opskit.sandbox.jira.paging import int_arg
from opskit.sandbox.state import now

bp = Blueprint("jira_comments", __name__)


def _body(value: Any) -> str:
    text = adf.to_text(value, "comment") if value is not None else ""
    if not text.strip():
        raise JiraError(400, [], {"comment": "Comment body can not be empty!"})
    return text


def check_ops(issue: Doc, ops: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Validate ``update.comment`` operations before anything changes."""
    checked: list[tuple[str, Any]] = []
    for verb, raw in ops:
        value = raw if isinstance(raw, dict) else {}
        if verb == "add":
            checked.append(
                (
                    verb,
                    (
                        _body(value.get("body")),
                        visibility(value.get("visibility")),
                        properties(value.get("properties")),
                    ),
                )
            )
        elif verb == "edit":
            find_comment(issue, value.get("id"))
            checked.append((verb, (value["id"], _body(value.get("body")))))
        elif verb == "remove":
            find_comment(issue, value.get("id"))
            checked.append((verb, (value["id"], None)))
        else:
            raise JiraError(
                400, [], {"comment": f"Field 'comment' does not support operation '{verb[:20]}'"}
            )
    return checked


def run_ops(issue: Doc, ops: list[tuple[str, Any]], author: str, when: datetime) -> None:
    for verb, args in ops:
        if verb == "add":
            body, seen, props = args
            new_comment(issue, author, body, when, seen=seen, props=props)
        elif verb == "edit":
            _edit(find_comment(issue, args[0]), args[1], author, when)
        else:
            issue["comments"] = [c for c in issue["comments"] if c["id"] != str(args[0])]
        issue["updated"] = jira_time(when)


def _edit(c: Doc, body: str, author: str, when: datetime) -> None:
    c["body"], c["updateAuthor"], c["updated"] = body, author, jira_time(when)


@bp.get("/issue/<key>/comment")
def list_comments(key: str) -> Response:
    issue = find_issue(key)
    order = request.args.get("orderBy", "created")
    if order not in ("created", "+created", "-created"):
        raise JiraError(400, [f"orderBy '{order[:50]}' is not supported: use created or -created."])
    items = list(issue.get("comments", []))
    if order == "-created":
        items.reverse()
    start, size = int_arg("startAt", 0), int_arg("maxResults", 100, 0, 5000)
    expand = request.args.get("expand", "")
    return respond(
        {
            "startAt": start,
            "maxResults": size,
            "total": len(items),
            "comments": [comment_json(issue, c, expand) for c in items[start : start + size]],
        }
    )


@bp.post("/issue/<key>/comment")
def post_comment(key: str) -> Response:
    issue = find_issue(key)
    body = body_object()
    text, seen = _body(body.get("body")), visibility(body.get("visibility"))
    props = properties(body.get("properties"))
    comment = new_comment(issue, me()["accountId"], text, now(), seen=seen, props=props)
    save(issue)
    return respond(comment_json(issue, comment, request.args.get("expand", "")), 201)


@bp.get("/issue/<key>/comment/<comment_id>")
def get_comment(key: str, comment_id: str) -> Response:
    issue = find_issue(key)
    c = find_comment(issue, comment_id)
    return respond(comment_json(issue, c, request.args.get("expand", "")))


@bp.put("/issue/<key>/comment/<comment_id>")
def put_comment(key: str, comment_id: str) -> Response:
    issue = find_issue(key)
    c = find_comment(issue, comment_id)
    body = body_object()
    text = _body(body.get("body"))
    if "visibility" in body:
        c["visibility"] = visibility(body["visibility"])
        if c["visibility"] is not None and service_desk(issue):
            c["public"] = False  # a restricted comment is internal on a service desk
    _edit(c, text, me()["accountId"], now())
    issue["updated"] = c["updated"]
    save(issue)
    return respond(comment_json(issue, c, request.args.get("expand", "")))


@bp.delete("/issue/<key>/comment/<comment_id>")
def delete_comment(key: str, comment_id: str) -> Response:
    issue = find_issue(key)
    find_comment(issue, comment_id)
    issue["comments"] = [c for c in issue["comments"] if c["id"] != comment_id]
    issue["updated"] = jira_time(now())
    save(issue)
    return Response(status=204)
