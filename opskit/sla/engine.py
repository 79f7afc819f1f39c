"""A ticket's clocks at `now`, from its history and the policies.

- First response: from creation to the first public comment by an agent (see
  `opskit.sla.assign.is_agent`), entering one of the tier's `first_response_statuses`, or
  resolving the ticket (the customer is told), whichever comes first. Internal comments
  never count.
- Next update: runs from the first response while the ticket is open; each public agent
  comment meets the running cycle and starts the next one (a customer's comment does not).
  Resolving ends the cycle; reopening starts a new one. The clock shown is the latest
  cycle; earlier ones are in `Clock.earlier`.
- Resolution: from creation to entering a done status. A reopen resumes it: the resolved
  spell counts as a pause, and the clock stops at the next resolution, on the same budget
  (resolving and reopening never buys time).
All three hold in the tier's pause statuses; priority changes as `opskit.sla.priorities`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from opskit.policy.model import Policy, Priority
from opskit.sla.assign import Assignment, Directory, assign, contact_emails, is_agent, priority_of
from opskit.sla.history import Issue, as_of
from opskit.sla.measure import Pause, Rules
from opskit.sla.model import Clock, Metric, State, Ticket
from opskit.sla.priorities import Life, run
from opskit.sla.responses import first_response, next_update_cycles, pause_list, priority_effects
from opskit.sla.text import when
from opskit.sla.timeline import Spell, done_spans, priority_points, status_spells


@dataclass(frozen=True, slots=True)
class Untracked:
    """A ticket no clocks are kept for, and why (no tier, or no known priority)."""

    key: str
    summary: str
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class Context:
    """What the engine evaluates tickets with: the policy, org members and status categories."""

    policy: Policy
    directory: Directory
    categories: dict[str, str]  # status name -> category key, from the issues read

    @property
    def contacts(self) -> frozenset[str]:
        return contact_emails(self.policy)


def _points(
    issue: Issue, policy: Policy, now: dt.datetime
) -> list[tuple[dt.datetime, Priority]] | str:
    raw = priority_points(issue, now)
    mapped = [(t, priority_of(name, policy)) for t, name in raw]
    if mapped[-1][1] is None:
        return f"Jira priority {raw[-1][1]!r} is no Priority's jira_name: no target applies"
    points: list[tuple[dt.datetime, Priority]] = []
    for t, priority in mapped:
        if priority is None:
            continue  # an unknown priority for a while: the known ones around it apply
        if not points or points[-1][1] is not priority:
            points.append((issue.created if not points else t, priority))
    return points


def evaluate(issue: Issue, ctx: Context, now: dt.datetime) -> Ticket | Untracked:
    issue = as_of(issue, now, ctx.categories)
    spells = status_spells(issue, now, ctx.categories) if issue.created <= now else []
    status = spells[-1].status if spells else issue.status
    if issue.created > now:
        return Untracked(
            issue.key, issue.summary, status, f"created {when(issue.created)}, after now"
        )
    a = assign(issue, ctx.policy)
    if isinstance(a, str):
        return Untracked(issue.key, issue.summary, status, a)
    points = _points(issue, ctx.policy, now)
    if isinstance(points, str):
        return Untracked(issue.key, issue.summary, status, points)
    current = points[-1][1]
    if current.name not in a.tier.targets:
        reason = f"tier {a.tier.name} has no targets for {current.name}"
        return Untracked(issue.key, issue.summary, status, reason)
    life = Life(a.tier, Rules(a.tier.calendar, a.tier.at_risk_percent), points, now)
    clocks = _clocks(issue, ctx, a, life, spells)
    return Ticket(
        issue.key, issue.summary, status, current.name, a.tier.name, a.source,
        a.customer.name if a.customer else None, a.service.name if a.service else None,
        issue.created, issue.updated, frozenset(issue.labels), tuple(clocks),
        calendar=a.tier.calendar.name, timezone=a.tier.calendar.timezone,
        priority_changes=priority_effects(life, clocks),
    )  # fmt: skip


def _clocks(
    issue: Issue, ctx: Context, a: Assignment, life: Life, spells: list[Spell]
) -> list[Clock]:
    now = life.now
    done = done_spans(spells)
    pauses = pause_list(spells, a.tier.pause_statuses)
    replies = [
        (c.at, c.author.email or c.author.account_id) for c in issue.comments
        if c.at <= now and c.public and is_agent(c.author, issue, ctx.directory, ctx.contacts)
    ]  # fmt: skip
    clocks: list[Clock] = []
    fr_stop, fr_what = first_response(spells, replies, a.tier.first_response_statuses)
    fr = run(life, Metric.FIRST_RESPONSE, issue.created, fr_stop, pauses)
    if fr is not None:
        clocks.append(_explain(fr, fr_what))
    if fr_stop is not None:
        cycles = []
        for start, stop, what in next_update_cycles(fr_stop, replies, done):
            clock = run(life, Metric.NEXT_UPDATE, start, stop, pauses)
            if clock is not None:
                cycles.append(_explain(clock, what))
        if cycles:
            previous = tuple(e for c in cycles[:-1] for e in (*c.earlier, c))
            clocks.append(replace(cycles[-1], earlier=previous + cycles[-1].earlier))
    clocks.extend(_resolution(issue, life, pauses, done))
    return clocks


def _resolution(
    issue: Issue,
    life: Life,
    pauses: list[Pause],
    done: list[tuple[dt.datetime, dt.datetime | None]],
) -> list[Clock]:
    reopened: list[Pause] = [(a, b, "resolved, then reopened") for a, b in done if b is not None]
    stop = done[-1][0] if done and done[-1][1] is None else None
    merged = sorted([*pauses, *reopened], key=lambda p: p[0])
    clock = run(life, Metric.RESOLUTION, issue.created, stop, merged)
    if clock is None:
        return []
    clock = _explain(clock, "resolving the ticket")
    if reopened:
        clock = replace(clock, why=f"{clock.why}; reopened {len(reopened)} time(s)")
    return [clock]


def _explain(clock: Clock, what: str) -> Clock:
    """Say what stopped a stopped clock."""
    if clock.stop is None or not what:
        return clock
    if clock.state is State.MET:
        return replace(
            clock, why=f"met by {what} at {when(clock.stop)}; {clock.why.removeprefix('met: ')}"
        )
    return replace(clock, why=f"{clock.why}: {what} came at {when(clock.stop)}")


def evaluate_all(
    issues: list[Issue], ctx: Context, now: dt.datetime
) -> tuple[list[Ticket], list[Untracked]]:
    tickets: list[Ticket] = []
    untracked: list[Untracked] = []
    for issue in sorted(issues, key=lambda i: i.key):
        result = evaluate(issue, ctx, now)
        if isinstance(result, Untracked):
            untracked.append(result)
        else:
            tickets.append(result)
    return tickets, untracked
