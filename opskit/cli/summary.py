"""opskit summary: what the policies promise, in tables a reviewer can read."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.console import console
from opskit.cli.options import config_option
from opskit.cli.policy_errors import require_valid
from opskit.cli.repository import open_repository, policy_paths, repository_root
from opskit.errors import ExitCode
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.validate import validate_files
from opskit.rules import validate_stages


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@config_option
def summary(paths: tuple[Path, ...], config_path: Path | None) -> int:
    """Print the tiers, ladders, rotations and services the policies define."""
    from opskit.policy.render import render_summary

    problems = Diagnostics()
    config = open_repository(config_path, problems, required=not paths)
    result = validate_files(
        policy_paths(paths, config),
        config,
        root=repository_root(config),
        stages=validate_stages(targets=False, capacity=False),
    )
    require_valid(result.diagnostics, consequence="fix them first")
    console().print(*render_summary(result.policy))
    return ExitCode.OK
