"""Issue, comment and history JSON as Jira Cloud renders them."""

from __future__ import annotations

from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.common import api_root, user_by_id
from opskit.sandbox.state import state

EXPAND_CHANGELOG_LIMIT = 100  # the issue's own changelog expansion is truncated, as in Cloud


def comment_json(issue: Doc, c: Doc) -> Doc:
    return {
        "self": f"{api_root()}/issue/{issue['id']}/comment/{c['id']}",
        "id": c["id"],
        "author": user_by_id(c["author"]),
        "updateAuthor": user_by_id(c["author"]),
        "body": c["body"],
        "created": c["created"],
        "updated": c["created"],
        "jsdPublic": c.get("public", True),
    }


def history_json(h: Doc) -> Doc:
    return {
        "id": h["id"],
        "author": user_by_id(h["author"]),
        "created": h["created"],
        "items": h["items"],
    }


def issue_json(issue: Doc, wanted: set[str] | None = None, expand: str = "") -> Doc:
    root = api_root()
    project = state().store.get("jira.project", issue["projectId"]) or {}
    prio = state().store.get("jira.priority", issue.get("priority") or "")
    comments = [comment_json(issue, c) for c in issue.get("comments", [])]
    fields: dict[str, Any] = {
        "summary": issue["summary"],
        "description": issue.get("description"),
        "status": wf.status_json(issue["status"], root),
        "priority": {
            "self": f"{root}/priority/{prio['id']}",
            "id": prio["id"],
            "name": prio["name"],
        }
        if prio
        else None,
        "project": {
            "self": f"{root}/project/{project.get('id')}",
            "id": project.get("id"),
            "key": project.get("key"),
            "name": project.get("name"),
        },
        "issuetype": {
            "self": f"{root}/issuetype/10001",
            "id": "10001",
            "name": issue.get("issuetype", "Service Request"),
            "subtask": False,
        },
        "created": issue["created"],
        "updated": issue["updated"],
        "reporter": user_by_id(issue.get("reporter")),
        "assignee": user_by_id(issue.get("assignee")),
        "components": [
            {"self": f"{root}/component/{c}", "id": c} for c in issue.get("components", [])
        ],
        "labels": issue.get("labels", []),
        "resolution": {"id": "10000", "name": "Done"} if issue.get("resolution") else None,
        "resolutiondate": issue.get("resolutiondate"),
        "comment": {
            "comments": comments,
            "maxResults": len(comments),
            "total": len(comments),
            "startAt": 0,
        },
        wf.ORGANIZATIONS_FIELD: [
            {"id": o, "name": (state().store.get("jsm.org", o) or {}).get("name")}
            for o in issue.get(wf.ORGANIZATIONS_FIELD, [])
        ],
    }
    if wanted is not None:
        fields = {k: v for k, v in fields.items() if k in wanted}
    out: Doc = {
        "expand": "renderedFields,names,schema,changelog",
        "id": issue["id"],
        "self": f"{root}/issue/{issue['id']}",
        "key": issue["key"],
        "fields": fields,
    }
    if "changelog" in expand.split(","):
        histories = issue.get("changelog", [])
        shown = histories[-EXPAND_CHANGELOG_LIMIT:]
        out["changelog"] = {
            "startAt": 0,
            "maxResults": len(shown),
            "total": len(histories),
            "histories": [history_json(h) for h in shown],
        }
    return out
