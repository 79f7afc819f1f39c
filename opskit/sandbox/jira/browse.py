"""`GET /browse/KEY`: the issue's page, as people follow it from a report or a comment.

Real Jira answers a signed-in browser with the issue view; the sandbox answers a small
HTML page with the key, summary and status (404 for no such issue), so links that opskit
writes into reviews can be followed and checked. It is not a REST API: no credentials
are asked for, nothing is logged, no contract applies.
"""

from __future__ import annotations

from html import escape

from flask import Blueprint, Response

from opskit.sandbox.state import state

bp = Blueprint("jira_browse", __name__)


@bp.get("/browse/<key>")
def browse(key: str) -> Response:
    issue = state().store.get("jira.issue", key.upper())
    if issue is None:
        return Response("<!DOCTYPE html><title>Not found</title><p>No such issue.</p>", 404,
                        mimetype="text/html")  # fmt: skip
    title = f"[{issue['key']}] {issue.get('summary', '')}"
    status = str(issue.get("status", ""))
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
            f"</title></head><body><main><h1>{escape(title)}</h1><p>Status: {escape(status)}"
            "</p></main></body></html>")  # fmt: skip
    return Response(page, 200, mimetype="text/html")
