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
from opskit.cli.sla.review_io import pagerduty_reader, read_usage, render, write
from opskit.errors import ExitCode, UsageError


@click.command()
@click.option("--period", "period_text", required=True, metavar="PERIOD",
              help="A calendar month (2026-11) or an ISO week (2026-W45); UTC boundaries.")  # fmt: skip
@customer_option
@jql_option
@reading_options
@click.option("--history", "history", type=click.IntRange(2, 24), default=12, show_default=True,
              help="Periods in the history, the reviewed one included.")  # fmt: skip
@click.option("--usage", "usage_dir", type=click.Path(path_type=Path, file_okay=False),
              metavar="DIR", help="A folder of usage series, <customer>.csv or <customer>.json "
              "(date,value), inside the repository.")  # fmt: skip
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="Write the review to FILE (atomically) instead of stdout.")  # fmt: skip
@format_option("md", "html", "json")
@sla_now_option
@config_option
def report(
    period_text: str, customer: str | None, jql: str | None, max_issues: int, no_cache: bool,
    history: int, usage_dir: Path | None, output: Path | None, output_format: str,
    now_text: str | None, config_path: Path | None,
) -> int:  # fmt: skip
    """The service review of a period: per customer (every customer, or only --customer)
    and for the whole desk (the sections shown, added up), against the period before.

    \b
    Periods are half-open and in UTC: 2026-11 is 2026-11-01T00:00Z up to 2026-12-01T00:00Z;
    weeks start on Monday. The clocks are evaluated at each period's end (at --now, default
    now, for a period still going), on the tiers' business calendars as `sla status` does.
    Per section: tickets opened and resolved; per metric and priority, clocks stopped in the
    period met and breached, the share met, and clocks still open at the end and already
    breached; the median and p90 of the business time used by the clocks stopped in the
    period; the five cases most over target, linked to JIRA_URL/browse/KEY; satisfaction
    (JSM CSAT ratings, counted in the period the ticket was resolved in); availability per
    service from high-urgency PagerDuty incidents (when PAGERDUTY_API_KEY is set) against the
    tier's review.availability_percent; a history of --history periods; each figure's
    difference from the previous period; and the warning signs the tier's review.signals
    raise. The review opens with the customers to call this week and why.

    \b
    Tickets read: the scope's tickets created before the period's end and not resolved
    before the history's first period, cached as `sla status` caches them. --usage DIR (inside
    the repository) holds <customer>.csv (date,value) or <customer>.json usage series.

    \b
    Formats: md (to paste into a ticket or an email), html (one self-contained page, inline
    SVG charts, no scripts; best with --output) and json, version 1: {"version", "period":
    {"label", "start", "end"}, "previous", "history": [period], "as_of", "scope",
    "untracked", "availability_measured", "to_call": [{"customer", "name", "signals":
    [{"name", "reason"}]}], "customers": [section], "desk": section}; a section is
    {"customer", "name", "current", "previous", "trend", "history", "availability",
    "signals"}; figures are {"opened", "resolved", "clocks": [{"metric", "priority", "met",
    "breached", "met_share", "open_breached"}], "times": [{"metric", "count",
    "median_seconds", "p90_seconds"}], "worst": [{"ticket", "url", "metric", "priority",
    "state", "over_seconds"}], "satisfaction": {"ratings", "mean", "low"}}. Business time is
    in whole seconds, shares 0..1, null where there is no value; times are UTC ISO 8601.

    \b
    Exit codes: 0, 1 a usage file that cannot be read (file:line:col), 2 usage (bad --period,
    unknown customer, a period not yet begun, --usage outside the repository), 3 Jira or
    PagerDuty failed or refused the query.
    """
    from opskit.providers.jira.settings import Settings
    from opskit.sla.collect import scope_of
    from opskit.sla.review import period, review

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
    usage = read_usage(usage_dir, config.root, policy, customer)
    api = connect()
    sources = review.Sources(pagerduty_reader(), usage, history)
    found = review.run(api, policy, scope, chosen, customer=customer, real_now=real_now,
                       max_issues=max_issues, use_cache=not no_cache, sources=sources)  # fmt: skip
    for note in found.notes:
        click.secho(f"opskit: note: {note}", fg="yellow", err=True)
    write(render(found, review.browse_url(api.site), output_format), output)
    return ExitCode.OK
