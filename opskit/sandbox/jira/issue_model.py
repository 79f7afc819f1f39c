"""Issue state changes shared by the API, the seed and the ticket loader: create, edit,
comment, transition."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import edits, issuetypes
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.comment_model import new_comment
from opskit.sandbox.jira.common import jira_time, not_found
from opskit.sandbox.jira.projects import find_project
from opskit.sandbox.state import state

RESOLUTIONS = {
    "10000": "Done",
    "10001": "Won't Do",
    "10002": "Duplicate",
    "10003": "Cannot Reproduce",
}


def find_issue(id_or_key: str) -> Doc:
    doc = state().store.get("jira.issue", id_or_key.upper())
    if doc is None:
        doc = next((i for i in state().store.all("jira.issue") if i["id"] == id_or_key), None)
    if doc is None:
        raise not_found("Issue")
    return doc


def save(issue: Doc) -> None:
    state().store.put("jira.issue", issue["key"], issue)


def _project(ref: Any) -> Doc:
    key = ref.get("key") or ref.get("id") if isinstance(ref, dict) else None
    try:
        return find_project(str(key)) if key is not None else _no_project()
    except JiraError:
        return _no_project()


def _no_project() -> Doc:
    raise JiraError(400, [], {"project": "valid project is required"})


def create(fields: dict[str, Any], reporter: str, when: datetime, update: Any = None) -> Doc:
    """A new issue from create-screen ``fields`` (and ``update``); saved."""
    fields = dict(fields)
    project = _project(fields.pop("project", None))
    type_id = issuetypes.resolve(project, fields.pop("issuetype", None))
    if "summary" not in fields and not (isinstance(update, dict) and "summary" in update):
        raise JiraError(400, [], {"summary": "You must specify a summary of the issue."})
    issue: Doc = {
        "id": "",
        "key": "",
        "projectId": project["id"],
        "issuetype": type_id,
        "status": "Open",
        "reporter": reporter,
        "created": jira_time(when),
        "updated": jira_time(when),
        "priority": _default_priority(),
        "comments": [],
        "changelog": [],
        "properties": {},
    }
    new, comment_ops = edits.plan(issue, fields, update)
    from opskit.sandbox.jira.comments import check_ops, run_ops

    checked = check_ops(issue, comment_ops)
    number = state().store.next_number(f"jira.issue.{project['key']}")
    issue["id"] = str(10000 + state().store.next_number("jira.issue"))
    issue["key"] = f"{project['key']}-{number}"
    edits.apply(issue, new)  # creation is not a change: no history
    run_ops(issue, checked, reporter, when)
    save(issue)
    return issue


def _default_priority() -> str | None:
    prios = state().store.all("jira.priority")
    return str(prios[len(prios) // 2]["id"]) if prios else None


def add_comment(issue: Doc, author: str, body: str, when: datetime, public: bool = True) -> Doc:
    return new_comment(issue, author, body, when, public=public)


def transition(
    issue: Doc, target: str, author: str, when: datetime, resolution: str | None = None
) -> list[dict[str, Any]]:
    """Move to ``target``, setting or clearing the resolution; returns the history items
    (recorded)."""
    stamp = jira_time(when)
    items = [wf.status_item(issue["status"], target)]
    done = wf.is_done(target)
    new = (resolution or "Done") if done else None
    if new != issue.get("resolution"):
        ids = {name: rid for rid, name in RESOLUTIONS.items()}
        items.append(
            {
                "field": "resolution",
                "fieldtype": "jira",
                "fieldId": "resolution",
                "from": ids.get(issue.get("resolution") or ""),
                "fromString": issue.get("resolution"),
                "to": ids.get(new or ""),
                "toString": new,
            }
        )
        issue["resolution"] = new
    if done and not issue.get("resolutiondate"):
        issue["resolutiondate"] = stamp
    if not done:
        issue["resolutiondate"] = None
    issue["status"] = target
    issue["updated"] = stamp
    wf.record_change(issue, author, when, items)
    return items
