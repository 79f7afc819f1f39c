"""Options shared by several commands, declared once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from opskit.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])


def config_option(function: F) -> F:
    return click.option(
        "--config",
        "-c",
        "config_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="opskit.yaml to use (default: found in this folder or above).",
    )(function)


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        return click.option(
            "--format",
            "-f",
            "output_format",
            type=click.Choice(choices),
            default=choices[0],
            show_default=True,
            help="Output format.",
        )(function)

    return decorate


def plan_strict_option(function: F) -> F:
    """For plan and apply: opskit.yaml's validate.strict is about policies, not targets."""
    return click.option(
        "--strict",
        is_flag=True,
        help="Treat the plan's warnings (people who cannot be woken, what the target "
        "cannot express) as errors.",
    )(function)


def strict_option(function: F) -> F:
    return click.option(
        "--strict/--no-strict",
        default=None,
        help="Treat warnings as errors (default from opskit.yaml).",
    )(function)


def now_option(function: F) -> F:
    return click.option(
        "--now",
        metavar="TIME",
        help="Check deliverability from this instant (ISO 8601; UTC unless an offset is given).",
    )(function)


def check_now(now: str | None) -> None:
    """--now is read before anything else, so a bad one is a usage error (exit 2)."""
    if now is None:
        return
    from opskit.oncall.window import parse_instant

    try:
        parse_instant(now)
    except ValueError as error:
        raise UsageError(f"--now: {error}") from None
