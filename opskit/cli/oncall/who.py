"""opskit oncall who: who is on call at an instant, optionally checked against PagerDuty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from opskit.cli.oncall.inputs import (
    check_known,
    read_instant,
    read_zone,
    tz_option,
    within_render_budget,
)
from opskit.cli.oncall.load import load_policies
from opskit.cli.oncall.output import echo_json
from opskit.cli.options import config_option, format_option
from opskit.errors import ExitCode, OpskitError, UsageError
from opskit.policy.model import Policy


@click.command()
@click.option("--at", "at_text", help="Instant to ask about (default: now), e.g. 2026-12-26T03:00.")
@tz_option
@click.option("--service", help="Only this service's ladder.")
@click.option("--rotation", help="Only this rotation.")
@click.option("--ladder", help="Only this escalation ladder.")
@click.option(
    "--remote", is_flag=True, help="Also ask PagerDuty (GET /oncalls) and flag disagreements."
)
@format_option("text", "json")
@config_option
def who(
    at_text: str | None, tz: str, service: str | None, rotation: str | None, ladder: str | None,
    remote: bool, output_format: str, config_path: Path | None,
) -> int:  # fmt: skip
    """Who is on call now (or --at), and who each ladder pages next, minute by minute.

    With --remote, PagerDuty's GET /oncalls is asked too (PAGERDUTY_API_KEY, and
    PAGERDUTY_URL for a sandbox); exits 1 when it disagrees, 3 when it fails.
    """
    from opskit.oncall.render_text import who_text
    from opskit.oncall.who import MARGIN
    from opskit.oncall.who import who as ask

    if sum(x is not None for x in (service, rotation, ladder)) > 1:
        raise UsageError("give at most one of --service, --rotation, --ladder")
    policy, _ = load_policies(config_path)
    check_known(policy.services, service, "service")
    check_known(policy.rotations, rotation, "rotation")
    check_known(policy.ladders, ladder, "escalation ladder")
    t = read_instant(at_text, read_zone(tz), "--at")
    within_render_budget(policy.rotations.values(), t - MARGIN, t + MARGIN)
    answer = ask(policy, t, service=service, rotation=rotation, ladder=ladder)
    problems = compare_with_pagerduty(policy, answer) if remote else []
    if output_format == "json":
        echo_json({**answer, **({"remote_disagreements": problems} if remote else {})})
    else:
        click.echo(who_text(answer, tz))
        for problem in problems:
            click.secho(f"disagrees: {problem}", fg="yellow")
        if remote and not problems:
            click.secho("PagerDuty agrees.", fg="green")
    return ExitCode.FINDINGS if problems else ExitCode.OK


def compare_with_pagerduty(policy: Policy, answer: dict[str, Any]) -> list[str]:
    from opskit.oncall.remote import disagreements, remote_levels

    try:
        from opskit.providers.pagerduty.client import connect
        from opskit.sync.apply import TargetError
    except ImportError:  # pragma: no cover - the provider ships with opskit
        raise OpskitError("the PagerDuty provider is not installed") from None
    try:
        levels = remote_levels(connect(), answer["at"])
    except TargetError as error:
        raise OpskitError(f"PagerDuty: {error}") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OpskitError(
            f"PagerDuty: unexpected answer or connection failure ({type(error).__name__})"
        ) from None
    return disagreements(policy, answer, levels)
