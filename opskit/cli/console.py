"""Whether output is coloured: one decision, made by rich, obeyed by click and rich alike.

rich already knows the conventions (NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal or
not); `--color/--no-color` on the command line wins over all of them.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console


def decide_color(flag: bool | None, *, stderr: bool = False) -> bool:
    """Colour on or off for a stream: the flag if given, else what rich decides."""
    if flag is not None:
        return flag
    stream = sys.stderr if stderr else sys.stdout
    if not _isatty(stream) and not any(os.environ.get(v) for v in _RICH_ENV):
        return False  # what rich says here too, without importing it (40 ms) on every run
    from rich.console import Console

    probe = Console(file=stream)
    return probe.is_terminal and not probe.no_color and probe.color_system is not None


# the variables by which rich may turn colour on or off whatever the stream is
_RICH_ENV = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def console(*, stderr: bool = False) -> Console:
    """A rich console that follows the command's colour decision (see `apply_color`)."""
    from rich.console import Console

    color = _current_choice()
    if color is None:
        return Console(stderr=stderr, soft_wrap=False)
    # force_terminal keeps colour in a pipe when asked; no_color strips it in a terminal
    return Console(stderr=stderr, soft_wrap=False, force_terminal=color, no_color=not color)


def apply_color(ctx: click.Context, flag: bool | None) -> None:
    """Make click's echo/secho follow the decision too (ctx.color: True keeps, False strips)."""
    ctx.color = decide_color(flag)
    ctx.meta["opskit.color"] = ctx.color


def _current_choice() -> bool | None:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    choice = ctx.find_root().meta.get("opskit.color")
    return choice if isinstance(choice, bool) else None
