"""opskit validate: every check, every problem, one run."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.options import check_now, config_option, format_option, now_option, strict_option
from opskit.cli.reporters import REPORTERS, Report
from opskit.cli.repository import open_repository, policy_paths, repository_root
from opskit.errors import ExitCode
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.validate import validate_files
from opskit.rules import validate_stages


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@config_option
@format_option(*REPORTERS)
@strict_option
@now_option
@click.option(
    "--no-cache",
    is_flag=True,
    help="Load every file (and template) again instead of reusing results for unchanged ones "
    "(also OPSKIT_NO_CACHE=1).",
)
def validate(
    paths: tuple[Path, ...],
    config_path: Path | None,
    output_format: str,
    strict: bool | None,
    now: str | None,
    no_cache: bool,
) -> int:
    """Check policies: YAML, schemas, references, semantics and deliverability.

    With no PATHS, checks the policies opskit.yaml names. PATHS may be files or
    folders; together they must form a complete policy set.
    """
    config_problems = Diagnostics()
    config = open_repository(config_path, config_problems, required=not paths,
                             cache=not no_cache)  # fmt: skip
    check_now(now)
    result = validate_files(
        policy_paths(paths, config), config, now=now, cache=not no_cache,
        root=repository_root(config), stages=validate_stages(),
    )  # fmt: skip
    result.diagnostics.extend(config_problems)
    report = Report(
        problems=result.diagnostics.sorted(),
        files=len(result.files),
        objects=result.policy.count(),
        strict=strict if strict is not None else bool(config and config.strict),
    )
    REPORTERS[output_format](report)
    return ExitCode.FINDINGS if report.failed else ExitCode.OK
