"""opskit rules: the rule ids problems are reported under."""

from __future__ import annotations

import json

import click

from opskit.cli.options import format_option
from opskit.rules import RULES


@click.command()
@format_option("text", "json")
def rules(output_format: str) -> int:
    """List every rule opskit checks, with its id and level."""
    if output_format == "json":
        rows = [{"id": r.id, "level": str(r.level), "summary": r.summary} for r in RULES.values()]
        click.echo(json.dumps(rows, indent=2))
        return 0
    width = max(len(r) for r in RULES)
    for rule in RULES.values():
        click.echo(f"{rule.id:<{width}}  {rule.level!s:<7}  {rule.summary}")
    return 0
