"""opskit plan / apply / drift: policies to targets, reviewed as a diff first."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import click

from opskit.cli.options import config_option, format_option, plan_strict_option
from opskit.cli.plan_output import invalid_document, plan_annotations
from opskit.cli.policy_errors import InvalidPolicies, require_valid
from opskit.cli.repository import open_repository, policy_paths
from opskit.errors import ExitCode, UsageError
from opskit.files import read_at_most
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.model import Policy
from opskit.policy.validate import validate_files
from opskit.rules import validate_stages
from opskit.runtime import collector_paused
from opskit.sync.plan import Plan

F = TypeVar("F", bound=Callable[..., Any])
TARGETS = ("pagerduty", "jira")
MAX_PLAN_BYTES = 64 * 1024 * 1024  # a plan of every object of a large account is a few MiB


def _saved_plan(path: Path) -> Plan:
    try:
        raw = read_at_most(path, MAX_PLAN_BYTES)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    if len(raw) > MAX_PLAN_BYTES:
        raise UsageError(f"{path} is larger than {MAX_PLAN_BYTES >> 20} MiB: not an opskit plan")
    try:
        return Plan.from_json(json.loads(raw))
    except (ValueError, KeyError, TypeError) as error:
        raise UsageError(f"{path} is not an opskit plan: {error}") from None


def target_option(function: F) -> F:
    return click.option(
        "--target", "-t", "targets", multiple=True, type=click.Choice(TARGETS),
        help="Target to sync (repeatable; default: every enabled target in opskit.yaml).",
    )(function)  # fmt: skip


def load(config_path: Path | None) -> tuple[Config, Policy]:
    config, problems = repository(config_path)
    return config, checked(config, problems)


def repository(config_path: Path | None) -> tuple[Config, Diagnostics]:
    problems = Diagnostics()
    config = open_repository(config_path, problems, required=True)
    assert config is not None
    return config, problems


def checked(config: Config, problems: Diagnostics, output_format: str = "text") -> Policy:
    result = validate_files(policy_paths((), config), config, stages=validate_stages())
    result.diagnostics.extend(problems)
    require_valid(
        result.diagnostics, consequence="nothing was planned", output_format=output_format
    )
    return result.policy


def fresh_plans(
    config_path: Path | None, targets: tuple[str, ...], strict: bool,
    output_format: str = "text", command: str = "plan",
) -> tuple[Config, list[tuple[Any, Plan]]]:  # fmt: skip
    """Plans for the chosen targets. Their live state is read while the policies are
    checked: neither needs the other, and reading a large account takes a while."""
    config, problems = repository(config_path)
    providers = [provider(name, config) for name in chosen(config, targets)]
    with collector_paused(), ThreadPoolExecutor(max_workers=len(providers)) as pool:
        reads = [pool.submit(p.read) if hasattr(p, "read") else None for p in providers]
        try:
            policy = checked(config, problems, output_format)
        except InvalidPolicies as invalid:
            if output_format == "json":  # CI parses stdout: one document, even now
                click.echo(json.dumps(invalid_document(command, invalid.problems), indent=2))
            raise
        plans = [
            (p, p.plan(policy, strict=strict, state=read.result()) if read else p.plan(policy, strict=strict))
            for p, read in zip(providers, reads, strict=True)
        ]  # fmt: skip
    return config, plans


def chosen(config: Config, targets: tuple[str, ...]) -> list[str]:
    if targets:
        return list(targets)
    enabled = [
        t for t in TARGETS if config.targets.get(t, {}).get("enabled", True) and t in config.targets
    ]
    if not enabled:
        raise UsageError("no target: pass --target or list targets in opskit.yaml")
    return enabled


def provider(name: str, config: Config) -> Any:
    """A target's provider, built from the repository's loaded opskit.yaml."""
    from opskit.providers import provider_class

    return provider_class(name).from_config(config)


def show(plans: list[Plan], output_format: str, *, prune: bool, verbose: bool = False) -> None:
    """Plans as a reviewer reads them (text), or as annotations on their policy lines."""
    from opskit.sync.render import plan_lines

    for plan in plans:
        if output_format == "github":
            for line in plan_annotations(plan, prune=prune):
                click.echo(line)
        for style, line in plan_lines(plan, prune=prune, verbose=verbose):
            click.secho(
                line,
                fg=style if style in ("green", "yellow", "red") else None,
                bold=style == "bold",
                dim=style == "dim",
            )


def show_json(command: str, plans: list[Plan], *, prune: bool) -> None:
    from opskit.sync.report import document

    click.echo(json.dumps(document(command, plans, prune=prune), indent=2, sort_keys=True))


@click.command()
@config_option
@target_option
@format_option("text", "json", "github")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan to apply later.",
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 1 when changes are pending (0 when none)."
)
@click.option("--verbose", "-v", is_flag=True, help="List unchanged objects too.")
@plan_strict_option
def plan(
    config_path: Path | None, targets: tuple[str, ...], output_format: str, out: Path | None,
    detailed_exitcode: bool, verbose: bool, strict: bool,
) -> int:  # fmt: skip
    """Show what apply would change in the targets, field by field.

    --format json prints one document for every target; --format github also puts
    each change and problem on its policy line in the pull request.
    """
    _, pairs = fresh_plans(config_path, targets, strict, output_format)
    plans = [each for _, each in pairs]
    if output_format == "json":
        show_json("plan", plans, prune=False)
    else:
        show(plans, output_format, prune=False, verbose=verbose)
    if out is not None:
        if len(plans) != 1:
            raise UsageError("--out saves one target's plan: pass --target")
        out.write_text(json.dumps(plans[0].to_json(), indent=2, sort_keys=True) + "\n")
        click.echo(f"Saved the plan to {out}; apply it with: opskit apply {out}", err=True)
    if any(p.errors for p in plans):
        return ExitCode.FINDINGS
    return ExitCode.FINDINGS if detailed_exitcode and any(p.pending for p in plans) else ExitCode.OK


@click.command()
@click.argument(
    "saved", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@config_option
@target_option
@format_option("text", "json")
@click.option("--prune", is_flag=True, help="Delete managed objects no longer in the policies.")
@click.option(
    "--max-deletes", default=10, show_default=True, help="Refuse to delete more objects than this."
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--dry-run", is_flag=True, help="Show the plan and stop.")
@plan_strict_option
def apply(
    saved: Path | None, config_path: Path | None, targets: tuple[str, ...], output_format: str,
    prune: bool, max_deletes: int, yes: bool, dry_run: bool, strict: bool,
) -> int:  # fmt: skip
    """Apply a saved plan, or plan afresh and apply, in dependency order.

    --format json prints one document for every target once done, with what was applied.
    """
    from opskit.cli.sync_apply import apply_all

    if saved is not None:
        config, _ = load(config_path)  # a saved plan still needs valid policies behind it
        stored = _saved_plan(saved)
        work = [(provider(stored.target, config), stored)]
        fresh = False
    else:
        _, work = fresh_plans(config_path, targets, strict, output_format, "apply")
        fresh = True
    return apply_all(
        work, fresh=fresh, prune=prune, max_deletes=max_deletes, dry_run=dry_run, confirm=yes,
        interactive=not yes and sys.stdin.isatty(), output_format=output_format,
    )  # fmt: skip


@click.command()
@config_option
@target_option
@format_option("text", "json", "github")
def drift(config_path: Path | None, targets: tuple[str, ...], output_format: str) -> int:
    """Report what was changed by hand in the targets since the last apply (exit 1 if anything)."""
    _, pairs = fresh_plans(config_path, targets, False, output_format, "drift")
    plans = [each for _, each in pairs]
    if output_format == "json":
        show_json("drift", plans, prune=True)
    else:
        show(plans, output_format, prune=True)
    return ExitCode.FINDINGS if any(p.pending for p in plans) else ExitCode.OK
