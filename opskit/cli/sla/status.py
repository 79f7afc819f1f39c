"""opskit sla status: the running clocks, most urgent first."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.options import config_option, format_option
from opskit.cli.sla.common import (
    check_customer,
    connect,
    context,
    customer_option,
    jql_option,
    load,
    read_now,
    read_since,
    reading_options,
    sla_now_option,
)
from opskit.errors import ExitCode

FAIL_ON = {"at_risk": ("at_risk", "breached"), "breached": ("breached",)}


@click.command()
@jql_option
@customer_option
@click.option("--at-risk", "at_risk", is_flag=True, help="Only clocks at risk or breached.")
@click.option(
    "--fail-on", type=click.Choice(sorted(FAIL_ON)),
    help="Exit 1 when a listed clock is at risk (or worse) / breached.",
)  # fmt: skip
@click.option("--since", help="Read tickets updated since (ISO time, or 2h, 7d back).")
@reading_options
@format_option("text", "json")
@sla_now_option
@config_option
def status(
    jql: str | None, customer: str | None, at_risk: bool, fail_on: str | None,
    since: str | None, max_issues: int, no_cache: bool, output_format: str,
    now_text: str | None, config_path: Path | None,
) -> int:  # fmt: skip
    """The open SLA clocks of Jira tickets, most urgent first (breached, then least
    business time left), with business time left and wall time until the deadline.

    \b
    Reads incrementally: the tickets read are kept in the cache folder (OPSKIT_CACHE_DIR,
    else ~/.cache/opskit/sla), and a later run asks Jira only for tickets updated since
    the last one (less 10 minutes); every cached open ticket is recomputed at --now.

    \b
    JSON (--format json), version 1: {"version", "now", "scope", "clocks": [...],
    "untracked": {"count", "tickets": [{"ticket", "reason"}]}, "read": {"searched",
    "read", "cached"}}; each clock has ticket, summary, status, customer, service,
    tier, tier_source, priority, metric, state, target, start, stop, deadline,
    budget_seconds, elapsed_seconds, remaining_seconds, wall_seconds_to_deadline,
    why and segments [{kind, start, end, reason}]. Times are UTC ISO 8601.

    \b
    Exit codes: 0 (also with clocks at risk or breached, unless --fail-on says so),
    1 a clock matched --fail-on, 2 usage (unknown customer, bad --now/--since),
    3 Jira failed or refused the query (a bad --jql shows Jira's message).
    """
    from opskit.cli.sla.render import status_text
    from opskit.providers.jira.settings import Settings
    from opskit.sla.collect import read, scope_of
    from opskit.sla.engine import evaluate_all
    from opskit.sla.report import rows, status_document

    now = read_now(now_text)
    real_now = read_now(None)
    since_at = read_since(since, real_now)
    policy, config = load(config_path)
    check_customer(policy, customer)
    scope = scope_of(jql, Settings.from_config(config.targets).projects)
    reading = read(connect(), scope, since=since_at, max_issues=max_issues,
                   use_cache=not no_cache, started=real_now)  # fmt: skip
    for note in reading.notes:
        click.secho(f"opskit: note: {note}", fg="yellow", err=True)
    tickets, untracked = evaluate_all(reading.issues, context(policy, reading), now)
    if customer is not None:
        tickets = [t for t in tickets if t.customer == customer]
        untracked = []
    found = rows(tickets, at_risk_only=at_risk)
    counts = {"searched": reading.searched, "read": reading.read, "cached": len(reading.issues)}
    if output_format == "json":
        from opskit.cli.oncall.output import echo_json

        echo_json(status_document(found, untracked, now, scope, counts))
    else:
        status_text(found, untracked, now)
    failing = FAIL_ON.get(fail_on or "", ())
    return ExitCode.FINDINGS if any(r.clock.state.value in failing for r in found) else ExitCode.OK
