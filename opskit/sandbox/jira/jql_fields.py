"""The fields JQL can search, what values an issue holds for each, and which values exist.

Values are compared case-insensitively against every name a thing goes by (a project's
key, id and name; a status's name and id; a user's account id, email and display name).
A value no such thing has is refused as Jira does: "The value 'X' does not exist for the
field 'Y'." Labels and text take any value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import issuetypes
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.common import parse_jira_time
from opskit.sandbox.jira.editscreen import custom_fields
from opskit.sandbox.state import state

Doc = dict[str, Any]


@dataclass(frozen=True)
class FieldSpec:
    """A field a JQL query names: its id, how it compares, and whether values must exist."""

    name: str  # as the query spells it, for messages
    id: str
    date: bool = False
    text: bool = False
    checked: bool = True  # whether values must exist


_ALIASES = {
    "issuekey": "key",
    "type": "issuetype",
    "components": "component",
    "resolved": "resolutiondate",
    "due": "duedate",
    "organization": "organizations",
    "customfield_10002": "organizations",
    "cf[10002]": "organizations",
}
_DATES = {"created", "updated", "resolutiondate", "duedate"}
_TEXT = {"summary", "description", "text", "comment"}
_UNCHECKED = {"labels", "key"}
_SIMPLE = {
    "project",
    "status",
    "statuscategory",
    "priority",
    "issuetype",
    "component",
    "organizations",
    "assignee",
    "reporter",
    "resolution",
}


def _custom(name: str) -> tuple[str, str] | None:
    low = name.lower()
    for f in custom_fields():
        number = f.id.removeprefix("customfield_")
        if low in (f.id, f.name.lower(), f"cf[{number}]"):
            return f.id, f.kind
    return None


def field_spec(name: str) -> FieldSpec:
    low = _ALIASES.get(name.lower(), name.lower())
    if low in _DATES:
        return FieldSpec(name, low, date=True, checked=False)
    if low in _TEXT:
        return FieldSpec(name, low, text=True, checked=False)
    if low in _SIMPLE or low in _UNCHECKED:
        return FieldSpec(name, low, checked=low not in _UNCHECKED)
    custom = _custom(name)
    if custom is not None and custom[1] != "orgs":
        kind_text = custom[1] in ("string", "text")
        return FieldSpec(name, custom[0], text=kind_text, checked=not kind_text)
    if custom is not None:
        return FieldSpec(name, "organizations")
    raise JiraError(
        400, [f"Field '{name[:100]}' does not exist or you do not have permission to view it."]
    )


def _names(kind: str, ident: str | None) -> list[str]:
    if not ident:
        return []
    doc = state().store.get(kind, ident) or {}
    keys = {
        "jira.user": ("accountId", "emailAddress", "displayName"),
        "jsm.org": ("id", "name"),
        "jira.component": ("id", "name"),
        "jira.priority": ("id", "name"),
        "jira.option": ("id", "value"),
    }[kind]
    return [str(doc[k]) for k in keys if doc.get(k) is not None] or [ident]


def status_names(name: str) -> list[str]:
    sid = wf.STATUSES.get(name, ("", "new"))[0]
    return [name, sid]


def category_names(name: str) -> list[str]:
    cat = wf.STATUSES.get(name, ("", "new"))[1]
    cid, cname, _ = wf.CATEGORY[cat]
    return [cat, cname, cid]


def user_names(account: str | None) -> list[str]:
    return _names("jira.user", account)


def _date(raw: Any) -> list[Any]:
    if not raw:
        return []
    if len(raw) == 10:  # a due date: midnight UTC
        return [datetime.fromisoformat(raw + "T00:00:00+00:00")]
    return [parse_jira_time(raw)]


def _project(doc: Doc) -> list[str]:
    project = state().store.get("jira.project", doc["projectId"]) or {}
    return [str(project[k]) for k in ("key", "id", "name") if project.get(k)]


_VALUES: dict[str, Callable[[Doc], list[Any]]] = {
    "key": lambda d: [d["key"], d["id"]],
    "project": _project,
    "status": lambda d: status_names(d["status"]),
    "statuscategory": lambda d: category_names(d["status"]),
    "priority": lambda d: _names("jira.priority", d.get("priority")),
    "issuetype": lambda d: [
        issuetypes.TYPES[issuetypes.issue_type_of(d)][0],
        issuetypes.issue_type_of(d),
    ],
    "labels": lambda d: list(d.get("labels") or []),
    "component": lambda d: [
        n for c in d.get("components") or [] for n in _names("jira.component", c)
    ],
    "organizations": lambda d: [
        n for o in d.get(wf.ORGANIZATIONS_FIELD) or [] for n in _names("jsm.org", o)
    ],
    "assignee": lambda d: _names("jira.user", d.get("assignee")),
    "reporter": lambda d: _names("jira.user", d.get("reporter")),
    "resolution": lambda d: [d["resolution"]] if d.get("resolution") else [],
    "summary": lambda d: [d.get("summary") or ""],
    "description": lambda d: [d.get("description")] if d.get("description") else [],
    "comment": lambda d: [c["body"] for c in d.get("comments", [])],
    "text": lambda d: [
        d.get("summary") or "",
        d.get("description") or "",
        *(c["body"] for c in d.get("comments", [])),
    ],
}


def values_of(doc: Doc, spec: FieldSpec) -> list[Any]:
    if spec.date:
        return _date(doc.get(spec.id))
    if spec.id in _VALUES:
        return _VALUES[spec.id](doc)
    raw = doc.get(spec.id)
    items = raw if isinstance(raw, list) else [raw] if raw else []
    return [n for v in items for n in _names("jira.option", str(v))] if spec.checked else items


def sort_value(doc: Doc, spec: FieldSpec) -> Any:
    if spec.id == "key":
        prefix, _, number = doc["key"].partition("-")
        return (prefix, int(number))
    if spec.id == "priority":
        # Jira sorts priorities by their position: DESC puts the most urgent first.
        ids = [p["id"] for p in state().store.all("jira.priority")]
        return -ids.index(doc["priority"]) if doc.get("priority") in ids else -len(ids)
    values = values_of(doc, spec)
    if spec.date:
        return (1, values[0].timestamp()) if values else (0, 0.0)
    return str(values[0]).lower() if values else ""
