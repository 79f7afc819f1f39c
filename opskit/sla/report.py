"""Clocks as rows and JSON documents: the order `sla status` lists them in, and the shapes.

Most urgent first: breached clocks, then by least business time left, then the earliest
deadline. Every instant in JSON is UTC ISO 8601 with `Z`; durations are whole seconds.

A clock in JSON (`clock_json`): `metric`, `state`, `priority`, `target` (as the tier writes
it), `start`, `stop`, `deadline` (null while paused), `budget_seconds`, `elapsed_seconds`,
`remaining_seconds` (business time; negative once breached), `wall_seconds_to_deadline`
(real time from `now`, null without a deadline), `why`, `segments` (`kind` counting|paused,
`start`, `end` (null: still going), `reason`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from opskit.sla.engine import Untracked
from opskit.sla.model import Clock, State, Ticket
from opskit.sla.text import iso

VERSION = 1
_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Row:
    """One open clock of a ticket, as `sla status` lists it."""

    ticket: Ticket
    clock: Clock


def rows(tickets: list[Ticket], *, at_risk_only: bool = False) -> list[Row]:
    """The open clocks, most urgent first."""
    found = [Row(t, c) for t in tickets for c in t.clocks if c.open]
    if at_risk_only:
        found = [r for r in found if r.clock.state in (State.AT_RISK, State.BREACHED)]
    return sorted(found, key=_urgency)


def _urgency(row: Row) -> tuple[int, int, dt.datetime, str, str]:
    c = row.clock
    return (
        c.state is not State.BREACHED,
        c.remaining,
        c.deadline or _FAR,
        row.ticket.key,
        c.metric,
    )


def wall_seconds(clock: Clock, now: dt.datetime) -> int | None:
    return None if clock.deadline is None else int((clock.deadline - now).total_seconds())


def clock_json(clock: Clock, now: dt.datetime) -> dict[str, Any]:
    return {
        "metric": clock.metric.value, "state": clock.state.value, "priority": clock.priority,
        "target": str(clock.target), "start": iso(clock.start), "stop": iso(clock.stop),
        "deadline": iso(clock.deadline), "budget_seconds": clock.budget,
        "elapsed_seconds": clock.elapsed, "remaining_seconds": clock.remaining,
        "wall_seconds_to_deadline": wall_seconds(clock, now), "why": clock.why,
        "segments": [
            {"kind": s.kind.value, "start": iso(s.start), "end": iso(s.end), "reason": s.reason}
            for s in clock.segments
        ],
    }  # fmt: skip


def ticket_head(ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket": ticket.key, "summary": ticket.summary, "status": ticket.status,
        "customer": ticket.customer, "service": ticket.service, "tier": ticket.tier,
        "tier_source": ticket.tier_source, "priority": ticket.priority,
    }  # fmt: skip


def status_document(
    found: list[Row], untracked: list[Untracked], now: dt.datetime, scope: str,
    read: dict[str, int],
) -> dict[str, Any]:  # fmt: skip
    """`sla status --format json`: version, now, scope, clocks (ticket fields + clock),
    untracked (count and each key with its reason), read (what this run asked Jira for)."""
    return {
        "version": VERSION, "now": iso(now), "scope": scope,
        "clocks": [ticket_head(r.ticket) | clock_json(r.clock, now) for r in found],
        "untracked": {"count": len(untracked),
                      "tickets": [{"ticket": u.key, "reason": u.reason} for u in untracked]},
        "read": read,
    }  # fmt: skip
