"""What enforce reads from and writes to a Jira ticket, through opskit's paced client.

Reads: the labels and priority, the `opskit.sla.enforced` property, the comments carrying
a marker, users by email. Writes: a label (`update.labels.add`, a set: repeating it is
harmless), the priority (`update.priority.set`), comments (internal ones through the
client's `is_internal`, which sets `sd.public.comment`), deleting a surplus comment, and
the property.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opskit.providers.jira.client import Api
from opskit.providers.jira.comments import comments
from opskit.sla.enforce import record
from opskit.sla.enforce.markers import MarkedComment, marker_of


@dataclass(slots=True)
class Live:
    """A ticket as enforce found it."""

    key: str
    labels: frozenset[str]
    priority: str | None  # its Jira priority name
    record: record.Record
    comments: list[MarkedComment] = field(default_factory=list)


def read(api: Api, key: str) -> Live:
    issue = api.call("GET", f"/issue/{key}", params={"fields": "labels,priority"})
    fields = issue.get("fields") or {}
    priority = (fields.get("priority") or {}).get("name")
    return Live(
        key,
        frozenset(fields.get("labels") or []),
        str(priority) if priority else None,
        read_record(api, key),
        marked_comments(api, key),
    )


def read_record(api: Api, key: str) -> record.Record:
    found = api.call("GET", f"/issue/{key}/properties/{record.PROPERTY}", missing_ok=True)
    return record.parse(found.get("value") if isinstance(found, dict) else None)


def write_record(api: Api, key: str, ours: record.Record) -> None:
    """Merge into what is there now (another run may have written since we read)."""
    merged = record.merge(read_record(api, key), ours)
    api.call("PUT", f"/issue/{key}/properties/{record.PROPERTY}", json=record.dump(merged))


def marked_comments(api: Api, key: str) -> list[MarkedComment]:
    out: list[MarkedComment] = []
    for raw in comments(api, key):
        marker = marker_of(str(raw.get("body") or ""))
        if marker is not None:
            author = str((raw.get("author") or {}).get("accountId") or "")
            out.append(MarkedComment(int(raw["id"]), author, marker))
    return out


def add_label(api: Api, key: str, label: str) -> None:
    api.call("PUT", f"/issue/{key}", json={"update": {"labels": [{"add": label}]}})


def set_priority(api: Api, key: str, jira_name: str) -> None:
    api.call("PUT", f"/issue/{key}", json={"update": {"priority": [{"set": {"name": jira_name}}]}})


def post_comment(api: Api, key: str, body: str, *, public: bool) -> None:
    # Sent again after an unclear failure: a second copy is removed by the marker rule.
    def send() -> Any:
        return api.client.add_comment(key, body, is_internal=not public)

    api.run("POST", f"/issue/{key}/comment", send, idempotent=True)


def delete_comment(api: Api, key: str, comment_id: int) -> None:
    api.call("DELETE", f"/issue/{key}/comment/{comment_id}", missing_ok=True)


def find_account(api: Api, email: str) -> str | None:
    """The Jira account with exactly this email (Jira may hide emails: then none)."""
    for user in api.call("GET", "/user/search", params={"query": email}) or []:
        if str(user.get("emailAddress", "")).casefold() == email.casefold():
            return str(user["accountId"])
    return None
