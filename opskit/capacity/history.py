"""Ticket history from Jira, lean: what demand needs of each ticket and nothing more.

One search of the tickets created in the window, 100 a page, with five fields: created,
priority, components, the JSM organisations and `timespent` (the work logged, Jira's time
tracking). No changelogs or comments: arrivals need the tier (the SLA engine's rules, from
organisation or component), the priority in force now, and the time worked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from opskit.capacity.demand import Arrival
from opskit.errors import OpskitError
from opskit.policy.model import Policy
from opskit.providers.jira.client import Api
from opskit.sla import jira_read
from opskit.sla.assign import assign, priority_of
from opskit.sla.collect import jql_time
from opskit.sla.history import Issue, parse_time
from opskit.sync.apply import TargetError

FIELDS = ["created", "priority", "components", "timespent"]


@dataclass
class History:
    """The arrivals a Jira search found, and how many tickets were left out and why."""

    arrivals: list[Arrival] = field(default_factory=list)
    untracked: int = 0  # tickets no tier applies to
    unknown_priority: int = 0  # tickets whose Jira priority is no policy Priority's


def read(
    api: Api, policy: Policy, scope: str, since: dt.datetime, until: dt.datetime, limit: int
) -> History:
    """The arrivals of [since, until) in the scope, bounded by `limit` tickets."""
    try:
        zone = jira_read.user_zone(api)
        org_field = jira_read.organizations_field(api)
        jql = (f"({scope}) AND created >= {jql_time(since, zone)} "
               f"AND created < {jql_time(until, zone)} ORDER BY created ASC")  # fmt: skip
        fields = FIELDS + ([org_field] if org_field else [])
        found = History()
        for raw in jira_read.search(api, jql, fields, limit):
            _add(found, raw, org_field, policy)
    except TargetError as error:
        raise OpskitError(f"Jira refused the ticket search: {error}") from None
    except ValueError as error:  # a zone Jira gave that we cannot read
        raise OpskitError(f"Jira answered what opskit cannot read: {error}") from None
    return found


def _add(found: History, raw: dict[str, object], org_field: str | None, policy: Policy) -> None:
    f = raw.get("fields")
    if not isinstance(f, dict) or not f.get("created"):
        return
    orgs = [o for o in (f.get(org_field) or [] if org_field else []) if isinstance(o, dict)]
    created = parse_time(jira_read.jira_time(str(f["created"])))
    issue = Issue(
        key=str(raw.get("key", "")), id=str(raw.get("id", "")), summary="", status="",
        status_category="", priority=str((f.get("priority") or {}).get("name", "")),
        created=created, updated=created, reporter=None,
        organizations=tuple(str(o.get("name", "")) for o in orgs),
        components=tuple(str(c.get("name", "")) for c in f.get("components") or []
                         if isinstance(c, dict)),
    )  # fmt: skip
    assignment = assign(issue, policy)
    if isinstance(assignment, str):
        found.untracked += 1
        return
    priority = priority_of(issue.priority, policy)
    if priority is None:
        found.unknown_priority += 1
        return
    spent = f.get("timespent")
    handle = float(spent) if isinstance(spent, int) and 0 < spent < 10 * 365 * 86400 else None
    customer = assignment.customer.name if assignment.customer else ""
    found.arrivals.append(Arrival(created, assignment.tier.name, priority.name, customer, handle))
