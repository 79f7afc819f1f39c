"""Ways to print validation results, chosen by name."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import click

from opskit import __version__
from opskit.policy.diagnostics import Diagnostic, Level, printable
from opskit.rules import RULES


@dataclass(frozen=True, slots=True)
class Report:
    """What validate found and how much it read; strict makes warnings fail it too."""

    problems: list[Diagnostic]
    files: int
    objects: int
    strict: bool

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level is Level.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def failed(self) -> bool:
        return bool(self.errors or (self.strict and self.warnings))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


_COLOURS = {Level.ERROR: "red", Level.WARNING: "yellow"}


def problem_line(problem: Diagnostic) -> str:
    """yamllint's shape: `file:line:col: level: message [rule]`, the level coloured.

    File names and messages come from the repository: control characters are escaped, so
    a problem is always one line, and no file name can make a line start with `::` (a
    workflow command to GitHub Actions)."""
    level = click.style(str(problem.level), fg=_COLOURS[problem.level], bold=True)
    where = printable(str(problem.position))
    if where.startswith("::"):
        where = "./" + where
    return f"{where}: {level}: {printable(problem.message)} [{problem.rule}]"


def text(report: Report) -> None:
    for p in report.problems:
        click.echo(problem_line(p))
    counted = f"{_plural(report.objects, 'object')} in {_plural(report.files, 'file')}"
    if not report.problems:
        click.secho(f"ok: {counted}, no problems", fg="green")
        return
    summary = (
        f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')} ({counted})"
    )
    click.secho(summary, fg="red" if report.failed else "yellow", bold=True)


def as_json(report: Report) -> None:
    payload = {
        "version": 1,
        "ok": not report.failed,
        "summary": {
            "files": report.files,
            "objects": report.objects,
            "errors": report.errors,
            "warnings": report.warnings,
        },
        "problems": [
            {
                "path": p.position.path,
                "line": p.position.line,
                "column": p.position.column,
                "level": str(p.level),
                "rule": p.rule,
                "message": p.message,
            }
            for p in report.problems
        ],
    }
    click.echo(json.dumps(payload, indent=2))


def _escape(text: str, *, prop: bool = False) -> str:
    """GitHub's escapes for workflow commands, then every other control character."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    text = printable(text)
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def annotation(level: str, path: str, line: int, column: int, title: str, message: str) -> str:
    """A GitHub Actions workflow command that puts `message` on a line of the pull request."""
    props = f"file={_escape(path, prop=True)}"
    if line:
        props += f",line={line},col={max(column, 1)}"
    return f"::{level} {props},title={_escape(title, prop=True)}::{_escape(message)}"


def github(report: Report) -> None:
    """GitHub Actions workflow commands: annotations on the pull request's lines."""
    for p in report.problems:
        pos = p.position
        click.echo(annotation(str(p.level), pos.path, pos.line, pos.column, p.rule, p.message))
    text_summary = f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')}"
    click.echo(f"opskit: {text_summary} in {_plural(report.objects, 'object')}")


def sarif(report: Report) -> None:
    """SARIF 2.1.0, for code-scanning dashboards."""
    from opskit import explain

    def rule_entry(rule: str) -> dict[str, object]:
        """A rule's entry, with its `opskit explain` text as help."""
        entry: dict[str, object] = {
            "id": rule,
            "shortDescription": {"text": RULES[rule].summary if rule in RULES else rule},
        }
        text = explain.load(rule)
        if text is not None:
            entry["help"] = {"text": explain.plain_text(text), "markdown": text.markdown}
            entry["helpUri"] = explain.help_uri(rule)
        return entry

    used = sorted({p.rule for p in report.problems})
    rules = [rule_entry(r) for r in used]
    results = [
        {
            "ruleId": p.rule,
            "level": "error" if p.level is Level.ERROR else "warning",
            "message": {"text": p.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": p.position.path},
                        "region": {
                            "startLine": max(p.position.line, 1),
                            "startColumn": max(p.position.column, 1),
                        },
                    }
                }
            ],
        }
        for p in report.problems
    ]
    driver = {"name": "opskit", "version": __version__, "rules": rules}
    log = {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    click.echo(json.dumps(log, indent=2))


REPORTERS: dict[str, Callable[[Report], None]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "sarif": sarif,
}
