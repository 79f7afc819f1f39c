"""playbook status and postmortem: the runs, one run's timeline, a run written up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from opskit.cli.options import config_option, format_option
from opskit.cli.playbook import playbook
from opskit.cli.playbook.common import load_policy
from opskit.errors import ExitCode


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
        policy = load_policy(config_path)
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
