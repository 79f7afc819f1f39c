"""opskit sla show KEY: one ticket's clocks as a timeline."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.options import config_option, format_option
from opskit.cli.sla.common import connect, context, load, read_now, sla_now_option
from opskit.errors import ExitCode


@click.command()
@click.argument("key")
@format_option("text", "json")
@sla_now_option
@config_option
def show(key: str, output_format: str, now_text: str | None, config_path: Path | None) -> int:
    """One ticket's SLA timeline: each clock's counting and paused segments, the calendar's
    closed periods (nights, weekends, holidays by name), priority changes and what they
    did, why a clock is at risk or breached, and deadlines in the calendar's zone and UTC.

    \b
    The ticket is read fresh from Jira. JSON (--format json), version 1: {"version",
    "now", "ticket": {...}, "clocks": [... with "deadline_local", "closed_periods",
    "earlier"], "priority_changes": [{"at", "old", "new", "mode", "effect"}]}, or
    {"version", "now", "ticket", "untracked": reason} when no tier applies.

    Exit codes: 0 shown, 2 unknown key or bad option, 3 Jira failed.
    """
    from opskit.cli.sla.render import show_text
    from opskit.sla.collect import read_one
    from opskit.sla.engine import Untracked, evaluate
    from opskit.sla.explain import show_document

    now = read_now(now_text)
    policy, _ = load(config_path)
    reading = read_one(connect(), key.strip().upper())
    result = evaluate(reading.issues[0], context(policy, reading), now)
    calendar = None if isinstance(result, Untracked) else policy.tiers[result.tier].calendar
    document = show_document(result, calendar, now)
    if output_format == "json":
        from opskit.cli.oncall.output import echo_json

        echo_json(document)
    else:
        show_text(document)
    return ExitCode.OK
