"""opskit oncall export-ical: shifts as an iCalendar file to import into calendar apps."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.oncall.inputs import (
    check_known,
    read_instant,
    read_window,
    read_zone,
    tz_option,
    window_options,
    within_render_budget,
)
from opskit.cli.oncall.load import load_policies
from opskit.cli.options import config_option
from opskit.errors import ExitCode, UsageError


@click.command("export-ical")
@window_options
@tz_option
@click.option("--person", help="Only this person's shifts.")
@click.option("--rotation", help="Only this rotation's shifts.")
@click.option("--now", "now_text", help="DTSTAMP of the events (default: now).")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@config_option
def export_ical(
    from_text: str | None, to_text: str | None, tz: str, person: str | None, rotation: str | None,
    now_text: str | None, out: Path | None, config_path: Path | None,
) -> int:  # fmt: skip
    """Shifts as an iCalendar (.ics) file, per person or rotation, to import into calendar apps."""
    from opskit.oncall.ical import export
    from opskit.oncall.schedule import Schedules, renderable

    policy, config = load_policies(config_path)
    check_known(policy.people, person, "person")
    check_known(policy.rotations, rotation, "rotation")
    lo, hi = read_window(from_text, to_text, read_zone(tz), config)
    chosen = [policy.rotations[rotation]] if rotation else list(policy.rotations.values())
    within_render_budget(chosen, lo, hi)
    schedules = Schedules(policy, lo, hi)
    shifts = [
        (r.name, s)
        for r in chosen
        if renderable(r)
        for s in schedules.shifts(r)
        if person is None or s.person == person
    ]
    title = f"On call: {person or rotation or 'all rotations'}"
    data = export(title, shifts, read_instant(now_text, tz, "--now"))
    if out is None:
        click.echo(data.decode(), nl=False)
    else:
        try:
            out.write_bytes(data)
        except OSError as error:
            raise UsageError(f"--out: cannot write {out}: {error.strerror}") from None
        click.echo(f"wrote {len(shifts)} shift(s) to {out}", err=True)
    return ExitCode.OK
