"""A plan as a reviewer reads it: a diff, field by field."""

from __future__ import annotations

import json
from typing import Any

from opskit.policy.diagnostics import printable
from opskit.sync.diff import Action, Change, kept
from opskit.sync.plan import Plan
from opskit.sync.resources import ref_key

_SIGNS = {Action.CREATE: "+", Action.UPDATE: "~", Action.DELETE: "-", Action.UNCHANGED: " "}
_COLOURS = {
    Action.CREATE: "green",
    Action.UPDATE: "yellow",
    Action.DELETE: "red",
    Action.UNCHANGED: "dim",
}


def value_text(value: Any) -> str:
    ref = ref_key(value)
    if ref is not None:
        return f"{ref[0]} {ref[1]!r}"
    if isinstance(value, list) and value and all(ref_key(v) for v in value):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def change_lines(change: Change, *, deleting: bool = True) -> list[tuple[str, str]]:
    """(style, text) lines for one change."""
    sign = _SIGNS[change.action]
    where = f"  ({change.source})" if change.source else ""
    derived = bool(change.extra.get("derived"))
    note = (
        ""
        if change.action is not Action.DELETE or deleting or derived
        else "  [kept: run with --prune to delete]"
    )
    lines = [(_COLOURS[change.action], f"{sign} {change.type} {change.key!r}{where}{note}")]
    if change.action is Action.CREATE:
        lines += [
            ("green", f"    {name}: {value_text(v)}") for name, v in sorted(change.fields.items())
        ]
    elif change.action is Action.UPDATE:
        for field in change.changes:
            lines.append(
                (
                    "yellow",
                    f"    {field.name}: {value_text(field.before)} → {value_text(field.after)}",
                )
            )
    return lines


def summary(plan: Plan, *, prune: bool) -> str:
    counts = plan.counts()
    waiting = kept(plan.changes, prune=prune)
    parts = [
        f"{counts[Action.CREATE]} to create",
        f"{counts[Action.UPDATE]} to update",
        f"{counts[Action.DELETE] - waiting} to delete"
        + (f" ({waiting} kept without --prune)" if waiting else ""),
        f"{counts[Action.UNCHANGED]} unchanged",
    ]
    return f"Plan for {plan.target}: " + ", ".join(parts) + "."


def plan_lines(plan: Plan, *, prune: bool, verbose: bool = False) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for change in plan.changes:
        if change.action is Action.UNCHANGED and not verbose:
            continue
        lines += change_lines(change, deleting=prune)
    if plan.unmanaged:
        lines.append(
            ("dim", f"Left alone ({len(plan.unmanaged)} not managed by opskit/{plan.workspace}):")
        )
        lines += [("dim", f"    {o['type']} {o['key']!r} ({o['id']})") for o in plan.unmanaged]
    for warning in plan.warnings:
        where = f"{warning.source}: " if warning.source else ""
        level = "error" if warning.error else "warning"
        lines.append(("red" if warning.error else "yellow", f"{where}{level}: {warning.message}"))
    lines.append(("bold", summary(plan, prune=prune)))
    return [(style, one_line(text)) for style, text in lines]


def one_line(text: str) -> str:
    """Names, values and file names come from policies and targets: escape what could
    break the line or pass for a GitHub workflow command."""
    text = printable(text)
    return " " + text if text.startswith("::") else text
