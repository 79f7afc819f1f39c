"""Pages: the incidents PagerDuty opened over a window, and the person each one took.

Read through opskit's PagerDuty client (``opskit.providers.pagerduty.client.connect()``:
paced, retried, 100 items a page), the way the service review reads availability. The
person is read from each incident's log entries, because PagerDuty clears an incident's
``assignments`` and ``acknowledgements`` when it is resolved: only the log remembers who
was paged. They are emails, from ``GET /users``, so they match the policies' people.

Requests for N incidents in the window and U users: ``ceil(U / 100)`` for the users (only
when there is an incident), and for each window of at most ``availability.CHUNK`` (the
API refuses a range over six months) ``ceil(N_w / 100)`` for its incidents and one
account-wide ``GET /log_entries?is_overview=true`` read of about four entries an incident
(trigger, assign, acknowledge, resolve): some N / 20 requests, where one log read per
incident would be N.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from opskit.sla.review import availability
from opskit.time.zones import parse_instant

MAX_INCIDENTS = 20_000
ENTRIES_AN_INCIDENT = 50  # overview entries read for each incident, at most: a bound
LATE = dt.timedelta(days=1)  # how long after the window an acknowledgement is looked for
NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)  # sorts an entry without a time last


@dataclass(frozen=True, slots=True)
class Page:
    """A PagerDuty incident of the window and the person who took it (by email)."""

    incident: str  # PagerDuty incident id
    service: str  # PagerDuty service name (as `opskit apply` names them: the policy's)
    urgency: str  # "high" or "low"
    start: dt.datetime  # created_at, aware UTC
    end: dt.datetime | None  # resolved_at; None while still open
    person: str  # email of who acknowledged first, else of who was first assigned; "" nobody


class Client(Protocol):
    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a list endpoint (``opskit.providers.pagerduty.client.Api``)."""
        ...


def _log(client: Client, since: dt.datetime, until: dt.datetime,
         limit: int) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    """The overview log entries of [since, until + LATE), by incident id, oldest first:
    an acknowledgement may come after the window's last page opened."""
    out: dict[str, list[dict[str, Any]]] = {}
    params = {"time_zone": "UTC", "is_overview": "true"}
    for entry in availability.listed(client, "/log_entries", since, until + LATE, params, limit,
                                     "read a shorter window"):  # fmt: skip
        out.setdefault(str((entry.get("incident") or {}).get("id")), []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: parse_instant(e.get("created_at")) or NEVER)
    return out


def _person(entries: list[dict[str, Any]], emails: dict[str, str]) -> str:
    """Who acknowledged first, else who was assigned first, from the log (oldest first)."""
    acks = [(e.get("agent") or {}) for e in entries if e.get("type") == "acknowledge_log_entry"]
    assigned = [a for e in entries if e.get("type") == "assign_log_entry"
                for a in e.get("assignees") or []]  # fmt: skip
    for who in [a for a in acks if str(a.get("type", "")).startswith("user")] + assigned:
        email = emails.get(str(who.get("id")), "")
        if email:
            return email
    return ""


def read_pages(client: Client, since: dt.datetime, until: dt.datetime, *,
               max_incidents: int = MAX_INCIDENTS) -> list[Page]:  # fmt: skip
    """The incidents created in [since, until), oldest first, each with its person.

    `client` is an ``Api`` from ``opskit.providers.pagerduty.client.connect()``. More than
    `max_incidents` in the window is an OpskitError (nothing is read past the bound); a
    user PagerDuty no longer lists reads as nobody ("")."""
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("read_pages: since and until must be aware datetimes")
    if since >= until:
        raise ValueError("read_pages: since must be before until")
    if max_incidents < 0:
        raise ValueError("read_pages: max_incidents must not be negative")
    incidents = availability.incidents(
        client, since, until, {"time_zone": "UTC"}, max_incidents, "read a shorter window"
    )
    if not incidents:
        return []
    emails = {str(u["id"]): str(u.get("email") or "").lower() for u in client.pages("/users")}
    logged = _log(client, since, until, ENTRIES_AN_INCIDENT * max(len(incidents), 1))
    out: list[Page] = []
    for incident in incidents:
        start = parse_instant(incident.get("created_at"))
        if start is None:
            continue
        end = (
            parse_instant(incident.get("resolved_at"))
            if incident.get("status") == "resolved"
            else None
        )
        service = incident.get("service") or {}
        out.append(Page(str(incident["id"]), str(service.get("summary") or service.get("id")),
                        str(incident.get("urgency") or "high"), start, end,
                        _person(logged.get(str(incident["id"]), []), emails)))  # fmt: skip
    return sorted(out, key=lambda p: (p.start, p.incident))
