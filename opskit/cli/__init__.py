"""The `opskit` command: one error boundary around thin commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from opskit.cli.app import cli
from opskit.errors import ExitCode, OpskitError
from opskit.runtime import command_process

__all__ = ["cli", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; input problems never show a traceback."""
    command_process()
    try:
        result = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except OpskitError as error:
        click.secho(f"opskit: error: {error}", fg="red", err=True)
        return int(error.exit_code)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("opskit: aborted", err=True)
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("opskit: interrupted", err=True)
        return int(ExitCode.INTERRUPTED)
    except Exception as error:  # the boundary: report bugs briefly, with details on request
        click.secho(f"opskit: internal error: {type(error).__name__}: {error}", fg="red", err=True)
        if os.environ.get("OPSKIT_DEBUG"):
            import traceback  # only here: it costs a tenth of start-up

            traceback.print_exc()  # the exit code stays 4: scripts tell a bug from a finding
        else:
            click.echo("Set OPSKIT_DEBUG=1 for the traceback, and please report it.", err=True)
        return int(ExitCode.INTERNAL)
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
