"""Edits as ``PUT /issue`` and transitions take them: ``fields`` and ``update`` verbs.

Everything is checked before anything changes, so a refused request leaves the issue as it
was. ``fields`` sets; ``update`` holds, per field, a list of ``{verb: value}`` operations
applied in order (``add``/``remove`` on list fields, ``set`` everywhere; the sandbox has no
field that takes ``edit`` or ``copy`` but the comment, handled by ``comments``). A field may
be in ``fields`` or in ``update``, not both.
"""

from __future__ import annotations

from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import changes
from opskit.sandbox.jira.editscreen import LIST_KINDS, OPERATIONS, ScreenField, screen
from opskit.sandbox.jira.field_values import MAX_ITEMS, item, normal, whole

MAX_OPERATIONS = 100


def _not_on_screen(keys: list[str]) -> JiraError:
    return JiraError(
        400,
        [],
        {
            k[:100]: f"Field '{k[:100]}' cannot be set. It is not on the appropriate screen, "
            "or unknown."
            for k in keys
        },
    )


def _operations(field: str, raw: Any) -> list[tuple[str, Any]]:
    ops = [raw] if isinstance(raw, dict) else raw  # a lone object, as some clients send
    if not isinstance(ops, list) or not all(isinstance(o, dict) and o for o in ops):
        raise JiraError(400, [], {field: "Operations must be a list of {verb: value} objects."})
    if len(ops) > MAX_OPERATIONS:
        raise JiraError(400, [], {field: f"No more than {MAX_OPERATIONS} operations a field."})
    return [(verb, value) for op in ops for verb, value in op.items()]


def _apply_ops(f: ScreenField, issue: Doc, current: Any, ops: list[tuple[str, Any]]) -> Any:
    value = list(current or []) if f.kind in LIST_KINDS else current
    for verb, raw in ops:
        if verb not in OPERATIONS[f.kind]:
            raise JiraError(
                400, [], {f.id: f"Field '{f.id}' does not support operation '{verb[:20]}'"}
            )
        if verb == "set":
            value = whole(f, issue, raw)
        elif verb == "add":
            one = item(f, issue, raw)
            value = value if one in value else [*value, one]
        else:
            one = item(f, issue, raw)
            value = [v for v in value if v != one]
        if f.kind in LIST_KINDS and len(value) > MAX_ITEMS:
            raise JiraError(400, [], {f.id: f"No more than {MAX_ITEMS} values can be set."})
    return normal(f, value) if f.kind in LIST_KINDS else value


def plan(
    issue: Doc, fields: Any, update: Any, allowed: set[str] | None = None
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """New values by field id, and the comment operations, for one edit; raises when the
    request is refused. ``allowed`` narrows the screen (a transition's)."""
    fields = {} if fields is None else fields
    update = {} if update is None else update
    if not isinstance(fields, dict) or not isinstance(update, dict):
        raise JiraError(400, ["fields and update must be objects."])
    both = sorted(fields.keys() & update.keys())
    if both:
        raise JiraError(
            400,
            [],
            {
                k[:100]: f"Field '{k[:100]}' cannot be set in both 'fields' and 'update'."
                for k in both
            },
        )
    on_screen = screen()
    usable = on_screen if allowed is None else {k: v for k, v in on_screen.items() if k in allowed}
    unknown = [k for k in [*fields, *update] if k not in usable and k != "comment"]
    if "comment" in fields:
        unknown.append("comment")
    if unknown:
        raise _not_on_screen(unknown)
    new: dict[str, Any] = {}
    for key, raw in fields.items():
        new[key] = whole(usable[key], issue, raw)
    comment_ops: list[tuple[str, Any]] = []
    for key, raw in update.items():
        ops = _operations(key, raw)
        if key == "comment":
            comment_ops = ops
            continue
        new[key] = _apply_ops(usable[key], issue, issue.get(key), ops)
    return new, comment_ops


def apply(issue: Doc, new: dict[str, Any]) -> list[Doc]:
    """Set the planned values; the changelog items of what really changed."""
    on_screen = screen()
    out: list[Doc] = []
    for key, value in new.items():
        f = on_screen[key]
        old = issue.get(key)
        if f.kind in LIST_KINDS:
            old = old or []
        out.extend(changes.items(f, old, value))
        issue[key] = value
    return out
