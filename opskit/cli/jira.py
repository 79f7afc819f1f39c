"""opskit jira: what the Jira target needs beyond plan and apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from opskit.cli.options import config_option
from opskit.errors import ExitCode


@click.group()
def jira() -> None:
    """Jira Service Management: SLA settings checklist, adopting hand-made objects."""


@jira.command("sla-config")
@config_option
@click.option("--project", help="Service desk project (default: targets.jira.service_desk).")
@click.option(
    "--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the Markdown here."
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day of the holiday list (default: today).",
)
def sla_config(
    config_path: Path | None, project: str | None, out: Path | None, today: dt.datetime | None
) -> int:
    """The SLA metrics, goals and calendars to set by hand in JSM, as a Markdown checklist."""
    from opskit.cli.sync import load
    from opskit.providers.jira.settings import Settings
    from opskit.providers.jira.sla_config import render

    config, policy = load(config_path)
    settings = Settings.from_config(config.targets)
    desk = project or settings.service_desk
    if not desk:
        raise click.UsageError("no service desk: pass --project or set targets.jira.service_desk")
    text = render(policy, desk, settings.tier_field, (today or dt.datetime.now()).date())
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text)
        click.echo(f"Wrote the SLA checklist for {desk} to {out}", err=True)
    return ExitCode.OK


@jira.command()
@config_option
@click.option("--yes", "-y", is_flag=True, help="Adopt them (without it, only list them).")
def adopt(config_path: Path | None, yes: bool) -> int:
    """Mark hand-made components and organisations the policies name as managed by opskit."""
    from opskit.cli.sync import load
    from opskit.providers.jira.adopt import adopt as adopt_one
    from opskit.providers.jira.provider import JiraProvider

    config, policy = load(config_path)
    target = JiraProvider.from_config(config)
    target.plan(policy)
    if not target.clashes:
        click.echo("Nothing to adopt: no hand-made object has a name the policies use.")
        return ExitCode.OK
    for found in target.clashes:
        if yes:
            adopt_one(target.api, config.workspace, found)
        verb = "Adopted" if yes else "Would adopt"
        click.echo(f"{verb} {found.type} {found.key!r} ({found.id})")
    if not yes:
        click.echo("Pass --yes to adopt them; then 'opskit plan --target jira' shows the rest.")
        return ExitCode.FINDINGS
    return ExitCode.OK
