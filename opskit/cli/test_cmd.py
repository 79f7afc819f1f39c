"""opskit test: run the PolicyTest scenarios against the policies."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.junit import Case, junit_xml
from opskit.cli.options import check_now, config_option, format_option, now_option, strict_option
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
@now_option
def test(
    paths: tuple[Path, ...], names: tuple[str, ...], config_path: Path | None, output_format: str,
    strict: bool | None, now: str | None,
) -> int:  # fmt: skip
    """Simulate each PolicyTest (policies/tests/) and report every failing assertion.

    A scenario is an incident on a service at a moment; its assertions say who is
    paged at which minute, when the first response is due, and whether two people
    are reached in time. Policies that 'opskit validate' rejects are refused, with
    validate's own messages: no scenario's verdict means anything over them.
    """
    from opskit.oncall.simulate import run
    from opskit.policy.validate import validate_files
    from opskit.rules import validate_stages

    config_problems = Diagnostics()
    config = open_repository(config_path, config_problems, required=not paths)
    check_now(now)
    result = validate_files(
        policy_paths(paths, config),
        config,
        now=now,
        root=repository_root(config),
        stages=validate_stages(targets=False, capacity=False),
    )
    problems = Diagnostics([d for d in config_problems.items if d.level is Level.ERROR])
    problems.items += [d for d in result.diagnostics.items if d.level is Level.ERROR]
    policy_errors = problems.sorted()
    tests = [t for t in result.policy.tests.values() if not names or t.name in names]
    runnable = [] if policy_errors else tests
    cases = [Case(t.name, t.source.position, run(result.policy, t)) for t in runnable]
    failed = sum(1 for case in cases if case.failures)
    for case in cases:
        for position, message in case.failures:
            problems.add(position, "policy-test", f"{case.name}: {message}")
    report = Report(problems.sorted(), len(result.files), len(runnable), bool(strict))
    if output_format == "junit":
        click.echo(junit_xml(cases, policy_errors))
    else:
        REPORTERS[output_format](report)
    if output_format == "text" and policy_errors:
        click.echo(f"policy tests: none of {len(tests)} run: the policies have errors")
    elif output_format == "text":
        click.echo(f"policy tests: {len(tests)} run, {len(tests) - failed} passed, {failed} failed")
    return ExitCode.FINDINGS if report.failed else ExitCode.OK
