"""opskit sla enforce: act on clocks at risk or breached, as each ticket's tier says."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from opskit.cli.options import config_option, format_option
from opskit.cli.sla.common import (
    check_customer,
    connect,
    customer_option,
    jql_option,
    load,
    read_now,
    reading_options,
    sla_now_option,
)
from opskit.errors import ExitCode, OpskitError

if TYPE_CHECKING:
    from opskit.sla.enforce import Plan


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what would be done; change nothing.")
@jql_option
@customer_option
@reading_options
@format_option("text", "json")
@sla_now_option
@config_option
def enforce(
    dry_run: bool, jql: str | None, customer: str | None, max_issues: int, no_cache: bool,
    output_format: str, now_text: str | None, config_path: Path | None,
) -> int:  # fmt: skip
    """Label, comment, raise the priority of, notify the on-call person for, and page about
    tickets whose clocks are at risk or breached, as the tier's `enforce` says.

    \b
    Each action happens once per ticket, metric and state, however often this runs and
    on however many machines (see opskit.sla.enforce): safe from cron. Jira from
    JIRA_URL, JIRA_EMAIL and JIRA_API_TOKEN; PagerDuty (only when a tier pages) from
    PAGERDUTY_API_KEY (and PAGERDUTY_URL, PAGERDUTY_EVENTS_URL).

    \b
    Exit codes: 0 done or nothing to do, 1 --dry-run found actions to do, 2 usage,
    3 Jira or PagerDuty refused or failed (what was done and what was not is listed).
    """
    from opskit.providers.jira.settings import Settings
    from opskit.sla.enforce import Executor, Sources, Status, plan
    from opskit.sla.enforce.tickets import load_tickets
    from opskit.sync.apply import TargetError

    now = read_now(now_text)
    policy, config = load(config_path)
    check_customer(policy, customer)
    api = connect()
    projects = Settings.from_config(config.targets).projects
    try:
        loaded = load_tickets(api, policy, projects, now, jql=jql, customer=customer,
                              use_cache=not no_cache, max_issues=max_issues)  # fmt: skip
        found = plan(loaded.tickets, policy, Sources(policy, now, api), now)
    except TargetError as error:
        raise OpskitError(f"reading what is done already: {error}") from None
    for note in loaded.notes:
        click.secho(f"opskit: note: {note}", fg="yellow", err=True)
    if not dry_run:
        Executor(api).run(found)
    _show(found, now.strftime("%Y-%m-%dT%H:%M:%SZ"), output_format)
    failed = found.count(Status.FAILED)
    if failed:
        tried = failed + found.count(Status.DONE)
        click.secho(f"opskit: error: {failed} of {tried} action(s) failed (listed above); "
                    "run again to finish", fg="red", err=True)  # fmt: skip
        return ExitCode.RUNTIME
    return ExitCode.FINDINGS if dry_run and found.count(Status.PENDING) else ExitCode.OK


def _show(found: Plan, now: str, output_format: str) -> None:
    from opskit.sla.enforce.report import document, text_lines

    if output_format == "json":
        from opskit.cli.oncall.output import echo_json

        echo_json(document(found, now))
        return
    for line in text_lines(found):
        if line.startswith("  !"):
            click.secho(line, fg="yellow")
        elif line.startswith("  x"):
            click.secho(line, fg="red")
        else:
            click.echo(line)
