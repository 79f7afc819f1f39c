"""Carrying out plans from the command line: the safety checks, progress and summary."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from opskit.cli.console import console
from opskit.errors import ExitCode, OpskitError
from opskit.sync.apply import Outcome, apply_plan
from opskit.sync.diff import Action, Change, carried_out
from opskit.sync.plan import Plan

# Off a terminal, a long apply says how far it got every this many changes (on stderr).
PROGRESS_EVERY = 25


def apply_all(
    work: Sequence[tuple[Any, Plan]], *, fresh: bool, prune: bool, max_deletes: int,
    dry_run: bool, confirm: bool, interactive: bool, output_format: str,
) -> int:  # fmt: skip
    """Apply each target's plan in turn, stopping at the first that fails.

    With --format json one document is printed at the end, covering every target: the
    ones not reached have no `applied` entry of their own (null).
    """
    from opskit.cli.sync import show

    outcomes: dict[int, Outcome | None] = {}
    statuses: dict[int, str] = {}
    code: int = ExitCode.OK
    try:
        for index, (target, plan) in enumerate(work):
            if output_format == "text":
                show([plan], output_format, prune=prune)
            statuses[index] = "refused"  # until run_apply returns: its checks raise
            outcome = run_apply(
                target, plan, fresh=fresh, prune=prune, max_deletes=max_deletes,
                dry_run=dry_run, confirm=confirm, interactive=interactive,
                output_format=output_format,
            )  # fmt: skip
            outcomes[index] = outcome
            statuses[index] = _status(outcome, dry_run)
            if outcome is not None and outcome.failed is not None:
                code = ExitCode.RUNTIME
                break
    finally:
        if output_format == "json":
            from opskit.sync.report import document

            plans = [plan for _, plan in work]
            report = document("apply", plans, prune=prune, outcomes=outcomes, statuses=statuses)
            click.echo(json.dumps(report, indent=2, sort_keys=True))
    return code


def _status(outcome: Outcome | None, dry_run: bool) -> str:
    if outcome is None:
        return "dry-run" if dry_run else "nothing-to-do"
    return "failed" if outcome.failed is not None else "applied"


def run_apply(
    target: Any, plan: Plan, *, fresh: bool, prune: bool, max_deletes: int, dry_run: bool,
    confirm: bool, interactive: bool, output_format: str,
) -> Outcome | None:  # fmt: skip
    """What applying one plan did, or None when there was nothing to do (or a dry run)."""
    if plan.errors:
        raise OpskitError(
            f"{plan.target}: the plan has errors; nothing was applied", ExitCode.FINDINGS
        )
    if not fresh and target.fingerprint() != plan.fingerprint:
        raise OpskitError(
            f"{plan.target} changed since this plan was made; run 'opskit plan' again",
            ExitCode.RUNTIME,
        )
    deletes = sum(1 for c in plan.changes if c.action is Action.DELETE and carried_out(c, prune=prune))
    if deletes > max_deletes:
        raise OpskitError(
            f"the plan deletes {deletes} objects, more than --max-deletes {max_deletes}; nothing was applied",
            ExitCode.FINDINGS,
        )
    work = [c for c in plan.changes if carried_out(c, prune=prune)]
    if dry_run or not work:
        return None
    if not confirm and not interactive:
        raise OpskitError("pass --yes to apply without a terminal", ExitCode.USAGE)
    if interactive and not click.confirm(f"Apply these changes to {plan.target}?"):
        raise click.exceptions.Abort()
    writer = target.writer()
    with _Progress(plan.target, len(work), live=output_format == "text" and sys.stderr.isatty()) as step:
        outcome = apply_plan(plan, writer, prune=prune, progress=step)
    if output_format == "text":
        _report(plan, outcome)
    return outcome


class _Progress:
    """A live bar on a terminal; elsewhere a plain line every PROGRESS_EVERY changes, so a
    CI log shows a long apply moving without a bar's control characters."""

    def __init__(self, target: str, total: int, *, live: bool) -> None:
        self.target, self.total, self.live, self.done = target, total, live, 0
        self.bar: Any = None

    def __enter__(self) -> Callable[[Change], None]:
        if self.live:
            from rich.progress import Progress

            self.bar = Progress(console=console(stderr=True), transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task(f"Applying to {self.target}", total=self.total)
        return self.step

    def step(self, _: Change) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.advance(self.task)
        elif self.done % PROGRESS_EVERY == 0 and self.done < self.total:
            click.echo(f"{self.target}: {self.done}/{self.total} changes applied", err=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
        elif self.total >= PROGRESS_EVERY:
            click.echo(f"{self.target}: {self.done}/{self.total} changes applied", err=True)


def _report(plan: Plan, outcome: Outcome) -> None:
    counts: dict[str, int] = {}
    for change, _ in outcome.done:
        counts[str(change.action)] = counts.get(str(change.action), 0) + 1
    done = ", ".join(f"{n} {action}d" for action, n in sorted(counts.items())) or "nothing"
    click.echo(f"Applied to {plan.target}: {done}.")
    if outcome.failed is not None:
        click.secho(
            f"Stopped at {outcome.failed.type} {outcome.failed.key!r}: {outcome.error}. "
            "Fix the cause and run apply again: finished steps are not repeated.",
            fg="red", err=True,
        )  # fmt: skip
