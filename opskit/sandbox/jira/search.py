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
from opskit.sandbox.jira.common import body_object, caller_email
from opskit.sandbox.jira.issue_json import issue_json
from opskit.sandbox.jira.jql import Query, parse
from opskit.sandbox.jira.jql_fields import field_spec, sort_value
from opskit.sandbox.jira.search_cache import ordered_keys
from opskit.sandbox.state import now, state

bp = Blueprint("jira_search", __name__)
MAX_RESULTS = 100


@bp.route("/search", methods=["GET", "POST"])
def removed_search() -> Response:
    raise JiraError(
        410,
        ["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."],
    )


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(token: Any) -> int:
    if token in (None, ""):
        return 0
    try:
        text = base64.urlsafe_b64decode(str(token).encode()).decode()
        offset = int(text.removeprefix("offset:"))
        if offset < 0:
            raise ValueError(offset)
        return offset
    except (ValueError, binascii.Error):
        raise JiraError(400, ["The nextPageToken is invalid or expired."]) from None


def search(jql: str, token: Any, size: Any, fields: list[str] | None, expand: str) -> Doc:
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise JiraError(400, ["maxResults must be a non-negative integer."])
    size = min(size or 50, MAX_RESULTS)
    store, at = state().store, now()
    query = parse(jql or "", at)  # refused queries are refused on every page
    start = _offset(token)
    # Every page of a query over unchanged data has the same order: worked out once.
    keys = ordered_keys(store, jql or "", at, caller_email(), partial(_ordered, query))
    chunk = [d for d in (store.get("jira.issue", k) for k in keys[start : start + size]) if d]
    wanted = None if fields is None or {"*all", "*navigable"} & set(fields) else set(fields)
    shaped = [_shape(issue_json(i, wanted, expand), fields) for i in chunk]
    out: Doc = {"issues": shaped, "isLast": start + size >= len(keys)}
    if "names" in expand.split(","):
        # a search names the fields once, for all its issues
        out["names"] = {k: v for i in shaped for k, v in i.pop("names", {}).items()}
    if not out["isLast"]:
        out["nextPageToken"] = _token(start + size)
    return out


def _ordered(query: Query) -> list[str]:
    """The keys of the issues the query matches, in its order (newest first by default)."""
    issues = [i for i in state().store.all("jira.issue") if query.match(i)]
    order = query.order or [(field_spec("created"), True)]
    for spec, desc in reversed(order):  # stable sorts, last key first
        issues.sort(key=partial(sort_value, spec=spec), reverse=desc)
    return [str(i["key"]) for i in issues]


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
