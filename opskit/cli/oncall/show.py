"""opskit oncall show: every shift in a window, as a timeline, JSON or CSV."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.console import console
from opskit.cli.oncall.inputs import (
    check_known,
    read_window,
    read_zone,
    tz_option,
    window_options,
    within_render_budget,
)
from opskit.cli.oncall.load import load_policies
from opskit.cli.oncall.output import echo_json
from opskit.cli.options import config_option, format_option
from opskit.errors import ExitCode


@click.command()
@window_options
@tz_option
@click.option("--rotation", "rotations", multiple=True, help="Only these rotations (repeatable).")
@format_option("text", "json", "csv")
@config_option
def show(
    from_text: str | None, to_text: str | None, tz: str, rotations: tuple[str, ...],
    output_format: str, config_path: Path | None,
) -> int:  # fmt: skip
    """Every shift between --from and --to: a timeline, or JSON or CSV."""
    from opskit.oncall.render_text import show_table
    from opskit.oncall.schedule import Schedules
    from opskit.oncall.timeline import as_csv, public, rows

    policy, config = load_policies(config_path)
    for name in rotations:
        check_known(policy.rotations, name, "rotation")
    lo, hi = read_window(from_text, to_text, read_zone(tz), config)
    chosen = [policy.rotations[n] for n in rotations] or list(policy.rotations.values())
    within_render_budget(chosen, lo, hi)
    found = rows(Schedules(policy, lo, hi), chosen)
    if output_format == "json":
        echo_json([public(r) for r in found])
    elif output_format == "csv":
        click.echo(as_csv(found), nl=False)
    else:
        console().print(show_table(found, tz, lo, hi))
    return ExitCode.OK
