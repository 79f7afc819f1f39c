"""opskit playbook: list, show, run, resume, look at and write up the runs of incident playbooks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from opskit.cli.options import config_option, format_option
from opskit.errors import ExitCode, UsageError


@click.group()
def playbook() -> None:
    """Incident playbooks: show them, run them step by step, resume a run killed at any moment.

    Every run keeps a journal (one JSON line per event) in $OPSKIT_RUNS_DIR, else
    $XDG_STATE_HOME/opskit/runs, else ~/.local/state/opskit/runs: the incident's timeline.
    """


def _load(config_path: Path | None) -> Any:
    from opskit.cli.sla.common import load

    policy, _ = load(config_path)
    return policy


def _find(policy: Any, name: str) -> Any:
    if name not in policy.playbooks:
        from opskit.policy.schemas import suggest

        raise UsageError(f"no playbook {name!r}{suggest(name, policy.playbooks)}")
    return policy.playbooks[name]


@playbook.command("list")
@format_option("text", "json")
@config_option
def list_command(output_format: str, config_path: Path | None) -> ExitCode:
    """The playbooks of the policy repository: name, title, services."""
    policy = _load(config_path)
    rows = [
        {"name": p.name, "title": p.title, "services": [s.name for s in p.services],
         "steps": len(p.steps)}
        for p in sorted(policy.playbooks.values(), key=lambda p: p.name)
    ]  # fmt: skip
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return ExitCode.OK
    if not rows:
        click.echo("no playbooks")
    width = max((len(r["name"]) for r in rows), default=0)
    for row in rows:
        services = f"  [{', '.join(row['services'])}]" if row["services"] else ""
        click.echo(f"{row['name']:<{width}}  {row['title']}{services}")
    return ExitCode.OK


@playbook.command()
@click.argument("name")
@config_option
def show(name: str, config_path: Path | None) -> ExitCode:
    """A playbook's steps: their kinds and what each does."""
    from opskit.playbooks.engine import step_values
    from opskit.playbooks.steps import kind

    found = _find(_load(config_path), name)
    click.echo(click.style(f"{found.name}: {found.title}", bold=True))
    if found.services:
        click.echo(f"services: {', '.join(s.name for s in found.services)}")
    for index, step in enumerate(found.steps, 1):
        title = f" {step['title']}" if step.get("title") else ""
        click.echo(f"\n{index}. {step['id']} ({step['kind']}){title}")
        if "when" in step:
            click.echo(f"   when: {step['when']}")
        try:
            description = kind(str(step["kind"])).describe(step_values(step))
        except (KeyError, ModuleNotFoundError):
            description = f"(step kind {step['kind']!r} is not available in this opskit)"
        for line in description.splitlines():
            click.echo(f"   {line}")
    return ExitCode.OK


def _answering(function: Any) -> Any:
    function = click.option(
        "--answers", "answers_path", type=click.Path(dir_okay=False, path_type=Path),
        help="YAML answers by step id (a choice, true/false, or {choice, confirm, note}).",
    )(function)  # fmt: skip
    return click.option(
        "--yes", "-y", is_flag=True,
        help="Confirm every checklist item (a decide still needs --answers or a terminal).",
    )(function)  # fmt: skip


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _responder(yes: bool, answers_path: Path | None, progress: Any) -> Any:
    from opskit.playbooks.answers import Responder, load_answers
    from opskit.playbooks.console import TerminalPrompts

    answers = load_answers(answers_path) if answers_path is not None else {}
    prompts = TerminalPrompts(progress.console) if _interactive() else None
    if prompts is None and not yes and answers_path is None:
        raise UsageError("not on a terminal: pass --yes (confirm checklists) and/or --answers FILE")
    return Responder(answers, yes=yes, prompts=prompts, say=progress.say)


def _progress(started: str | None = None) -> Any:
    import datetime as dt

    from opskit.cli.console import console
    from opskit.playbooks.console import Progress
    from opskit.playbooks.journal import now, parse_stamp

    at = parse_stamp(started) if started else now()
    return Progress(console(), at if at.tzinfo else at.replace(tzinfo=dt.UTC))


@playbook.command()
@click.argument("name")
@click.option("--service", help="The service affected (a Service of the policies): inputs.service.")
@click.option("--ticket", help="The Jira ticket (e.g. OPS-123): inputs.ticket.")
@click.option(
    "--customer", help="The customer affected (a Customer of the policies): inputs.customer."
)
@click.option("--input", "-i", "pairs", multiple=True, metavar="NAME=VALUE",
              help="An input for the templates (inputs.NAME); repeatable.")  # fmt: skip
@_answering
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

    policy = _load(config_path)
    found = _find(policy, name)
    inputs, warnings = build_inputs(
        policy, found, pairs, service=service, ticket=ticket, customer=customer
    )
    for warning in warnings:
        click.secho(f"opskit: warning: {warning}", fg="yellow", err=True)
    if dry_run:
        return _dry_run(found, inputs)
    progress = _progress()
    responder = _responder(yes, answers_path, progress)
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
    from opskit.playbooks.engine import dry_run

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
@_answering
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
        policy = _load(config_path)
        found = _find(policy, str(first.get("playbook", "")))
        if first.get("digest") and first["digest"] != digest(found):
            click.secho(
                f"opskit: warning: playbook {found.name} changed since the run started",
                fg="yellow", err=True,
            )  # fmt: skip
        progress = _progress(str(first.get("at", "")) or None)
        responder = _responder(yes, answers_path, progress)
        click.echo(f"resuming run {opened.run_id}")
        runner = Runner(policy, found, opened.run_id, opened.journal, responder, progress)
        return runner.run()
    finally:
        opened.close()


@playbook.command()
@click.argument("run_id", metavar="RUN", required=False)
@format_option("text", "json")
def status(run_id: str | None, output_format: str) -> ExitCode:
    """The runs (id, playbook, started, state), or one run's timeline.

    States: running (a process holds it), finished, failed (stopped at a failed step),
    interrupted (killed or Ctrl-C: resume it), not started (killed before its first
    entry: nothing happened).
    """
    from opskit.playbooks.journal import JOURNAL, read_events
    from opskit.playbooks.runs import find_run, list_run_folders, runs_dir, summarize
    from opskit.playbooks.timeline import line

    if run_id is None:
        summaries = [summarize(folder) for folder in list_run_folders()]
        if output_format == "json":
            click.echo(json.dumps([s.to_json() for s in summaries], indent=2))
        elif not summaries:
            click.echo(f"no runs in {runs_dir()}")
        for s in summaries if output_format == "text" else []:
            at = f" at {s.step}" if s.step and s.state != "finished" else ""
            click.echo(f"{s.run_id}  {s.playbook}  {s.started}  {s.state}{at}")
        return ExitCode.OK
    folder = find_run(run_id)
    summary = summarize(folder)
    events = read_events(folder / JOURNAL)
    if output_format == "json":
        click.echo(
            json.dumps({**summary.to_json(), "events": events}, indent=2, ensure_ascii=False)
        )
        return ExitCode.OK
    click.echo(click.style(f"{summary.run_id}  {summary.playbook}  {summary.state}", bold=True))
    for event in events:
        click.echo(f"{event.get('at', '?')}  {line(event)}")
    return ExitCode.OK


@playbook.command()
@click.argument("run_id", metavar="RUN")
@format_option("md", "html")
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of standard output.")  # fmt: skip
@click.option("--zone", help="Show times in ZONE (default: the service's support-hours zone).")
@click.option("--offline", is_flag=True,
              help="Read nothing from PagerDuty or Jira: the journal alone.")  # fmt: skip
@config_option
def postmortem(
    run_id: str, output_format: str, output_path: Path | None, zone: str | None,
    offline: bool, config_path: Path | None,
) -> ExitCode:  # fmt: skip
    """A run's postmortem: summary, timeline, who was paged and acknowledged, SLA, follow-ups.

    Times are in UTC and in the incident's zone: --zone, else the support-hours zone of
    the run's service (its responders' zone for a 24x7 service), else UTC. Unless
    --offline, PagerDuty's log entries tell who was notified and who acknowledged
    (PAGERDUTY_API_KEY), and Jira the linked tickets' SLA outcomes now (JIRA_*); what
    cannot be read is noted in the postmortem.
    """
    from opskit.disk_cache import write_atomically
    from opskit.errors import OpskitError
    from opskit.playbooks import postmortem as pm
    from opskit.playbooks.journal import JOURNAL, read_events
    from opskit.playbooks.runs import find_run

    if zone is not None:
        pm.zone(zone)  # a bad zone is a usage error before anything is read
    folder = find_run(run_id)
    events = read_events(folder / JOURNAL)
    policy: Any = None
    try:
        policy = _load(config_path)
    except OpskitError:
        if config_path is not None:
            raise
    doc = pm.compose(folder.name, events, policy, zone, offline=offline)
    text = pm.html(doc) if output_format == "html" else pm.markdown(doc)
    if output_path is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output_path, text, shared=True)
        click.echo(f"wrote {output_path}", err=True)
    return ExitCode.OK
