"""What the postmortem reads besides the journal, when it may (`--offline` reads nothing):

- PagerDuty: each incident the run opened or touched, by its log entries (newest first,
  at most `MAX_ENTRIES` of each): who was notified, who acknowledged, who resolved, when.
  Needs PAGERDUTY_API_KEY.
- Jira and the SLA engine: the linked tickets' clocks now (the `ticket` input, the tickets
  of `sla` steps, and issues the run commented on or moved without creating them). Needs
  the Jira credentials and the policy.

A target that cannot be read becomes a note in the postmortem, never a failure: the
journal alone still makes one.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from opskit.errors import OpskitError
from opskit.sync.errors import TargetError

MAX_ENTRIES = 500
MAX_TICKETS = 20
JIRA_ENV = ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN")
RESPONSE_TYPES = {
    "notify_log_entry": "notified",
    "acknowledge_log_entry": "acknowledged",
    "resolve_log_entry": "resolved",
    "escalate_log_entry": "escalated",
    "assign_log_entry": "assigned",
}


@dataclass
class Remote:
    """What the postmortem read from PagerDuty and Jira, when, and what it could not read."""

    responses: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # incident id ->
    tickets: list[dict[str, Any]] = field(default_factory=list)  # `ticket_clocks` outputs
    read_at: str = ""
    notes: list[str] = field(default_factory=list)


def _who(entry: dict[str, Any]) -> str:
    kind = entry.get("type")
    if kind == "notify_log_entry":
        people = [entry.get("user") or {}]
    elif kind in ("assign_log_entry", "escalate_log_entry"):
        people = list(entry.get("assignees") or [])
    else:
        people = [entry.get("agent") or {}]
    names = [str(p.get("summary") or p.get("id") or "?") for p in people if isinstance(p, dict)]
    return ", ".join(names) or "?"


def responses(api: Any, incident_id: str) -> list[dict[str, str]]:
    """The incident's notifications, acknowledgements, escalations and resolution, oldest first."""
    entries = islice(api.pages(f"/incidents/{incident_id}/log_entries", {"time_zone": "UTC"}),
                     MAX_ENTRIES)  # fmt: skip
    found = [
        {"what": RESPONSE_TYPES[str(e.get("type"))], "who": _who(e), "at": str(e.get("created_at"))}
        for e in entries
        if e.get("type") in RESPONSE_TYPES
    ]
    found.reverse()  # the API answers newest first; oldest first, as they happened
    return sorted(found, key=lambda r: r["at"])


def incident_ids(steps: Iterable[dict[str, Any]]) -> list[str]:
    ids = [str(s["outputs"].get("incident_id") or "") for s in steps if isinstance(s["outputs"], dict)]
    return list(dict.fromkeys(i for i in ids if i))


def linked_tickets(inputs: dict[str, Any], steps: Iterable[dict[str, Any]]) -> list[str]:
    keys: list[str] = [str(inputs.get("ticket") or "").strip().upper()]
    created: set[str] = set()
    for step in steps:
        out = step["outputs"] if isinstance(step["outputs"], dict) else {}
        if step["kind"] == "sla":
            keys.append(str(out.get("ticket") or ""))
        elif step["kind"] == "jira" and out.get("action") == "create":
            created.add(str(out.get("key") or ""))
        elif step["kind"] == "jira":
            keys.append(str(out.get("key") or ""))
    return [k for k in dict.fromkeys(keys) if k and k not in created][:MAX_TICKETS]


def read(steps: list[dict[str, Any]], inputs: dict[str, Any], policy: Any,
         now: dt.datetime) -> Remote:  # fmt: skip
    remote = Remote(read_at=now.astimezone(dt.UTC).isoformat())
    ids = incident_ids(steps)
    if ids and not os.environ.get("PAGERDUTY_API_KEY"):
        remote.notes.append("PagerDuty was not read (PAGERDUTY_API_KEY is not set): who was "
                            "notified and who acknowledged are not shown")  # fmt: skip
    elif ids:
        from opskit.providers.pagerduty.client import connect

        try:
            api = connect()
            remote.responses = {i: responses(api, i) for i in ids}
        except (OpskitError, TargetError) as error:
            remote.notes.append(f"PagerDuty could not be read: {error}")
    tickets = linked_tickets(inputs, steps)
    missing = [n for n in JIRA_ENV if not os.environ.get(n)]
    if tickets and policy is None:
        remote.notes.append("The linked tickets' SLA outcomes need the policy repository")
    elif tickets and missing:
        remote.notes.append(f"Jira was not read ({', '.join(missing)} not set): the linked "
                            "tickets' SLA outcomes are not shown")  # fmt: skip
    elif tickets:
        from opskit.playbooks.steps.sla import ticket_clocks

        for key in tickets:
            try:
                remote.tickets.append(ticket_clocks(policy, key, now))
            except (OpskitError, TargetError) as error:
                remote.notes.append(f"{key}: the SLA outcome could not be read: {error}")
    return remote
