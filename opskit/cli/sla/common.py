"""What the sla commands share: options, policies, instants, the Jira client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from opskit.errors import UsageError
from opskit.policy.config import Config
from opskit.policy.model import Policy

F = TypeVar("F", bound=Callable[..., Any])


def jql_option(function: F) -> F:
    return click.option(
        "--jql", help="Which tickets (default: the projects of targets.jira in opskit.yaml)."
    )(function)


def customer_option(function: F) -> F:
    return click.option("--customer", help="Only this Customer's tickets (its policy name).")(
        function
    )


def reading_options(function: F) -> F:
    """How much to read: the bound on a query's tickets, and whether to use the cache."""
    function = click.option(
        "--no-cache", is_flag=True, help="Read every ticket again; keep no cache."
    )(function)
    return click.option(
        "--max-issues", type=click.IntRange(1, 100_000), default=5000, show_default=True,
        help="Stop with an error when the query finds more tickets than this.",
    )(function)  # fmt: skip


def sla_now_option(function: F) -> F:
    return click.option(
        "--now", "now_text", metavar="TIME",
        help="Compute the clocks at this instant (ISO 8601; UTC unless an offset is given; "
        "default: now). Events after it have not happened yet.",
    )(function)  # fmt: skip


def load(config_path: Path | None) -> tuple[Policy, Config]:
    from opskit.cli.policy_errors import require_valid
    from opskit.cli.repository import open_repository, policy_paths
    from opskit.deliverability.checks import RULE_IDS
    from opskit.policy.diagnostics import Diagnostics
    from opskit.policy.validate import validate_files
    from opskit.rules import validate_stages

    problems = Diagnostics()
    config = open_repository(config_path, problems, required=True)
    assert config is not None
    result = validate_files(policy_paths((), config), config, stages=validate_stages(targets=False, capacity=False))
    # rotations with gaps do not change what a ticket was promised
    require_valid(result.diagnostics, ignore=RULE_IDS, consequence="fix them first")
    return result.policy, config


def check_customer(policy: Policy, customer: str | None) -> None:
    """A --customer names a Customer of the policies (else a usage error with a suggestion)."""
    if customer is not None and customer not in policy.customers:
        from opskit.policy.schemas import suggest

        raise UsageError(f"no customer {customer!r}{suggest(customer, policy.customers)}")


def read_now(text: str | None) -> dt.datetime:
    from opskit.oncall.window import parse_instant

    if text is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return parse_instant(text).astimezone(dt.UTC)
    except ValueError as error:
        raise UsageError(f"--now: {error}") from None


def read_since(text: str | None, real_now: dt.datetime) -> dt.datetime | None:
    """An instant, or a duration back from now (`2h`, `7d`)."""
    from opskit.oncall.window import parse_instant
    from opskit.policy.values import parse_duration

    if text is None:
        return None
    try:
        return parse_instant(text).astimezone(dt.UTC)
    except ValueError:
        pass
    try:
        back = parse_duration(text)
    except ValueError:
        raise UsageError(f"--since: {text[:40]!r} is neither a time (2026-03-02T09:00) "
                         "nor a duration (2h, 7d)") from None  # fmt: skip
    if back.business_days:
        raise UsageError("--since: business days depend on a calendar; give hours or days")
    return real_now - dt.timedelta(seconds=back.seconds)


def connect() -> Any:
    from opskit.providers.jira.client import connect as jira_connect

    return jira_connect()


def context(policy: Policy, reading: Any) -> Any:
    from opskit.sla.engine import Context

    return Context(policy, reading.directory, dict(reading.categories))
