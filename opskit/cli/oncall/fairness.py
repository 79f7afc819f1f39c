"""opskit oncall fairness: on-call load per person, with warnings above limits."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.console import console
from opskit.cli.oncall.inputs import (
    read_window,
    read_zone,
    tz_option,
    window_options,
    within_render_budget,
)
from opskit.cli.oncall.load import load_policies
from opskit.cli.oncall.output import echo_json
from opskit.cli.options import config_option, format_option
from opskit.errors import ExitCode, UsageError


@click.command()
@window_options
@tz_option
@click.option(
    "--night", default="22:00-07:00", show_default=True, help="Night, on each person's clock."
)
@click.option("--max-hours", type=float, help="Warn above this many on-call hours a person.")
@click.option("--max-night-hours", type=float, help="Warn above this many night hours a person.")
@click.option(
    "--max-weekend-hours", type=float, help="Warn above this many weekend hours a person."
)
@click.option(
    "--max-holiday-hours", type=float, help="Warn above this many holiday hours a person."
)
@click.option(
    "--max-spread", type=float, help="Warn when most and least loaded differ by more hours."
)
@format_option("text", "json")
@config_option
def fairness(
    from_text: str | None, to_text: str | None, tz: str, night: str, max_hours: float | None,
    max_night_hours: float | None, max_weekend_hours: float | None, max_holiday_hours: float | None,
    max_spread: float | None, output_format: str, config_path: Path | None,
) -> int:  # fmt: skip
    """On-call load per person: hours, nights, weekends, holidays, shifts; warns above limits.

    Exits 1 when a limit is exceeded.
    """
    from opskit.oncall.fairness import loads, report
    from opskit.oncall.render_text import fairness_table
    from opskit.policy.values import parse_window

    try:
        night_window = parse_window(night)
    except ValueError as error:
        raise UsageError(f"--night: {error}") from None
    policy, config = load_policies(config_path)
    lo, hi = read_window(from_text, to_text, read_zone(tz), config)
    within_render_budget(policy.rotations.values(), lo, hi)
    limits = {"hours": max_hours, "night_hours": max_night_hours, "weekend_hours": max_weekend_hours,
              "holiday_hours": max_holiday_hours, "spread": max_spread}  # fmt: skip
    found = report(loads(policy, lo, hi, night_window), limits)
    if output_format == "json":
        echo_json(found)
    else:
        console().print(*fairness_table(found, lo, hi))
    return ExitCode.FINDINGS if found["warnings"] else ExitCode.OK
