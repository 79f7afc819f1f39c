"""Issue state changes shared by the API and the seed: fields, comments, transitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.common import jira_time, not_found
from opskit.sandbox.jira.projects import find_project
from opskit.sandbox.state import state

EDITABLE = {
    "summary",
    "description",
    "priority",
    "components",
    "labels",
    "assignee",
    wf.ORGANIZATIONS_FIELD,
}


def find_issue(id_or_key: str) -> Doc:
    doc = state().store.get("jira.issue", id_or_key.upper())
    if doc is None:
        doc = next((i for i in state().store.all("jira.issue") if i["id"] == id_or_key), None)
    if doc is None:
        raise not_found("Issue")
    return doc


def _priority(value: Any) -> str:
    pid = value.get("id") or None if isinstance(value, dict) else None
    name = value.get("name") if isinstance(value, dict) else None
    for p in state().store.all("jira.priority"):
        if p["id"] == pid or (name and p["name"] == name):
            return str(p["id"])
    raise JiraError(400, [], {"priority": "Specify a valid priority id or name."})


def _components(value: Any, project_id: str) -> list[str]:
    if not isinstance(value, list):
        raise JiraError(400, [], {"components": "Components must be a list."})
    found = []
    comps = [c for c in state().store.all("jira.component") if c["projectId"] == project_id]
    for item in value:
        match = next(
            (
                c
                for c in comps
                if isinstance(item, dict)
                and (item.get("id") == c["id"] or item.get("name") == c["name"])
            ),
            None,
        )
        if match is None:
            raise JiraError(400, [], {"components": f"Component {item!r} is not valid."})
        found.append(match["id"])
    return found


def apply_fields(issue: Doc, fields: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate and set editable fields; return changelog items."""
    unknown = [k for k in fields if k not in EDITABLE]
    if unknown:
        raise JiraError(
            400,
            [],
            {
                k: f"Field '{k}' cannot be set. It is not on the appropriate screen, or unknown."
                for k in unknown
            },
        )
    items = []
    for key, value in fields.items():
        if key in ("summary", "description"):
            if not isinstance(value, str) or (key == "summary" and not value.strip()):
                raise JiraError(400, [], {key: f"{key} must be a string."})
            new: Any = value
        elif key == "priority":
            new = _priority(value)
        elif key == "components":
            new = _components(value, issue["projectId"])
        elif key == "labels":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise JiraError(400, [], {"labels": "Labels must be a list of strings."})
            new = value
        elif key == "assignee":
            aid = value.get("accountId") if isinstance(value, dict) else None
            if value is not None and state().store.get("jira.user", str(aid)) is None:
                raise JiraError(400, [], {"assignee": "Specify a valid user."})
            new = aid
        else:
            if not isinstance(value, list) or not all(
                state().store.get("jsm.org", str(v)) for v in value
            ):
                raise JiraError(400, [], {key: "Specify existing organization ids."})
            new = [str(v) for v in value]
        if issue.get(key) != new:
            items.append(
                {
                    "field": key,
                    "fieldtype": "jira",
                    "fieldId": key,
                    "fromString": _text(issue.get(key)),
                    "toString": _text(new),
                }
            )
            issue[key] = new
    return items


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def create(fields: dict[str, Any], reporter: str, when: datetime) -> Doc:
    project_ref = fields.pop("project", None)
    fields.pop("issuetype", None)
    errors = {}
    if not isinstance(project_ref, dict):
        errors["project"] = "Specify a valid project ID or key"
    if not isinstance(fields.get("summary"), str) or not fields["summary"].strip():
        errors["summary"] = "You must specify a summary of the issue."
    if errors:
        raise JiraError(400, [], errors)
    assert isinstance(project_ref, dict)
    project = find_project(str(project_ref.get("key") or project_ref.get("id")))
    number = state().store.next_number(f"jira.issue.{project['key']}")
    issue: Doc = {
        "id": str(10000 + state().store.next_number("jira.issue")),
        "key": f"{project['key']}-{number}",
        "projectId": project["id"],
        "status": "Open",
        "reporter": reporter,
        "created": jira_time(when),
        "updated": jira_time(when),
        "priority": _default_priority(),
        "comments": [],
        "changelog": [],
    }
    apply_fields(issue, fields)
    state().store.put("jira.issue", issue["key"], issue)
    return issue


def _default_priority() -> str | None:
    prios = state().store.all("jira.priority")
    return str(prios[len(prios) // 2]["id"]) if prios else None


def add_comment(issue: Doc, author: str, body: str, when: datetime, public: bool = True) -> Doc:
    comment = {
        "id": str(10000 + state().store.next_number("jira.comment")),
        "author": author,
        "body": body,
        "created": jira_time(when),
        "public": public,
    }
    issue.setdefault("comments", []).append(comment)
    issue["updated"] = jira_time(when)
    return comment


def transition(issue: Doc, target: str, author: str, when: datetime) -> None:
    stamp = jira_time(when)
    items = [wf.status_item(issue["status"], target)]
    done = wf.STATUSES[target][1] == "done"
    if done != bool(issue.get("resolution")):
        items.append(
            {
                "field": "resolution",
                "fieldtype": "jira",
                "fieldId": "resolution",
                "fromString": None if done else "Done",
                "toString": "Done" if done else None,
            }
        )
        issue["resolution"] = "Done" if done else None
        issue["resolutiondate"] = stamp if done else None
    issue["status"] = target
    issue["updated"] = stamp
    wf.record_change(issue, author, when, items)
