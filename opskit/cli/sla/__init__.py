"""opskit sla: SLA clocks on real Jira tickets."""

from __future__ import annotations

import click

from opskit.cli.sla import enforce, report, show, status


@click.group()
def sla() -> None:
    """SLA clocks on Jira tickets: what is running, at risk or breached, and why.

    Tickets are read from Jira (JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN), read-only, and
    the clocks computed by opskit on the tiers' business calendars.
    """


sla.add_command(status.status)
sla.add_command(show.show)
sla.add_command(enforce.enforce)
sla.add_command(report.report)
