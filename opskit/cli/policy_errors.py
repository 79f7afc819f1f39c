"""Commands that need valid policies stop on errors, showing each at its line."""

from __future__ import annotations

from collections.abc import Collection

import click

from opskit.cli.reporters import annotation, problem_line
from opskit.errors import ExitCode, OpskitError
from opskit.policy.diagnostics import Diagnostic, Diagnostics, Level


class InvalidPolicies(OpskitError):
    """The policies have errors; the positioned problems were printed already."""

    def __init__(self, message: str, problems: list[Diagnostic]) -> None:
        super().__init__(message, ExitCode.FINDINGS)
        self.problems = problems


def require_valid(
    diagnostics: Diagnostics,
    what: str = "the policies",
    *,
    ignore: Collection[str] = (),
    consequence: str = "nothing was done",
    output_format: str = "text",
) -> None:
    """Raise InvalidPolicies after printing every error (rules in `ignore` excepted).

    The positioned lines go to stderr as validate prints them; with `github` they are
    also annotations on the pull request's lines.
    """
    errors = [
        d for d in diagnostics.sorted() if d.level is Level.ERROR and d.rule not in ignore
    ]
    if not errors:
        return
    for problem in errors:
        click.echo(problem_line(problem), err=True)
        if output_format == "github":
            pos = problem.position
            click.echo(annotation("error", pos.path, pos.line, pos.column, problem.rule, problem.message))
    count = f"{len(errors)} error{'' if len(errors) == 1 else 's'}"
    raise InvalidPolicies(f"{what} have {count}; {consequence}", errors)
