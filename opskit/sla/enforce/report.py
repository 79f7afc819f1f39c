"""The plan (or what was done) as lines for people and as a JSON document.

Text, one block per clock:

    SUP-2 first_response breached (Premium P1, due 2026-12-01 15:45 UTC, -15m)
      + label sla-breached
      = internal comment: 'SLA breached ...'        (already done)
      ! PagerDuty service 'backup' has no Events API v2 integration: not paged

`+` to do (dry run) or done, `=` already done, `x` failed, `-` skipped, `!` a warning.
"""

from __future__ import annotations

from typing import Any

from opskit.sla.enforce.actions import Action, Plan, Status, Work
from opskit.sla.text import iso, span

VERSION = 1
SIGN = {Status.PENDING: "+", Status.DONE: "+", Status.ALREADY: "=", Status.FAILED: "x",
        Status.SKIPPED: "-"}  # fmt: skip


def heading(work: Work) -> str:
    t, c = work.ticket, work.clock
    due = c.deadline.strftime("%Y-%m-%d %H:%M UTC") if c.deadline else "paused"
    return f"{t.key} {c.metric.value} {c.state.value} ({t.tier} {t.priority}, due {due}, {span(c.remaining)})"


def action_line(action: Action, dry_run: bool) -> str:
    tail = {Status.ALREADY: "already done", Status.SKIPPED: "not tried: an earlier step failed",
            Status.FAILED: f"FAILED: {action.error}"}.get(action.status, "")  # fmt: skip
    if action.status is Status.DONE:
        tail = action.note or "done"
    elif action.status is Status.PENDING and not dry_run:
        tail = "not done"
    return f"  {SIGN[action.status]} {action.what}" + (f"  ({tail})" if tail else "")


def text_lines(plan: Plan) -> list[str]:
    lines: list[str] = []
    for work in plan.works:
        lines.append(heading(work))
        lines += [action_line(a, plan.dry_run) for a in work.actions]
        lines += [f"  ! {w}" for w in work.warnings]
    lines.append(summary(plan))
    return lines


def summary(plan: Plan) -> str:
    tickets = len({w.ticket.key for w in plan.works})
    head = f"{tickets} ticket(s), {len(plan.works)} clock(s) to act on"
    if plan.dry_run:
        counts = f"{plan.count(Status.PENDING)} action(s) to do, {plan.count(Status.ALREADY)} already done"
    else:
        counts = (f"{plan.count(Status.DONE)} done, {plan.count(Status.ALREADY)} already done, "
                  f"{plan.count(Status.FAILED)} failed, {plan.count(Status.SKIPPED)} not tried")  # fmt: skip
    warnings = len(plan.warnings())
    return (
        f"{head}: {counts}"
        + (f", {warnings} warning(s)" if warnings else "")
        + (" (dry run: nothing changed)" if plan.dry_run else "")
    )


def document(plan: Plan, now: str) -> dict[str, Any]:
    return {
        "version": VERSION,
        "now": now,
        "dry_run": plan.dry_run,
        "clocks": [_work(w) for w in plan.works],
        "warnings": plan.warnings(),
        "counts": {s.value: plan.count(s) for s in Status},
    }


def _work(work: Work) -> dict[str, Any]:
    t, c = work.ticket, work.clock
    return {
        "ticket": t.key, "metric": c.metric.value, "state": c.state.value, "tier": t.tier,
        "priority": t.priority, "service": t.service, "customer": t.customer,
        "deadline": iso(c.deadline), "remaining_seconds": c.remaining,
        "actions": [{"kind": a.kind.value, "what": a.what, "status": a.status.value,
                     **({"note": a.note} if a.note else {}),
                     **({"error": a.error} if a.error else {})} for a in work.actions],
        "warnings": list(work.warnings),
    }  # fmt: skip
