"""Reading a period's tickets and evaluating them at each period's end.

The tickets read are those of the scope created before the period's end and not resolved
before the first reviewed period's start (the history: the period and up to eleven before
it): `(scope) AND created < END AND (resolved is EMPTY OR resolved >= FIRST_START)` (Jira's
times in the user's zone, minute precision). That covers every ticket opened, resolved, or
with a clock stopping or open at a period's end, in every period of the history. Each
period is evaluated at its own end. Satisfaction ratings are read for the tickets resolved
in the history; availability from PagerDuty when a client is given. They are read through `opskit.sla.collect` (cached per scope: a later run
reads in full only the tickets whose `updated` changed) and bounded by `max_issues`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from opskit.policy.model import Customer, Policy
from opskit.providers.jira.client import Api
from opskit.sla import collect, jira_read
from opskit.sla.engine import Context, evaluate_all
from opskit.sla.model import Metric, Ticket
from opskit.sla.review import availability, satisfaction
from opskit.sla.review.availability import Availability, Outage
from opskit.sla.review.figures import Figures, compute
from opskit.sla.review.period import Period
from opskit.sla.review.signals import Facts, Signal, raised
from opskit.sla.review.usage import Series
from opskit.time import zones

EVERYTHING = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # `updated >=` bound: the scope decides
NO_CUSTOMER = "Tickets without a customer (a service's tier)"


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a service review, a customer's or the desk's: figures, availability, signals."""

    customer: str | None
    name: str
    history: list[Figures]  # one per period, oldest first; the reviewed period last
    availability: list[Availability] = field(default_factory=list)  # the reviewed period's
    availability_before: list[Availability] = field(default_factory=list)
    availability_target: float | None = None
    signals: list[Signal] = field(default_factory=list)

    @property
    def current(self) -> Figures:
        return self.history[-1]

    @property
    def previous(self) -> Figures:
        return self.history[-2] if len(self.history) > 1 else Figures()


@dataclass(frozen=True, slots=True)
class Review:
    """A service review: a section per customer and the desk's, for periods up to as_of."""

    periods: list[Period]  # oldest first; the reviewed period last
    as_of: dt.datetime
    scope: str
    sections: list[Section]
    desk: Section
    untracked: int
    notes: list[str]
    availability_measured: bool


@dataclass(frozen=True, slots=True)
class Sources:
    """What besides Jira the review reads: PagerDuty (None: no availability) and usage."""

    pagerduty: Any | None = None
    usage: dict[str, Series] = field(default_factory=dict)
    history: int = 12


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


def period_scope(scope: str, periods: Sequence[Period], zone: dt.tzinfo) -> str:
    return (f"({scope}) AND created < {_jql_time(periods[-1].end, zone)} AND "
            f"(resolved is EMPTY OR resolved >= {_jql_time(periods[0].start, zone)})")  # fmt: skip


def run(
    api: Api, policy: Policy, scope: str, period: Period, *, customer: str | None,
    real_now: dt.datetime, max_issues: int, use_cache: bool, sources: Sources | None = None,
) -> Review:  # fmt: skip
    sources = sources or Sources()
    periods = period.back(max(2, sources.history))
    jql = period_scope(scope, periods, _zone(api))
    reading = collect.read(api, jql, since=EVERYTHING, max_issues=max_issues,
                           use_cache=use_cache, started=real_now)  # fmt: skip
    ctx = Context(policy, reading.directory, dict(reading.categories))
    as_of = min(period.end, real_now)
    ends = [min(p.end, as_of) for p in periods]

    untracked = 0
    evaluated: list[list[Ticket]] = []
    active: list[bool] = []  # per period: the desk opened a ticket (the data had begun)
    for instant, p in zip(ends, periods, strict=True):
        issues = [i for i in reading.issues if i.created < instant]  # evaluate cuts at instant
        tickets, left = evaluate_all(issues, ctx, instant)
        active.append(any(p.start <= t.created for t in tickets))
        if customer is not None:
            tickets = [t for t in tickets if t.customer == customer]
        evaluated.append(tickets)
        untracked = 0 if customer is not None else len(left)
    resolved_keys = _resolved_since(evaluated[-1], periods[0].start)
    ratings = satisfaction.read(api, resolved_keys, now=real_now, use_cache=use_cache)
    seen = {t.customer for ts in evaluated[-2:] for t in ts}
    # every customer, quiet ones too: a customer who stopped writing is one to call
    names = [customer] if customer else sorted(policy.customers)
    outages, measured, notes = _outages(sources.pagerduty, policy, names, periods, as_of)

    desk = Section(None, "Whole desk", [
        compute(ts, p, ratings) for ts, p in zip(evaluated, periods, strict=True)
    ])  # fmt: skip

    def section(name: str | None, title: str) -> Section:
        history = [compute([t for t in ts if t.customer == name], p, ratings)
                   for ts, p in zip(evaluated, periods, strict=True)]  # fmt: skip
        if name is None:
            return Section(None, title, history)
        who = policy.customers[name]
        now = _measure(outages, who, periods[-1], as_of) if measured else []
        before = _measure(outages, who, periods[-2], as_of) if measured else []
        facts = Facts(periods, history, _last_contact(evaluated[-1], name), as_of, now,
                      sources.usage.get(name), who.tier.review, active)  # fmt: skip
        return Section(name, title, history, now, before, who.tier.review.availability_percent,
                       raised(facts))  # fmt: skip

    sections = [section(n, policy.customers[n].display_name) for n in names]
    if customer is None and None in seen:
        sections.append(section(None, NO_CUSTOMER))
    return Review(periods, as_of, jql, sections, desk, untracked, reading.notes + notes, measured)


def _resolved_since(tickets: list[Ticket], since: dt.datetime) -> dict[str, dt.datetime]:
    """Tickets resolved in the history (the only ones a rating can count for): when."""
    return {t.key: c.stop for t in tickets for c in t.clocks
            if c.metric is Metric.RESOLUTION and c.stop is not None and c.stop >= since}  # fmt: skip


def _last_contact(tickets: list[Ticket], name: str) -> dt.datetime | None:
    return max((t.created for t in tickets if t.customer == name), default=None)


def _outages(
    client: Any | None, policy: Policy, names: list[str], periods: list[Period],
    as_of: dt.datetime,
) -> tuple[list[Outage], bool, list[str]]:  # fmt: skip
    if client is None:
        return [], False, []
    services = {s.name for n in names for s in policy.customers[n].services}
    found = availability.read(client, services, periods[-2].start - availability.LOOKBACK, as_of)
    return found, True, []


def _measure(outages: list[Outage], who: Customer, period: Period,
             as_of: dt.datetime) -> list[Availability]:  # fmt: skip
    return [availability.measure(outages, s.name, period, as_of)
            for s in sorted(who.services, key=lambda s: s.name)]  # fmt: skip
