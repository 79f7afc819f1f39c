"""The command group; commands load on first use so `opskit --help` stays fast."""

from __future__ import annotations

import importlib
from typing import Any

import click

from opskit import __version__
from opskit.cli.console import apply_color
from opskit.errors import ExitCode, OpskitError
from opskit.sync.errors import TargetError

# name -> "module:attribute": the explicit list of commands.
COMMANDS: dict[str, str] = {
    "validate": "opskit.cli.validate:validate",
    "summary": "opskit.cli.summary:summary",
    "rules": "opskit.cli.rules:rules",
    "explain": "opskit.cli.explain:explain",
    "sandbox": "opskit.cli.sandbox:sandbox",
    "oncall": "opskit.cli.oncall:oncall",
    "test": "opskit.cli.test_cmd:test",
    "plan": "opskit.cli.sync:plan",
    "apply": "opskit.cli.sync:apply",
    "drift": "opskit.cli.sync:drift",
    "import": "opskit.cli.import_cmd:import_command",
    "jira": "opskit.cli.jira:jira",
    "schemas": "opskit.cli.schemas:schemas",
    "sla": "opskit.cli.sla:sla",
    "init": "opskit.cli.init:init",
    "docs": "opskit.cli.docs:docs",
    "playbook": "opskit.cli.playbook:playbook",
}


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        """Expected failures become one line and their exit code, for every way of running."""
        try:
            return super().invoke(ctx)
        except OpskitError as error:
            click.secho(f"opskit: error: {error}", fg="red", err=True)
            ctx.exit(int(error.exit_code))
        except TargetError as error:  # a remote refused or failed while reading or planning
            click.secho(f"opskit: error: {error}", fg="red", err=True)
            ctx.exit(int(ExitCode.RUNTIME))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = target.partition(":")
        try:
            command: Any = getattr(importlib.import_module(module), attribute)
        except ModuleNotFoundError as missing:
            if missing.name != module:
                raise
            return None
        return command if isinstance(command, click.Command) else None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opskit")
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the output, or not (default: colour on a terminal, unless NO_COLOR is set).",
)
@click.pass_context
def cli(ctx: click.Context, color: bool | None) -> None:
    """Support operations as code: validate support policies and sync them to PagerDuty and Jira.

    \b
    Exit codes: 0 ok, 1 problems found or changes pending, 2 usage error,
    3 a target failed (auth, network), 4 internal error.
    """
    apply_color(ctx, color)


@cli.result_callback()
@click.pass_context
def _exit_with(ctx: click.Context, /, result: Any, **_: Any) -> None:
    """Commands return exit codes (pre-commit style); turn them into the process's status."""
    if result:
        ctx.exit(int(result))
