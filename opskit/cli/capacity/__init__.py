"""opskit capacity: whether the people exist to keep the promises."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from opskit.cli.capacity.common import history_options, read_history
from opskit.cli.options import format_option
from opskit.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from opskit.capacity.report import Report


@click.group(invoke_without_command=True)
@history_options
@click.option("--growth", type=click.FloatRange(0.01, 100), default=1.0, show_default=True,
              help="Every tier's volume times this (1.25: a quarter more tickets).")  # fmt: skip
@click.option("--like", "like", multiple=True, metavar="CUSTOMER",
              help="Add a new customer whose tickets are like this one's (repeatable): can we "
              "sign that contract?")  # fmt: skip
@click.option("--weeks", type=click.IntRange(1, 26), default=4, show_default=True,
              help="The rotations' weeks to staff, from the Monday of --now's week.")  # fmt: skip
@click.option("--seed", type=click.IntRange(0, 2**31), default=1, show_default=True,
              help="The simulation's seed (the same seed, the same figures).")  # fmt: skip
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="Write the report to FILE (atomically) instead of stdout.")  # fmt: skip
@format_option("text", "json", "html")
@click.pass_context
def capacity(
    ctx: click.Context, period_text: str, tickets_file: Path | None, jql: str | None,
    max_issues: int, now_text: str | None, config_path: Path | None, growth: float,
    like: tuple[str, ...], weeks: int, seed: int, output: Path | None, output_format: str,
) -> int:  # fmt: skip
    """Can the desk keep the promises? Per hour of the week, from the tickets that really
    arrived and the people the rotations put on shift.

    \b
    Demand: the tickets created in --period (Jira's, as `sla status` reads them, or an
    export with --tickets), per tier and priority and hour of the week on each desk's clock;
    handle time from Jira's time spent where at least five tickets logged it, else the tier's
    capacity.handle_time. Supply: everyone on shift in the layers of the rotations a tier's
    capacity.desk names, less each rotation's shrinkage. For each promise with an attainment
    goal (targets.<P>.attainment or capacity.attainment): the share of first responses within
    target in every hour of the week its clock runs (served most urgent first, each tier by
    the rotations it names: Erlang C for a target within the hour, the backlog carried over
    the week for a longer one), the people the goal needs, and a seeded simulation of the
    weeks on the real shifts, holidays and business hours.
    --growth and --like answer "can we sign this contract?".

    \b
    Subcommands: snapshot writes the demand for validate's rule capacity-short; oncall
    measures how much paging eats the engineers' time.

    \b
    Exit codes: 0 every goal is staffed, 1 some promise cannot be kept (or a --tickets file
    cannot be read: file:line:col), 2 usage, 3 Jira failed or refused the query.
    """
    if ctx.invoked_subcommand is not None:
        return ExitCode.OK
    from opskit.capacity import report
    from opskit.capacity.demand import demand
    from opskit.capacity.scenario import Scenario
    from opskit.cli.sla.review_io import write

    found = read_history(period_text, tickets_file, jql, max_issues, now_text, config_path)
    try:
        chosen = Scenario(growth, like)
    except ValueError as error:
        raise UsageError(f"--growth: {error}") from None
    result = report.run(
        found.policy, lambda desk: demand(found.arrivals, desk.zone, found.since, found.until),
        since=found.since, until=found.until,
        tickets=sum(1 for a in found.arrivals if found.since <= a.created < found.until),
        start=found.now, weeks=weeks, chosen=chosen, seed=seed,
    )  # fmt: skip
    if not result.desks:
        raise UsageError("no tier says who answers it: add capacity.desk to a SlaTier")
    write(_render(result, found.source, found.label, output_format), output)
    return ExitCode.FINDINGS if result.findings() else ExitCode.OK


def _render(result: Report, source: str, label: str, output_format: str) -> str:
    from opskit.capacity import document

    doc = document.document(result, source, label)
    if output_format == "json":
        import json

        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if output_format == "html":
        from opskit.capacity import html

        return html.render(doc)
    from opskit.capacity import text

    return text.render(doc)


from opskit.cli.capacity import oncall, snapshot  # noqa: E402  (registered after the group exists)

capacity.add_command(snapshot.snapshot)
capacity.add_command(oncall.oncall)
