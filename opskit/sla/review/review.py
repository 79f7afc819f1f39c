"""Reading a period's tickets and evaluating them at each period's end.

The tickets read are those of the scope created before the period's end and not resolved
before the previous period's start: `(scope) AND created < END AND (resolved is EMPTY OR
resolved >= PREVIOUS_START)` (Jira's times in the user's zone, minute precision). That
covers every ticket opened, resolved, or with a clock stopping or open at either end, in
the two periods. They are read through `opskit.sla.collect` (cached per scope: a later run
reads in full only the tickets whose `updated` changed) and bounded by `max_issues`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from opskit.policy.model import Policy
from opskit.providers.jira.client import Api
from opskit.sla import collect, jira_read
from opskit.sla.engine import Context, evaluate_all
from opskit.sla.model import Ticket
from opskit.sla.review.document import Section
from opskit.sla.review.figures import compute
from opskit.sla.review.period import Period
from opskit.time import zones

EVERYTHING = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # `updated >=` bound: the scope decides
NO_CUSTOMER = "Tickets without a customer (a service's tier)"


@dataclass(frozen=True, slots=True)
class Review:
    as_of: dt.datetime
    scope: str
    sections: list[Section]
    desk: Section
    untracked: int
    notes: list[str]


def browse_url(site: str) -> str:
    """`<site>/browse`, without any user or password the URL may carry."""
    parts = urlsplit(site)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", "")) + "/browse"


def _zone(api: Api) -> dt.tzinfo:
    try:
        return zones.zone(jira_read.user_zone(api))
    except ValueError:
        return dt.UTC


def _jql_time(t: dt.datetime, zone: dt.tzinfo) -> str:
    return t.astimezone(zone).strftime('"%Y-%m-%d %H:%M"')


def period_scope(scope: str, period: Period, zone: dt.tzinfo) -> str:
    start = period.previous().start
    return (f"({scope}) AND created < {_jql_time(period.end, zone)} AND "
            f"(resolved is EMPTY OR resolved >= {_jql_time(start, zone)})")  # fmt: skip


def run(
    api: Api, policy: Policy, scope: str, period: Period, *, customer: str | None,
    real_now: dt.datetime, max_issues: int, use_cache: bool,
) -> Review:  # fmt: skip
    jql = period_scope(scope, period, _zone(api))
    reading = collect.read(api, jql, since=EVERYTHING, max_issues=max_issues,
                           use_cache=use_cache, started=real_now)  # fmt: skip
    ctx = Context(policy, reading.directory, dict(reading.categories))
    as_of = min(period.end, real_now)
    before = period.previous()

    def at(instant: dt.datetime) -> tuple[list[Ticket], int]:
        issues = [i for i in reading.issues if i.created < instant]  # evaluate cuts at instant
        tickets, untracked = evaluate_all(issues, ctx, instant)
        if customer is not None:
            return [t for t in tickets if t.customer == customer], 0
        return tickets, len(untracked)

    now_tickets, untracked = at(as_of)
    old_tickets, _ = at(before.end)
    names = [customer] if customer else sorted(
        {t.customer for t in now_tickets + old_tickets if t.customer}
    )  # fmt: skip
    sections = [_section(n, policy.customers[n].display_name, now_tickets, old_tickets, period)
                for n in names]  # fmt: skip
    if customer is None and any(t.customer is None for t in now_tickets + old_tickets):
        sections.append(_section(None, NO_CUSTOMER, now_tickets, old_tickets, period))
    desk = Section(None, "Whole desk", compute(now_tickets, period),
                   compute(old_tickets, before))  # fmt: skip
    return Review(as_of, jql, sections, desk, untracked, reading.notes)


def _section(
    name: str | None, title: str, now: list[Ticket], old: list[Ticket], period: Period
) -> Section:
    mine = [t for t in now if t.customer == name]
    theirs = [t for t in old if t.customer == name]
    return Section(name, title, compute(mine, period), compute(theirs, period.previous()))
