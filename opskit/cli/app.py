"""The command group; commands load on first use so `opskit --help` stays fast."""

from __future__ import annotations

import importlib
from typing import Any

import click

from opskit import __version__
from opskit.cli.console import apply_color
from opskit.errors import ExitCode, OpskitError
from opskit.sync.errors import TargetError

# name -> ("module:attribute", short help): the explicit list of commands. The help is
# kept here so `opskit --help` lists them without importing any (tests/cli/test_startup.py
# checks it against each command's own).
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("opskit.cli.validate:validate", "Check policies: YAML, schemas, references, semantics and deliverability."),
    "summary": ("opskit.cli.summary:summary", "Print the tiers, ladders, rotations and services the policies define."),
    "rules": ("opskit.cli.rules:rules", "List every rule opskit checks, with its id and level."),
    "explain": ("opskit.cli.explain:explain", "Explain a rule: what it checks, why it matters, a failing example and the fix."),
    "sandbox": ("opskit.cli.sandbox:sandbox", "Local PagerDuty and Jira emulators (no accounts needed)."),
    "oncall": ("opskit.cli.oncall:oncall", "Who is on call: now, over time, gaps, fairness, calendars and reviews."),
    "test": ("opskit.cli.test_cmd:test", "Simulate each PolicyTest (policies/tests/) and report every failing assertion."),
    "plan": ("opskit.cli.sync:plan", "Show what apply would change in the targets, field by field."),
    "apply": ("opskit.cli.sync:apply", "Apply a saved plan, or plan afresh and apply, in dependency order."),
    "drift": ("opskit.cli.sync:drift", "Report what was changed by hand in the targets since the last apply (exit 1 if anything)."),
    "import": ("opskit.cli.import_cmd:import_command", "Write policy YAML for existing objects and adopt them (so plan shows no changes)."),
    "jira": ("opskit.cli.jira:jira", "Jira Service Management: SLA settings checklist, adopting hand-made objects."),
    "schemas": ("opskit.cli.schemas:schemas", "The JSON Schemas that policies are checked against, for editors and CI."),
    "sla": ("opskit.cli.sla:sla", "SLA clocks on Jira tickets: what is running, at risk or breached, and why."),
    "init": ("opskit.cli.init:init", "Scaffold a policy repository in FOLDER (default: here)."),
    "docs": ("opskit.cli.docs:docs", "The support policy as a static site, built from the policies."),
    "capacity": ("opskit.cli.capacity:capacity", "Can the desk keep the promises? Per hour of the week, from the tickets that really arrived and the people the rotations put on shift."),
    "playbook": ("opskit.cli.playbook:playbook", "Incident playbooks: show them, run them step by step, resume a run killed at any moment."),
}  # fmt: skip


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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table: nothing is imported to show it."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS:
                # click's own shortening, on a stand-in that holds only the text
                shown = click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)
                rows.append((name, shown))
            elif (command := super().get_command(ctx, name)) is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = COMMANDS.get(cmd_name)
        if found is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = found[0].partition(":")
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
