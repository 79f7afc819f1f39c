"""A ticket's history as the SLA engine reads it: plain facts, independent of Jira's JSON.

`opskit.sla.jira_read` makes these from Jira's answers; the cache stores them as JSON
(`to_json` / `from_json`), so clocks can be recomputed at any `--now` without asking Jira.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Person:
    """A Jira account on a ticket: its id, its email if Jira shows it, and its type."""

    account_id: str
    email: str = ""  # "" when Jira hides it
    account_type: str = ""  # "atlassian", "customer" (JSM portal-only), "app"


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on a ticket: when, by whom, and whether the customer saw it."""

    at: dt.datetime
    author: Person
    public: bool  # jsdPublic and no visibility restriction: the customer saw it


@dataclass(frozen=True, slots=True)
class Change:
    """A status or priority change in a ticket's changelog, and who made it."""

    at: dt.datetime
    field: str  # "status" or "priority"
    old: str | None
    new: str | None
    author: str = ""  # account id
    # status changes: whether the same edit set (True) or cleared (False) the resolution
    resolved: bool | None = None


@dataclass(frozen=True, slots=True)
class Issue:
    """A Jira ticket as the SLA engine reads it: its fields, comments and changelog."""

    key: str
    id: str
    summary: str
    status: str
    status_category: str  # "new", "indeterminate", "done"
    priority: str  # the Jira priority's name ("" if none)
    created: dt.datetime
    updated: dt.datetime
    reporter: Person | None
    organizations: tuple[str, ...] = ()  # JSM organisation names
    components: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    comments: tuple[Comment, ...] = ()
    changes: tuple[Change, ...] = ()  # in time order
    resolved_at: dt.datetime | None = None  # Jira's resolutiondate
    organization_ids: tuple[str, ...] = field(default=())

    @property
    def done(self) -> bool:
        return self.status_category == "done"


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def _person(raw: Any) -> Person | None:
    if not isinstance(raw, dict) or not raw.get("account_id"):
        return None
    return Person(str(raw["account_id"]), str(raw.get("email", "")), str(raw.get("type", "")))


def _person_json(p: Person | None) -> dict[str, str] | None:
    return (
        None
        if p is None
        else {"account_id": p.account_id, "email": p.email, "type": p.account_type}
    )


def to_json(issue: Issue) -> dict[str, Any]:
    return {
        "key": issue.key, "id": issue.id, "summary": issue.summary, "status": issue.status,
        "category": issue.status_category, "priority": issue.priority,
        "created": issue.created.isoformat(), "updated": issue.updated.isoformat(),
        "reporter": _person_json(issue.reporter), "organizations": list(issue.organizations),
        "organization_ids": list(issue.organization_ids),
        "components": list(issue.components), "labels": list(issue.labels),
        "resolved_at": issue.resolved_at.isoformat() if issue.resolved_at else None,
        "comments": [
            {"at": c.at.isoformat(), "author": _person_json(c.author), "public": c.public}
            for c in issue.comments
        ],
        "changes": [
            {"at": c.at.isoformat(), "field": c.field, "old": c.old, "new": c.new,
             "author": c.author, "resolved": c.resolved}
            for c in issue.changes
        ],
    }  # fmt: skip


def from_json(raw: dict[str, Any]) -> Issue:
    """The inverse of `to_json`; KeyError, TypeError or ValueError on anything else."""
    comments = []
    for c in raw["comments"]:
        author = _person(c["author"])
        if author is None:
            raise ValueError("a comment without an author")
        comments.append(Comment(parse_time(c["at"]), author, bool(c["public"])))
    changes = tuple(
        Change(
            parse_time(c["at"]),
            str(c["field"]),
            c["old"],
            c["new"],
            str(c["author"]),
            c["resolved"],
        )
        for c in raw["changes"]
    )
    return Issue(
        key=str(raw["key"]), id=str(raw["id"]), summary=str(raw["summary"]),
        status=str(raw["status"]), status_category=str(raw["category"]),
        priority=str(raw["priority"]), created=parse_time(raw["created"]),
        updated=parse_time(raw["updated"]), reporter=_person(raw["reporter"]),
        organizations=tuple(map(str, raw["organizations"])),
        organization_ids=tuple(map(str, raw.get("organization_ids", []))),
        components=tuple(map(str, raw["components"])), labels=tuple(map(str, raw["labels"])),
        comments=tuple(comments), changes=changes,
        resolved_at=parse_time(raw["resolved_at"]) if raw["resolved_at"] else None,
    )  # fmt: skip


def as_of(issue: Issue, instant: dt.datetime, categories: Mapping[str, str]) -> Issue:
    """The issue as it stood at `instant`: later comments and changes not yet made, the
    status and priority those changes left, no resolution date from after it. Clocks at a
    past `now` (`--now`, a period's end) see only what had happened by then."""
    later = [c for c in issue.changes if c.at > instant]
    if not later:
        return issue
    status = next((c.old for c in later if c.field == "status" and c.old), issue.status)
    priority = next((c.old for c in later if c.field == "priority" and c.old), issue.priority)
    done_at = issue.resolved_at if issue.resolved_at and issue.resolved_at <= instant else None
    return replace(
        issue, status=status, priority=priority,
        status_category=categories.get(status, "indeterminate") if status != issue.status
        else issue.status_category,
        comments=tuple(c for c in issue.comments if c.at <= instant),
        changes=tuple(c for c in issue.changes if c.at <= instant), resolved_at=done_at,
    )  # fmt: skip
