"""Carrying out a plan from the command line: the safety checks, progress and summary."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from opskit.cli.errors import ExitCode, OpskitError
from opskit.sync.apply import Outcome, apply_plan
from opskit.sync.diff import Action
from opskit.sync.plan import Plan


def run_apply(
    target: Any, plan: Plan, *, fresh: bool, prune: bool, max_deletes: int, dry_run: bool,
    confirm: bool, interactive: bool, output_format: str,
) -> int:  # fmt: skip
    if plan.errors:
        raise OpskitError(
            f"{plan.target}: the plan has errors; nothing was applied", ExitCode.FINDINGS
        )
    if not fresh and target.fingerprint() != plan.fingerprint:
        raise OpskitError(
            f"{plan.target} changed since this plan was made; run 'opskit plan' again",
            ExitCode.RUNTIME,
        )
    deletes = plan.counts()[Action.DELETE] if prune else 0
    if deletes > max_deletes:
        raise OpskitError(
            f"the plan deletes {deletes} objects, more than --max-deletes {max_deletes}; nothing was applied",
            ExitCode.FINDINGS,
        )
    if dry_run or not any(_carried_out(c.action, prune) for c in plan.changes):
        if output_format == "json":
            click.echo(json.dumps({"plan": plan.to_json(), "applied": None}, sort_keys=True))
        return ExitCode.OK
    if not confirm and not interactive:
        raise OpskitError("pass --yes to apply without a terminal", ExitCode.USAGE)
    if interactive and not click.confirm(f"Apply these changes to {plan.target}?"):
        raise click.exceptions.Abort()
    outcome = _run(
        target, plan, prune=prune, show_progress=output_format == "text" and sys.stderr.isatty()
    )
    _report(plan, outcome, output_format)
    return ExitCode.RUNTIME if outcome.failed else ExitCode.OK


def _carried_out(action: Action, prune: bool) -> bool:
    return action is not Action.UNCHANGED and (prune or action is not Action.DELETE)


def _run(target: Any, plan: Plan, *, prune: bool, show_progress: bool) -> Outcome:
    writer = target.writer()
    if not show_progress:
        return apply_plan(plan, writer, prune=prune)
    from rich.progress import Progress

    work = [c for c in plan.changes if _carried_out(c.action, prune)]
    with Progress(transient=True) as progress:
        task = progress.add_task(f"Applying to {plan.target}", total=len(work))
        return apply_plan(plan, writer, prune=prune, progress=lambda _: progress.advance(task))


def _report(plan: Plan, outcome: Outcome, output_format: str) -> None:
    counts: dict[str, int] = {}
    for change, _ in outcome.done:
        counts[str(change.action)] = counts.get(str(change.action), 0) + 1
    if output_format == "json":
        failed = (
            None
            if outcome.failed is None
            else {"type": outcome.failed.type, "key": outcome.failed.key}
        )
        applied = {
            "done": counts,
            "failed": failed,
            "error": outcome.error,
            "skipped_deletes": outcome.skipped,
        }
        click.echo(json.dumps({"plan": plan.to_json(), "applied": applied}, sort_keys=True))
        return
    done = ", ".join(f"{n} {action}d" for action, n in sorted(counts.items())) or "nothing"
    click.echo(f"Applied to {plan.target}: {done}.")
    if outcome.failed is not None:
        click.secho(
            f"Stopped at {outcome.failed.type} {outcome.failed.key!r}: {outcome.error}. "
            "Fix the cause and run apply again: finished steps are not repeated.",
            fg="red", err=True,
        )  # fmt: skip
