"""Plans for CI: annotations on policy lines, and a JSON document when nothing could be planned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opskit.cli.reporters import annotation
from opskit.policy.diagnostics import Diagnostic
from opskit.sync.diff import Action, carried_out
from opskit.sync.plan import Plan
from opskit.sync.render import change_lines
from opskit.sync.report import COUNTED, REPORT_VERSION, split_source

_VERBS = {Action.CREATE: "creates", Action.UPDATE: "changes", Action.DELETE: "deletes"}


def plan_annotations(plan: Plan, *, prune: bool) -> Iterator[str]:
    """A notice on the policy line behind each change; a warning or error for each problem."""
    for change in plan.changes:
        if change.action is Action.UNCHANGED:
            continue
        path, line, column = split_source(change.source)
        if path is None or not carried_out(change, prune=prune):
            continue
        title = f"opskit {plan.target}: {_VERBS[change.action]} {change.type} {change.key!r}"
        body = "\n".join(text for _, text in change_lines(change, deleting=prune))
        yield annotation("notice", path, line, column, title, body)
    for warning in plan.warnings:
        path, line, column = split_source(str(warning.source) if warning.source else None)
        if path is not None:
            level = "error" if warning.error else "warning"
            yield annotation(level, path, line, column, f"opskit {plan.target}", warning.message)


def invalid_document(command: str, problems: list[Diagnostic]) -> dict[str, Any]:
    """The run's document when the policies stopped it before any target was planned."""
    return {
        "version": REPORT_VERSION,
        "command": command,
        "ok": False,
        "pending": False,
        "counts": {name: len(problems) if name == "errors" else 0 for name in COUNTED},
        "targets": [],
        "problems": [
            {
                "level": str(p.level),
                "rule": p.rule,
                "message": p.message,
                "source": str(p.position),
                "path": p.position.path,
                "line": p.position.line,
                "column": p.position.column,
            }
            for p in problems
        ],
    }
