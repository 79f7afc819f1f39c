"""opskit oncall: who is on call, when, with which gaps, how fairly; calendars to import."""

from __future__ import annotations

import click

from opskit.cli.oncall import diff, export_ical, fairness, gaps, show, who


@click.group()
def oncall() -> None:
    """Who is on call: now, over time, gaps, fairness, calendars and reviews."""


oncall.add_command(who.who)
oncall.add_command(show.show)
oncall.add_command(gaps.gaps)
oncall.add_command(fairness.fairness)
oncall.add_command(export_ical.export_ical)
oncall.add_command(diff.diff_command)
