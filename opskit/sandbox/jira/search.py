"""Issue search: the removed ``/search`` (410) and token-paged ``/search/jql``."""

from __future__ import annotations

import base64
import binascii
from functools import partial
from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.common import body_object, parse_jira_time
from opskit.sandbox.jira.issue_json import issue_json
from opskit.sandbox.jira.jql import parse
from opskit.sandbox.state import now, state

bp = Blueprint("jira_search", __name__)
MAX_RESULTS = 100


@bp.route("/search", methods=["GET", "POST"])
def removed_search() -> Response:
    raise JiraError(
        410,
        ["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."],
    )


def _value(doc: Doc, field: str) -> Any:
    if field in ("key", "issuekey"):
        return doc["key"]
    if field == "project":
        project = state().store.get("jira.project", doc["projectId"]) or {}
        return project.get("key")
    if field == "status":
        return doc["status"]
    if field == "statuscategory":
        return wf.CATEGORY[wf.STATUSES[doc["status"]][1]][1]
    if field == "priority":
        prio = state().store.get("jira.priority", doc.get("priority") or "")
        return prio["name"] if prio else None
    return parse_jira_time(doc[field])


def _sort_key(doc: Doc, field: str) -> Any:
    if field in ("key", "issuekey"):
        prefix, _, number = doc["key"].partition("-")
        return (prefix, int(number))
    return str(_value(doc, field) or "")


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(token: Any) -> int:
    if token in (None, ""):
        return 0
    try:
        text = base64.urlsafe_b64decode(str(token).encode()).decode()
        return int(text.removeprefix("offset:"))
    except (ValueError, binascii.Error):
        raise JiraError(400, ["The nextPageToken is invalid or expired."]) from None


def search(jql: str, token: Any, size: Any, fields: list[str] | None, expand: str) -> Doc:
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise JiraError(400, ["maxResults must be a non-negative integer."])
    size = min(size or 50, MAX_RESULTS)
    query = parse(jql or "", _value, now())
    issues = [i for i in state().store.all("jira.issue") if query.match(i)]
    order = query.order or [("created", True)]
    for field, desc in reversed(order):  # stable sorts, last key first
        issues.sort(key=partial(_sort_key, field=field), reverse=desc)
    start = _offset(token)
    chunk = issues[start : start + size]
    wanted = None if fields is None or {"*all", "*navigable"} & set(fields) else set(fields)
    out: Doc = {
        "issues": [_shape(issue_json(i, wanted, expand), fields) for i in chunk],
        "isLast": start + size >= len(issues),
    }
    if not out["isLast"]:
        out["nextPageToken"] = _token(start + size)
    return out


def _shape(issue: Doc, fields: list[str] | None) -> Doc:
    # Without a field list the endpoint answers with ids only.
    if fields is None or fields == ["id"]:
        return {"id": issue["id"]}
    return issue


def _fields_param(raw: Any) -> list[str] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return [f.strip() for f in raw.split(",") if f.strip()]
    if isinstance(raw, list) and all(isinstance(f, str) for f in raw):
        return [f for item in raw for f in item.split(",") if f]
    raise JiraError(400, ["fields must be a list of field ids."])


@bp.get("/search/jql")
def search_get() -> Response:
    try:
        size = int(request.args.get("maxResults", "50"))
    except ValueError:
        raise JiraError(400, ["maxResults must be an integer."]) from None
    fields = request.args.getlist("fields")
    return respond(
        search(
            request.args.get("jql", ""),
            request.args.get("nextPageToken"),
            size,
            _fields_param(",".join(fields)) if fields else None,
            request.args.get("expand", ""),
        )
    )


@bp.post("/search/jql")
def search_post() -> Response:
    body = body_object()
    expand = body.get("expand", "")
    return respond(
        search(
            str(body.get("jql", "")),
            body.get("nextPageToken"),
            body.get("maxResults", 50),
            _fields_param(body.get("fields")),
            expand if isinstance(expand, str) else "",
        )
    )
