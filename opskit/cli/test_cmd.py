"""opskit test: run the PolicyTest scenarios against the policies."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.junit import Case, junit_xml
from opskit.cli.options import config_option, format_option, strict_option
from opskit.cli.reporters import REPORTERS, Report
from opskit.cli.repository import open_repository, policy_paths, repository_root
from opskit.errors import ExitCode
from opskit.policy.diagnostics import Diagnostics, Level


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--name", "-k", "names", multiple=True, help="Run only these tests (repeatable).")
@config_option
@format_option(*REPORTERS, "junit")
@strict_option
def test(
    paths: tuple[Path, ...], names: tuple[str, ...], config_path: Path | None, output_format: str,
    strict: bool | None,
) -> int:  # fmt: skip
    """Simulate each PolicyTest (policies/tests/) and report every failing assertion.

    A scenario is an incident on a service at a moment; its assertions say who is
    paged at which minute, when the first response is due, and whether two people
    are reached in time. Errors in the policies themselves are reported too
    (deliverability findings are left to 'opskit validate').
    """
    from opskit.oncall.simulate import run
    from opskit.policy.checks.deliverability import RULE_IDS
    from opskit.policy.validate import validate_files

    config_problems = Diagnostics()
    config = open_repository(config_path, config_problems, required=not paths)
    result = validate_files(policy_paths(paths, config), config, root=repository_root(config))
    problems = Diagnostics([d for d in config_problems.items if d.level is Level.ERROR])
    problems.items += [
        d for d in result.diagnostics.items if d.level is Level.ERROR and d.rule not in RULE_IDS
    ]
    tests = [t for t in result.policy.tests.values() if not names or t.name in names]
    policy_errors = problems.sorted()
    cases = [Case(t.name, t.source.position, run(result.policy, t)) for t in tests]
    failed = sum(1 for case in cases if case.failures)
    for case in cases:
        for position, message in case.failures:
            problems.add(position, "policy-test", f"{case.name}: {message}")
    report = Report(problems.sorted(), len(result.files), len(tests), bool(strict))
    if output_format == "junit":
        click.echo(junit_xml(cases, policy_errors))
    else:
        REPORTERS[output_format](report)
    if output_format == "text":
        click.echo(f"policy tests: {len(tests)} run, {len(tests) - failed} passed, {failed} failed")
    return ExitCode.FINDINGS if report.failed else ExitCode.OK
