"""Plans, drift and applies as one JSON document for any number of targets, for CI to parse."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from opskit.sync.apply import Outcome
from opskit.sync.diff import Action, kept
from opskit.sync.plan import Plan, change_json
from opskit.sync.resources import Warning

REPORT_VERSION = 1
# how each target of an apply ended
APPLY_STATUSES = ("applied", "failed", "nothing-to-do", "dry-run", "refused", "not-reached")
COUNTED = ("create", "update", "delete", "kept", "unchanged", "errors", "warnings")


def problem_json(warning: Warning) -> dict[str, Any]:
    """A plan's problem with its level, and its position split out where it has one."""
    source = str(warning.source) if warning.source else None
    found: dict[str, Any] = {
        "level": "error" if warning.error else "warning",
        "message": warning.message,
        "source": source,
    }
    path, line, column = split_source(source)
    if path is not None:
        found.update(path=path, line=line, column=column)
    return found


def split_source(source: str | None) -> tuple[str | None, int, int]:
    """'policies/x.yaml:12:7' -> ('policies/x.yaml', 12, 7); a bare path has line 0."""
    if not source:
        return None, 0, 0
    head, _, column = source.rpartition(":")
    path, _, line = head.rpartition(":")
    if path and line.isdigit() and column.isdigit():
        return path, int(line), int(column)
    return source, 0, 0


def counts(plan: Plan, *, prune: bool) -> dict[str, int]:
    """What would be done: deletes count only when they would be carried out."""
    by_action = plan.counts()
    errors = len(plan.errors)
    return {
        "create": by_action[Action.CREATE],
        "update": by_action[Action.UPDATE],
        "delete": by_action[Action.DELETE] - kept(plan.changes, prune=prune),
        "kept": kept(plan.changes, prune=prune),
        "unchanged": by_action[Action.UNCHANGED],
        "errors": errors,
        "warnings": len(plan.warnings) - errors,
    }


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    done: dict[str, int] = {}
    for change, _ in outcome.done:
        done[str(change.action)] = done.get(str(change.action), 0) + 1
    failed = outcome.failed
    return {
        "done": done,
        "failed": None if failed is None else {"type": failed.type, "key": failed.key},
        "error": outcome.error,
        "skipped_deletes": outcome.skipped,
    }


def target_json(
    plan: Plan, *, prune: bool, applied: Outcome | None = None, applying: bool = False,
    status: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    found: dict[str, Any] = {
        "target": plan.target,
        "workspace": plan.workspace,
        "pending": plan.pending,
        "counts": counts(plan, prune=prune),
        "changes": [change_json(c) for c in plan.changes],
        "problems": [problem_json(w) for w in plan.warnings],
        "unmanaged": plan.unmanaged,
        "fingerprint": plan.fingerprint,
    }
    if applying:
        found["applied"] = None if applied is None else outcome_json(applied)
        found["status"] = status
    return found


def document(
    command: str,
    plans: Sequence[Plan],
    *,
    prune: bool,
    outcomes: Mapping[int, Outcome | None] | None = None,
    statuses: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """The whole run: every target, totals, and whether it succeeded.

    `outcomes` (apply only) maps a plan's index to what applying it did, None when there
    was nothing to do; `statuses` says how each target ended (APPLY_STATUSES), and a
    target with no status was not reached.
    """
    applying = outcomes is not None
    targets = [
        target_json(
            p, prune=prune, applied=(outcomes or {}).get(i), applying=applying,
            status=(statuses or {}).get(i, "not-reached"),
        )
        for i, p in enumerate(plans)
    ]  # fmt: skip
    totals = {name: sum(t["counts"][name] for t in targets) for name in COUNTED}
    failed = any(p.errors for p in plans) or any(
        o is not None and o.failed is not None for o in (outcomes or {}).values()
    )
    return {
        "version": REPORT_VERSION,
        "command": command,
        "prune": prune,
        "ok": not failed and all(v != "refused" for v in (statuses or {}).values()),
        "pending": any(p.pending for p in plans),
        "counts": totals,
        "targets": targets,
        "problems": [],  # of the policies themselves: none, or nothing would have been planned
    }
