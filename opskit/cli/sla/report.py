"""opskit sla report: the service review of a period, per customer and for the desk."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.options import config_option, format_option
from opskit.cli.sla.common import (
    check_customer,
    connect,
    customer_option,
    jql_option,
    load,
    read_now,
    reading_options,
    sla_now_option,
)
from opskit.errors import ExitCode, UsageError


@click.command()
@click.option("--period", "period_text", required=True, metavar="PERIOD",
              help="A calendar month (2026-11) or an ISO week (2026-W45); UTC boundaries.")  # fmt: skip
@customer_option
@jql_option
@reading_options
@format_option("md", "json")
@sla_now_option
@config_option
def report(
    period_text: str, customer: str | None, jql: str | None, max_issues: int, no_cache: bool,
    output_format: str, now_text: str | None, config_path: Path | None,
) -> int:  # fmt: skip
    """The SLA figures of a period, per customer with tickets (or only --customer) and
    for the whole desk (the sections shown, added up), against the period before.

    \b
    Periods are half-open and in UTC: 2026-11 is 2026-11-01T00:00Z up to 2026-12-01T00:00Z;
    weeks start on Monday. The clocks are evaluated at the period's end (at --now, default
    now, for a period still going), on the tiers' business calendars as `sla status` does.
    Per section: tickets opened and resolved in the period; per metric and priority, clocks
    stopped in the period met and breached, the share met, and clocks still open at the end
    and already breached; the median and p90 of the business time used by the clocks
    stopped in the period; the five cases most over target, linked to
    JIRA_URL/browse/KEY; and each figure's difference from the previous period.

    \b
    Tickets read: the scope's tickets created before the period's end and not resolved
    before the previous period's start, cached as `sla status` caches them.

    \b
    JSON (--format json), version 1: {"version", "period": {"label", "start", "end"},
    "previous": {...}, "as_of", "scope", "untracked", "customers": [section], "desk":
    section}; a section is {"customer", "name", "current", "previous", "trend"}; figures
    are {"opened", "resolved", "clocks": [{"metric", "priority", "met", "breached",
    "met_share", "open_breached"}], "times": [{"metric", "count", "median_seconds",
    "p90_seconds"}], "worst": [{"ticket", "url", "metric", "priority", "state" (breached:
    stopped late | open: open at the end), "over_seconds"}]}; the trend has "opened", "resolved", "clocks" (met, breached, open_breached, met_share
    differences) and "times" (median_seconds, p90_seconds differences). Business time is in
    whole seconds, shares 0..1, null where there is no value; times are UTC ISO 8601.

    \b
    Exit codes: 0, 2 usage (bad --period, unknown customer, a period not yet begun),
    3 Jira failed or refused the query.
    """
    from opskit.cli.oncall.output import echo_json
    from opskit.providers.jira.settings import Settings
    from opskit.sla.collect import scope_of
    from opskit.sla.review import document, period, review

    try:
        chosen = period.parse(period_text)
    except ValueError as error:
        raise UsageError(f"--period: {error}") from None
    real_now = read_now(now_text)
    if chosen.start > real_now:
        raise UsageError(f"--period: {chosen.label} has not begun yet")
    policy, config = load(config_path)
    check_customer(policy, customer)
    scope = scope_of(jql, Settings.from_config(config.targets).projects)
    api = connect()
    found = review.run(api, policy, scope, chosen, customer=customer, real_now=real_now,
                       max_issues=max_issues, use_cache=not no_cache)  # fmt: skip
    for note in found.notes:
        click.secho(f"opskit: note: {note}", fg="yellow", err=True)
    doc = document.document(chosen, found.as_of, found.scope, review.browse_url(api.site),
                            found.sections, found.desk, found.untracked)  # fmt: skip
    if output_format == "json":
        echo_json(doc)
    else:
        click.echo(document.markdown(doc), nl=False)
    return ExitCode.OK
