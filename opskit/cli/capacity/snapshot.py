"""opskit capacity snapshot: commit the demand, so validate checks the staffing on every PR."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.capacity.common import history_options, read_history
from opskit.errors import ExitCode, UsageError


@click.command()
@history_options
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="Where to write it (default: capacity-snapshot.json at the "
              "repository's root, where validate looks).")  # fmt: skip
def snapshot(
    period_text: str, tickets_file: Path | None, jql: str | None, max_issues: int,
    now_text: str | None, config_path: Path | None, output: Path | None,
) -> int:  # fmt: skip
    """Write the demand measured over --period to capacity-snapshot.json.

    \b
    Mean tickets in each hour of the week per tier, priority and customer, on each desk's
    clock, and the handle times logged; no ticket keys, people or text. Commit it: validate
    then proves with rule capacity-short that every attainment goal is staffed, on every
    change to rotations, shrinkage or goals, without reading Jira.
    """
    from opskit.capacity import snapshot as snap
    from opskit.capacity.demand import demand
    from opskit.capacity.desks import desks
    from opskit.cli.sla.review_io import write

    found = read_history(period_text, tickets_file, jql, max_issues, now_text, config_path)
    zones = sorted({d.zone for d in desks(found.policy)})
    if not zones:
        raise UsageError("no tier says who answers it: add capacity.desk to a SlaTier")
    measured = {z: demand(found.arrivals, z, found.since, found.until) for z in zones}
    counted = sum(1 for a in found.arrivals if found.since <= a.created < found.until)
    import json

    text = json.dumps(snap.document(measured, counted), indent=1) + "\n"
    write(text, output or found.config.root / snap.NAME)
    return ExitCode.OK
