"""Compare desired and live resources field by field."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from opskit.sync.resources import Desired, Live


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field a change alters: its live value and the desired one."""

    name: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Change:
    """What a plan does to one object of a target: create, update, delete, or nothing."""

    action: Action
    type: str
    key: str
    id: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # desired fields (create/update)
    changes: tuple[FieldChange, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    source: str | None = None


def carried_out(change: Change, *, prune: bool) -> bool:
    """Whether applying does it. Deletes wait for --prune, except of objects opskit derives
    from the policies itself (extra["derived"]: nobody wrote them), which go when the
    policies no longer derive them."""
    if change.action is Action.UNCHANGED:
        return False
    return change.action is not Action.DELETE or prune or bool(change.extra.get("derived"))


def kept(plan_changes: Iterable[Change], *, prune: bool) -> int:
    """Deletes not carried out without --prune."""
    return sum(
        1 for c in plan_changes if c.action is Action.DELETE and not carried_out(c, prune=prune)
    )


def field_changes(desired: dict[str, Any], live: dict[str, Any]) -> tuple[FieldChange, ...]:
    names = sorted(set(desired) | set(live))
    return tuple(
        FieldChange(n, live.get(n), desired.get(n)) for n in names if desired.get(n) != live.get(n)
    )


def diff(
    order: Sequence[str], desired: Iterable[Desired], live: Iterable[Live]
) -> tuple[list[Change], list[Live]]:
    """Changes in dependency order (deletes last, in reverse), and live objects left alone.

    Only managed live objects take part; the others are listed so the plan can say
    they exist, but they are never updated or deleted.
    """
    wanted = {(d.type, d.key): d for d in desired}
    managed = {(obj.type, obj.key): obj for obj in live if obj.managed}
    others = [obj for obj in live if not obj.managed]
    changes: list[Change] = []
    for kind in order:
        for (t, key), want in sorted(wanted.items()):
            if t != kind:
                continue
            have = managed.get((t, key))
            source = str(want.source) if want.source else None
            if have is None:
                changes.append(
                    Change(Action.CREATE, t, key, None, want.fields, (), want.extra, source)
                )
                continue
            delta = field_changes(want.fields, have.fields)
            action = Action.UPDATE if delta else Action.UNCHANGED
            changes.append(Change(action, t, key, have.id, want.fields, delta, want.extra, source))
    for kind in reversed(order):
        for (t, key), have in sorted(managed.items()):
            if t == kind and (t, key) not in wanted:
                changes.append(Change(Action.DELETE, t, key, have.id, {}, (), have.extra))
    return changes, others
