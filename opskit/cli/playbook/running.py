"""playbook run and resume."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from opskit.cli.options import config_option
from opskit.cli.playbook import playbook
from opskit.cli.playbook.common import (
    answering,
    find_playbook,
    load_policy,
    progress_for,
    responder_for,
)
from opskit.errors import ExitCode


@playbook.command()
@click.argument("name")
@click.option("--service", help="The service affected (a Service of the policies): inputs.service.")
@click.option("--ticket", help="The Jira ticket (e.g. OPS-123): inputs.ticket.")
@click.option(
    "--customer", help="The customer affected (a Customer of the policies): inputs.customer."
)
@click.option("--input", "-i", "pairs", multiple=True, metavar="NAME=VALUE",
              help="An input for the templates (inputs.NAME); repeatable.")  # fmt: skip
@answering
@click.option(
    "--dry-run", is_flag=True, help="Show every step with its values filled in; run nothing."
)
@config_option
def run(
    name: str, service: str | None, ticket: str | None, customer: str | None,
    pairs: tuple[str, ...], yes: bool, answers_path: Path | None, dry_run: bool,
    config_path: Path | None,
) -> ExitCode:  # fmt: skip
    """Run a playbook step by step, journaling every event.

    On a terminal each step asks what it needs; off one, --yes and --answers FILE answer.

    \b
    Exit codes: 0 the run finished, 1 a step failed (or waits for an answer),
    2 usage error, 3 a target failed (auth, network), 130 interrupted.
    Resume a stopped run with `opskit playbook resume RUN`.
    """
    from opskit.playbooks.engine import Runner
    from opskit.playbooks.inputs import build_inputs
    from opskit.playbooks.runs import create_run

    policy = load_policy(config_path)
    found = find_playbook(policy, name)
    inputs, warnings = build_inputs(
        policy, found, pairs, service=service, ticket=ticket, customer=customer
    )
    for warning in warnings:
        click.secho(f"opskit: warning: {warning}", fg="yellow", err=True)
    if dry_run:
        return _dry_run(found, inputs)
    progress = progress_for(policy=policy, inputs=inputs)
    responder = responder_for(yes, answers_path, progress)
    opened = create_run(found.name, progress.started)
    try:
        click.echo(f"run {opened.run_id}")
        click.echo(f"journal {opened.folder / 'journal.jsonl'}")
        runner = Runner(policy, found, opened.run_id, opened.journal, responder, progress)
        runner.start(inputs)
        return runner.run()
    finally:
        opened.close()


def _dry_run(found: Any, inputs: dict[str, Any]) -> ExitCode:
    from opskit.playbooks.dry_run import dry_run

    click.echo(click.style(f"dry run of {found.name}: nothing runs, nothing is written", bold=True))
    if inputs:
        click.echo("inputs: " + ", ".join(f"{k}={v}" for k, v in inputs.items()))
    code = ExitCode.OK
    for shown in dry_run(found, inputs):
        title = f" {shown.step['title']}" if shown.step.get("title") else ""
        click.echo(f"\n{shown.index}. {shown.step['id']} ({shown.step['kind']}){title}")
        if shown.when is not None:
            click.echo(f"   when: {shown.when}")
        if shown.problem is not None:
            click.secho(f"   error: {shown.problem}", fg="red")
            code = ExitCode.FINDINGS
            continue
        for line in shown.description.splitlines():
            click.echo(f"   {line}")
    return code


@playbook.command()
@click.argument("run_id", metavar="RUN")
@answering
@config_option
def resume(run_id: str, yes: bool, answers_path: Path | None, config_path: Path | None) -> ExitCode:
    """Continue a run that stopped (a failed step, Ctrl-C, a crash or kill -9).

    A step that was in flight when the run died is attempted again, told so: steps with
    effects elsewhere look for their earlier effect first; a command asks before it
    runs again (unless it says `rerun: safe`).

    \b
    Exit codes: 0 the run finished, 1 a step failed (or waits for an answer),
    2 usage error, 3 a target failed (auth, network), 130 interrupted.
    Resume a stopped run with `opskit playbook resume RUN`.
    """
    from opskit.playbooks.engine import Runner, digest
    from opskit.playbooks.runs import open_run

    opened = open_run(run_id)
    try:
        first = opened.journal.events[0] if opened.journal.events else {}
        policy = load_policy(config_path)
        found = find_playbook(policy, str(first.get("playbook", "")))
        if first.get("digest") and first["digest"] != digest(found):
            click.secho(
                f"opskit: warning: playbook {found.name} changed since the run started",
                fg="yellow", err=True,
            )  # fmt: skip
        inputs = first.get("inputs") if isinstance(first.get("inputs"), dict) else {}
        progress = progress_for(str(first.get("at", "")) or None, policy=policy, inputs=inputs)
        responder = responder_for(yes, answers_path, progress)
        click.echo(f"resuming run {opened.run_id}")
        runner = Runner(policy, found, opened.run_id, opened.journal, responder, progress)
        return runner.run()
    finally:
        opened.close()
