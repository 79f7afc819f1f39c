"""Full issue changelogs: per issue (paged) and in bulk (token-paged)."""

from __future__ import annotations

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import body_object
from opskit.sandbox.jira.issue_json import history_json
from opskit.sandbox.jira.issue_model import find_issue
from opskit.sandbox.jira.paging import page_bean

bp = Blueprint("jira_changelog", __name__)


@bp.get("/issue/<key>/changelog")
def changelog(key: str) -> Response:
    issue = find_issue(key)
    items = [history_json(h) for h in issue.get("changelog", [])]
    return respond(page_bean(items, f"/issue/{key}/changelog", 100))


@bp.post("/changelog/bulkfetch")
def bulk_changelog() -> Response:
    body = body_object()
    keys = body.get("issueIdsOrKeys")
    if not isinstance(keys, list) or not keys or len(keys) > 1000:
        raise JiraError(400, ["issueIdsOrKeys must list 1 to 1000 issues."])
    size = body.get("maxResults", 1000)
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 10000:
        raise JiraError(400, ["maxResults must be between 1 and 10000."])
    field_ids = body.get("fieldIds")
    if field_ids is not None and (
        not isinstance(field_ids, list) or not all(isinstance(f, str) for f in field_ids)
    ):
        raise JiraError(400, ["fieldIds must be a list of field ids."])
    token = body.get("nextPageToken")
    skip = int(token) if isinstance(token, str) and token.isdigit() else 0
    flat = []
    for k in keys:
        issue = find_issue(str(k))
        for h in issue.get("changelog", []):
            if field_ids and not any(i.get("fieldId") in field_ids for i in h["items"]):
                continue
            flat.append((issue["id"], h))
    page = flat[skip : skip + size]
    grouped: dict[str, list[Doc]] = {}
    for issue_id, h in page:
        grouped.setdefault(issue_id, []).append(history_json(h))
    out: Doc = {
        "issueChangeLogs": [{"issueId": i, "changeHistories": hs} for i, hs in grouped.items()]
    }
    if skip + size < len(flat):
        out["nextPageToken"] = str(skip + size)
    return respond(out)
