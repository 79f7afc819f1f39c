"""The service-desk workflow every sandbox project uses, and issue history helpers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.jira.common import jira_time
from opskit.sandbox.state import state

# name -> (id, status category key)
STATUSES: dict[str, tuple[str, str]] = {
    "Open": ("1", "new"),
    "In Progress": ("3", "indeterminate"),
    "Waiting for support": ("10001", "indeterminate"),
    "Waiting for customer": ("10002", "indeterminate"),
    # A fix is done but not deployed yet: SLA clocks pause here, as while waiting for the customer.
    "Pending release": ("10003", "indeterminate"),
    "Resolved": ("5", "done"),
    "Closed": ("6", "done"),
}
# transition id -> target status
TRANSITIONS = {
    "11": "Waiting for support",
    "21": "In Progress",
    "31": "Waiting for customer",
    "41": "Resolved",
    "51": "Closed",
    "61": "Open",
    "71": "Pending release",
}
# Transitions into a done status show a screen with the resolution (and the assignee) on it.
DONE = {name for name, (_, cat) in STATUSES.items() if cat == "done"}


def is_done(status: str) -> bool:
    return status in DONE


CATEGORY = {
    "new": ("2", "To Do", "blue-gray"),
    "indeterminate": ("4", "In Progress", "yellow"),
    "done": ("3", "Done", "green"),
}
ORGANIZATIONS_FIELD = "customfield_10002"


def status_json(name: str, root: str) -> Doc:
    sid, cat = STATUSES[name]
    cid, cname, colour = CATEGORY[cat]
    return {
        "self": f"{root}/status/{sid}",
        "id": sid,
        "name": name,
        "description": "",
        "statusCategory": {
            "self": f"{root}/statuscategory/{cid}",
            "id": int(cid),
            "key": cat,
            "name": cname,
            "colorName": colour,
        },
    }


def record_change(issue: Doc, author: str, when: datetime, items: list[dict[str, Any]]) -> None:
    """Append one history entry (Jira groups the fields changed by one edit)."""
    if not items:
        return
    hid = str(10000 + state().store.next_number("jira.history"))
    clean = [{k: v for k, v in item.items() if v is not None} for item in items]
    issue.setdefault("changelog", []).append(
        {"id": hid, "author": author, "created": jira_time(when), "items": clean}
    )


def status_item(old: str, new: str) -> dict[str, Any]:
    return {
        "field": "status",
        "fieldtype": "jira",
        "fieldId": "status",
        "from": STATUSES[old][0],
        "fromString": old,
        "to": STATUSES[new][0],
        "toString": new,
    }
