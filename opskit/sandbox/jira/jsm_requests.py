"""JSM customer requests: their SLA metrics (all, or one by id) and their comments, public
or internal, as the service-desk API shows them."""

from __future__ import annotations

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError, JsmError
from opskit.sandbox.jira import adf
from opskit.sandbox.jira.comment_model import MAX_COMMENTS, find_comment, new_comment
from opskit.sandbox.jira.common import body_object, me, parse_jira_time, site
from opskit.sandbox.jira.organizations import jsm_links, jsm_user
from opskit.sandbox.jira.paging import jsm_page
from opskit.sandbox.jira.sla import date_dto, sla_metrics
from opskit.sandbox.state import now, state

bp = Blueprint("jsm_requests", __name__, url_prefix="/rest/servicedeskapi")


def find_request(key: str) -> Doc:
    issue = state().store.get("jira.issue", key.upper())
    if issue is None:
        issue = next((i for i in state().store.all("jira.issue") if i["id"] == key), None)
    project = state().store.get("jira.project", issue["projectId"]) if issue else None
    if issue is None or (project or {}).get("projectTypeKey") != "service_desk":
        raise JsmError(
            404, f"Request {key[:50]} does not exist or you do not have permission to see it."
        )
    return issue


def _metric_json(key: str, metric: Doc) -> Doc:
    return {
        **metric,
        "_links": {"self": f"{site()}/rest/servicedeskapi/request/{key}/sla/{metric['id']}"},
    }


@bp.get("/request/<key>/sla")
def request_sla(key: str) -> Response:
    issue = find_request(key)
    return respond(jsm_page([_metric_json(key, m) for m in sla_metrics(issue)]))


@bp.get("/request/<key>/sla/<metric_id>")
def request_sla_metric(key: str, metric_id: str) -> Response:
    issue = find_request(key)
    metric = next((m for m in sla_metrics(issue) if m["id"] == metric_id), None)
    if metric is None:
        raise JsmError(404, f"SLA metric {metric_id[:50]} does not exist for request {key[:50]}.")
    return respond(_metric_json(key, metric))


def _comment_dto(issue: Doc, c: Doc, expand: str) -> Doc:
    author = state().store.get("jira.user", c["author"]) or {"accountId": c["author"]}
    out: Doc = {
        "id": c["id"],
        "body": c["body"],
        "public": c.get("public", True),
        "author": jsm_user(author) if "emailAddress" in author else {"accountId": c["author"]},
        "created": date_dto(parse_jira_time(c["created"])),
        "_links": jsm_links(f"/request/{issue['id']}/comment/{c['id']}"),
    }
    if "renderedBody" in expand.split(","):
        out["renderedBody"] = {"html": adf.render(c["body"])}
    return out


def _flag(name: str) -> bool | None:
    value = request.args.get(name)
    return None if value is None else value.lower() == "true"


@bp.get("/request/<key>/comment")
def request_comments(key: str) -> Response:
    issue = find_request(key)
    public, internal = _flag("public"), _flag("internal")
    shown = [
        c
        for c in issue.get("comments", [])
        if (c.get("public", True) and public is not False)
        or (not c.get("public", True) and internal is not False)
    ]
    expand = request.args.get("expand", "")
    return respond(jsm_page([_comment_dto(issue, c, expand) for c in shown]))


@bp.get("/request/<key>/comment/<comment_id>")
def request_comment(key: str, comment_id: str) -> Response:
    issue = find_request(key)
    try:
        c = find_comment(issue, comment_id)
    except JiraError:
        raise JsmError(404, f"Comment {comment_id[:50]} does not exist.") from None
    return respond(_comment_dto(issue, c, request.args.get("expand", "")))


@bp.post("/request/<key>/comment")
def add_request_comment(key: str) -> Response:
    issue = find_request(key)
    body = body_object(jsm=True)
    text, public = body.get("body"), body.get("public")
    if not isinstance(text, str) or not text.strip():
        raise JsmError(400, "The comment body must not be empty.", "sd.comment.body.empty")
    if len(text) > adf.MAX_TEXT:
        raise JsmError(400, f"The comment is longer than {adf.MAX_TEXT} characters.")
    if not isinstance(public, bool):
        raise JsmError(400, "public must be true or false.", "sd.comment.public.required")
    if len(issue.get("comments", [])) >= MAX_COMMENTS:
        raise JsmError(413, f"A request can have at most {MAX_COMMENTS} comments.")
    comment = new_comment(issue, me()["accountId"], text, now(), public=public)
    state().store.put("jira.issue", issue["key"], issue)
    return respond(_comment_dto(issue, comment, ""), 201)
