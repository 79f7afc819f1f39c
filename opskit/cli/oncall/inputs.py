"""Options shared by the oncall commands, and reading their values: instants, zones, names."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from opskit.errors import UsageError
from opskit.policy.config import MAX_HORIZON_DAYS, Config

if TYPE_CHECKING:
    from opskit.policy.model import Rotation

F = TypeVar("F", bound=Callable[..., Any])


def tz_option(function: F) -> F:
    return click.option(
        "--tz", default="UTC", show_default=True,
        help="Time zone for times given without an offset, and for display.",
    )(function)  # fmt: skip


def window_options(function: F) -> F:
    function = click.option("--to", "to_text", help="End (default: start + horizon).")(function)
    return click.option("--from", "from_text", help="Start, e.g. 2026-12-21 (default: now).")(
        function
    )


def read_instant(text: str | None, timezone: str, option: str) -> int:
    from opskit.oncall.window import parse_instant, reference
    from opskit.time import zones

    if text is None:
        return reference()
    try:
        return zones.from_datetime(parse_instant(text, timezone))
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None


def read_zone(name: str) -> str:
    from opskit.oncall.schedule import valid_zone

    if not valid_zone(name):
        raise UsageError(f"--tz: {name!r} is not an IANA time zone")
    return name


def check_known(table: Mapping[str, Any], name: str | None, what: str) -> None:
    from opskit.policy.schemas import suggest

    if name is not None and name not in table:
        raise UsageError(f"no {what} {name!r}{suggest(name, table)}")


def read_horizon(text: str, option: str = "--horizon") -> int:
    from opskit.oncall.window import horizon_seconds

    try:
        return horizon_seconds(text)
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None


def read_window(
    from_text: str | None, to_text: str | None, tz: str, config: Config
) -> tuple[int, int]:
    lo = read_instant(from_text, tz, "--from")
    hi = read_instant(to_text, tz, "--to") if to_text else lo + read_horizon(config.horizon)
    if hi <= lo:
        raise UsageError("--to must be after --from")
    if hi - lo > MAX_HORIZON_DAYS * 86_400:
        raise UsageError(
            f"--to is more than {MAX_HORIZON_DAYS} days after --from: ask for two years at most"
        )
    return lo, hi


def within_render_budget(rotations: Iterable[Rotation], lo: int, hi: int) -> None:
    """Refuse, before any rendering, a window whose shifts would be too many to render."""
    from opskit.oncall.budget import refusal

    why = refusal(rotations, hi - lo)
    if why is not None:
        raise UsageError(why)
