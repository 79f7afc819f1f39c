"""opskit oncall gaps: uncovered time of rotations and of services' promised hours."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.oncall.inputs import (
    read_horizon,
    read_instant,
    read_zone,
    tz_option,
    within_render_budget,
)
from opskit.cli.oncall.load import load_policies
from opskit.cli.oncall.output import echo_json
from opskit.cli.options import config_option, format_option
from opskit.errors import ExitCode


@click.command()
@click.option("--from", "from_text", help="Start (default: now).")
@click.option("--horizon", help="How far to look (default: opskit.yaml validate.horizon).")
@tz_option
@format_option("text", "json")
@config_option
def gaps(
    from_text: str | None,
    horizon: str | None,
    tz: str,
    output_format: str,
    config_path: Path | None,
) -> int:
    """Uncovered time of each rotation, and of each service's promised hours by step 1 of its ladder.

    Exits 1 when a service's promised hours have a gap.
    """
    from opskit.oncall.gaps import gaps as find
    from opskit.oncall.render_text import gaps_text

    policy, config = load_policies(config_path)
    lo = read_instant(from_text, read_zone(tz), "--from")
    hi = lo + read_horizon(horizon or config.horizon)
    within_render_budget(policy.rotations.values(), lo, hi)
    found = find(policy, lo, hi)
    if output_format == "json":
        echo_json(found)
    else:
        click.echo(gaps_text(found, tz))
    return ExitCode.FINDINGS if any(s["gaps"] for s in found["services"]) else ExitCode.OK
