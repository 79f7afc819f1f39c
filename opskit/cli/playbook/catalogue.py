"""playbook list and show: the playbooks of the repository and their steps."""

from __future__ import annotations

import json
from pathlib import Path

import click

from opskit.cli.options import config_option, format_option
from opskit.cli.playbook import playbook
from opskit.cli.playbook.common import find_playbook, load_policy
from opskit.errors import ExitCode


@playbook.command("list")
@format_option("text", "json")
@config_option
def list_command(output_format: str, config_path: Path | None) -> ExitCode:
    """The playbooks of the policy repository: name, title, services."""
    policy = load_policy(config_path)
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
    from opskit.playbooks.state import step_values
    from opskit.playbooks.steps import kind

    found = find_playbook(load_policy(config_path), name)
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
