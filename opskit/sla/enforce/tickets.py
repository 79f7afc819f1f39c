"""The tickets to enforce on: read from Jira by the SLA engine's reader, clocks at `now`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opskit.policy.model import Policy
from opskit.providers.jira.client import Api
from opskit.sla.collect import read, scope_of
from opskit.sla.engine import Context, evaluate_all
from opskit.sla.model import Ticket


@dataclass(frozen=True, slots=True)
class Loaded:
    """The tickets enforce acts on, their clocks evaluated, and notes from reading them."""

    tickets: list[Ticket]
    notes: list[str]


def load_tickets(
    api: Api, policy: Policy, projects: list[str], now: dt.datetime, *,
    jql: str | None = None, customer: str | None = None, use_cache: bool = True,
    max_issues: int = 5000,
) -> Loaded:  # fmt: skip
    """The open tickets of the scope (`jql`, else the policy's Jira projects), evaluated."""
    reading = read(api, scope_of(jql, projects), since=None, max_issues=max_issues, use_cache=use_cache,
                   started=dt.datetime.now(dt.UTC).replace(microsecond=0))  # fmt: skip
    context = Context(policy, reading.directory, dict(reading.categories))
    tickets, _ = evaluate_all(reading.issues, context, now)
    if customer is not None:
        tickets = [t for t in tickets if t.customer == customer]
    return Loaded(tickets, list(reading.notes))
