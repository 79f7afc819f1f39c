"""Issue and history JSON as Jira Cloud renders them (``fields``, ``expand``)."""

from __future__ import annotations

from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.jira import adf, issuetypes
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.comment_model import comment_json
from opskit.sandbox.jira.common import api_root, is_v3, user_by_id
from opskit.sandbox.jira.editscreen import ScreenField, custom_fields
from opskit.sandbox.jira.options import option_ref
from opskit.sandbox.jira.platform import all_fields
from opskit.sandbox.state import state

EXPAND_CHANGELOG_LIMIT = 100  # the issue's own changelog expansion is truncated, as in Cloud
RESOLUTION_IDS = {
    "Done": "10000",
    "Won't Do": "10001",
    "Duplicate": "10002",
    "Cannot Reproduce": "10003",
}


def history_json(h: Doc) -> Doc:
    return {
        "id": h["id"],
        "author": user_by_id(h["author"]),
        "created": h["created"],
        "items": h["items"],
    }


def _custom_value(f: ScreenField, value: Any) -> Any:
    if f.kind == "option":
        return option_ref(value) if value else None
    if f.kind == "options":
        return [r for r in (option_ref(v) for v in value or []) if r] or None
    if f.kind == "orgs":
        return [
            {"id": o, "name": (state().store.get("jsm.org", o) or {}).get("name")}
            for o in value or []
        ]
    if f.kind == "text" and is_v3():
        return adf.to_adf(value)
    return value


def _component(cid: str) -> Doc:
    doc = state().store.get("jira.component", cid) or {}
    return {"self": f"{api_root()}/component/{cid}", "id": cid, "name": doc.get("name", "")}


def _fields(issue: Doc, wanted: set[str] | None = None) -> dict[str, Any]:
    root = api_root()
    project = state().store.get("jira.project", issue["projectId"]) or {}
    prio = state().store.get("jira.priority", issue.get("priority") or "")
    # Comments are the dearest part: a search page that does not ask for them skips them.
    shown = wanted is None or "comment" in wanted
    comments = [comment_json(issue, c) for c in issue.get("comments", [])] if shown else []
    resolution = issue.get("resolution")
    fields: dict[str, Any] = {
        "summary": issue["summary"],
        "description": adf.to_adf(issue.get("description"))
        if is_v3()
        else issue.get("description"),
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
        "issuetype": issuetypes.type_json(issuetypes.issue_type_of(issue)),
        "created": issue["created"],
        "updated": issue["updated"],
        "reporter": user_by_id(issue.get("reporter")),
        "assignee": user_by_id(issue.get("assignee")),
        "components": [_component(c) for c in issue.get("components", [])],
        "labels": issue.get("labels", []),
        "duedate": issue.get("duedate"),
        "resolution": {
            "self": f"{root}/resolution/{RESOLUTION_IDS.get(resolution, '10000')}",
            "id": RESOLUTION_IDS.get(resolution, "10000"),
            "name": resolution,
        }
        if resolution
        else None,
        "resolutiondate": issue.get("resolutiondate"),
        # logged work in seconds (null when none); no sub-tasks, so the aggregate is the same
        "timespent": issue.get("timespent"),
        "aggregatetimespent": issue.get("timespent"),
        "comment": {
            "comments": comments,
            "maxResults": len(comments),
            "total": len(comments),
            "startAt": 0,
        },
    }
    for f in custom_fields():
        fields[f.id] = _custom_value(f, issue.get(f.id))
    return fields


def issue_json(issue: Doc, wanted: set[str] | None = None, expand: str = "") -> Doc:
    fields = _fields(issue, wanted)
    if wanted is not None:
        fields = {k: v for k, v in fields.items() if k in wanted}
    expands = set(expand.split(","))
    out: Doc = {
        "expand": "renderedFields,names,schema,changelog",
        "id": issue["id"],
        "self": f"{api_root()}/issue/{issue['id']}",
        "key": issue["key"],
        "fields": fields,
    }
    if "names" in expands:
        names = {f["id"]: f["name"] for f in all_fields()}
        out["names"] = {k: names.get(k, k) for k in fields}
    if "renderedFields" in expands:
        out["renderedFields"] = _rendered(issue, fields)
    if "changelog" in expands:
        histories = issue.get("changelog", [])
        shown = histories[-EXPAND_CHANGELOG_LIMIT:]
        out["changelog"] = {
            "startAt": 0,
            "maxResults": len(shown),
            "total": len(histories),
            "histories": [history_json(h) for h in shown],
        }
    return out


def _rendered(issue: Doc, fields: dict[str, Any]) -> Doc:
    """HTML for the text fields; other fields render as their display text, or null."""
    out: Doc = dict.fromkeys(fields)
    if "description" in fields:
        out["description"] = adf.render(issue.get("description"))
    if "comment" in fields:
        comments = [comment_json(issue, c, "renderedBody") for c in issue.get("comments", [])]
        for c in comments:
            c["body"] = c.pop("renderedBody")
        out["comment"] = {**fields["comment"], "comments": comments}
    for key in ("summary", "duedate", "created", "updated", "resolutiondate"):
        if key in fields and fields[key] is not None:
            out[key] = str(fields[key]) if key != "summary" else adf.render(fields[key])
    return out
