"""What the capacity commands share: where the ticket history comes from, and its window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from opskit.cli.options import config_option
from opskit.cli.sla.common import jql_option, load, read_now, sla_now_option
from opskit.errors import ExitCode, OpskitError, UsageError
from opskit.policy.config import Config
from opskit.policy.model import Policy

F = TypeVar("F", bound=Callable[..., Any])


def history_options(function: F) -> F:
    """The demand's source (Jira, or --tickets FILE) and window; the repository; --now."""
    for option in reversed([
        click.option("--period", "period_text", default="13w", show_default=True,
                     metavar="PERIOD", help="The history to measure demand over: a span back "
                     "from now (13w, 90d), a month (2026-11), an ISO week (2026-W45) or a range "
                     "of months (2026-02..2026-04)."),
        click.option("--tickets", "tickets_file", metavar="FILE",
                     type=click.Path(path_type=Path, dir_okay=False),
                     help="Read the history from a CSV or JSON export inside the repository "
                     "(created, priority, customer or tier, handle_minutes) instead of Jira."),
        jql_option,
        click.option("--max-issues", type=click.IntRange(1, 200_000), default=50_000,
                     show_default=True, help="Stop with an error past this many tickets."),
        sla_now_option,
        config_option,
    ]):  # fmt: skip
        function = option(function)
    return function


@dataclass(frozen=True, slots=True)
class History:
    """A capacity command's inputs: the policy, and a period's arrivals from Jira or an export."""

    policy: Policy
    config: Config
    arrivals: list[Any]
    since: dt.datetime
    until: dt.datetime
    label: str
    source: str
    now: dt.datetime


def read_history(
    period_text: str, tickets_file: Path | None, jql: str | None, max_issues: int,
    now_text: str | None, config_path: Path | None,
) -> History:  # fmt: skip
    from opskit.capacity import window

    now = read_now(now_text)
    try:
        since, until, label = window.parse(period_text, now)
    except ValueError as error:
        raise UsageError(f"--period: {error}") from None
    policy, config = load(config_path)
    if tickets_file is not None:
        return History(policy, config, _export(tickets_file, config.root, policy), since, until,
                       label, str(tickets_file), now)  # fmt: skip
    from opskit.capacity import history
    from opskit.cli.sla.common import connect
    from opskit.providers.jira.settings import Settings
    from opskit.sla.collect import scope_of
    from opskit.sla.jira_read import TooMany

    scope = scope_of(jql, Settings.from_config(config.targets).projects)
    try:
        found = history.read(connect(), policy, scope, since, until, max_issues)
    except TooMany as error:
        raise UsageError(str(error)) from None
    if found.untracked or found.unknown_priority:
        click.secho(f"opskit: note: left out {found.untracked} tickets no tier applies to and "
                    f"{found.unknown_priority} of no known priority", fg="yellow", err=True)  # fmt: skip
    return History(policy, config, found.arrivals, since, until, label, f"Jira: {scope}", now)


def _export(path: Path, root: Path, policy: Policy) -> list[Any]:
    from opskit.capacity import export

    resolved, inside = path.resolve(), root.resolve()
    if inside not in resolved.parents:
        raise UsageError(f"--tickets: {path} is outside the repository ({root})")
    try:
        return export.read(path, policy)
    except export.ExportError as error:
        raise OpskitError(str(error), ExitCode.FINDINGS) from None
