"""opskit capacity oncall: how much paging takes of the people on call, against the limits."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.options import config_option, format_option
from opskit.cli.sla.common import load, read_now, sla_now_option
from opskit.errors import ExitCode, UsageError


@click.command()
@click.option("--period", "period_text", default="13w", show_default=True, metavar="PERIOD",
              help="The pages to measure: a span back from now (13w, 90d), a month (2026-11), "
              "an ISO week (2026-W45) or a range of months (2026-09..2026-11).")  # fmt: skip
@click.option("--rotation", "rotations", multiple=True, metavar="NAME",
              help="Only the people on this rotation (repeatable; default: every rotation).")  # fmt: skip
@click.option("--night", "night_text", default="22-7", show_default=True, metavar="FROM-TO",
              help="The hours a night page starts in, on the person's own clock.")  # fmt: skip
@sla_now_option
@config_option
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="Write the report to FILE (atomically) instead of stdout.")  # fmt: skip
@format_option("text", "json")
def oncall(
    period_text: str, rotations: tuple[str, ...], night_text: str, now_text: str | None,
    config_path: Path | None, output: Path | None, output_format: str,
) -> int:  # fmt: skip
    """How much paging takes of the engineers on call, from PagerDuty's incidents.

    \b
    Per person: shifts (from the rotations, as PagerDuty runs them), pages (who PagerDuty's
    log says acknowledged each incident, else who it was assigned to), the most in one
    shift, night pages a week, hours interrupted (each page at least 15 minutes) and the
    share of a 40-hour week left for project work. Each is held to the rotation's
    load_limits (pages_per_shift, night_pages_per_week, interrupted_percent); someone on
    several rotations to the strictest of each. A limit broken is reported at its line.

    \b
    Needs PAGERDUTY_API_KEY (and PAGERDUTY_URL for a sandbox). Exit codes: 0 every load
    within its limits, 1 some limit broken, 2 usage, 3 PagerDuty failed.
    """
    from opskit.capacity import oncall as assessment
    from opskit.capacity import oncall_report, window
    from opskit.capacity.pages import read_pages
    from opskit.cli.sla.review_io import write
    from opskit.providers.pagerduty.client import connect

    now = read_now(now_text)
    try:
        since, until, label = window.parse(period_text, now)
    except ValueError as error:
        raise UsageError(f"--period: {error}") from None
    night = _night(night_text)
    policy, _ = load(config_path)
    unknown = [name for name in rotations if name not in policy.rotations]
    if unknown:
        known = ", ".join(sorted(policy.rotations)) or "none"
        raise UsageError(f"--rotation: no rotation named {unknown[0]!r} (known: {known})")
    pages = read_pages(connect(), since, until)
    found = assessment.assess(policy, pages, since, until, rotations, night)
    doc = oncall_report.document(found, "PagerDuty", label)
    if output_format == "json":
        import json

        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        text = oncall_report.text(doc)
    write(text, output)
    return ExitCode.FINDINGS if doc["problems"] else ExitCode.OK


def _night(text: str) -> tuple[int, int]:
    first, sep, last = text.strip().partition("-")
    if not (sep and first.isdigit() and last.isdigit() and len(first) <= 2 and len(last) <= 2):
        raise UsageError(f"--night: {text[:20]!r} is not two hours FROM-TO, like 22-7")
    hours = int(first), int(last)
    if not all(0 <= h <= 23 for h in hours) or hours[0] == hours[1]:
        raise UsageError(f"--night: {text[:20]!r}: two different hours from 0 to 23")
    return hours
