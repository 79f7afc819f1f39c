"""A plan: the changes that would make a target match the policies, saved and reloaded."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from opskit import __version__
from opskit.sync.diff import Action, Change, FieldChange, diff
from opskit.sync.resources import Desired, Live, Warning

FORMAT_VERSION = 1


def fingerprint(live: Iterable[Live]) -> str:
    """A digest of the remote state a plan was computed from.

    Managed objects count in full; others only by key, since a create can collide
    with a name made by hand but their other edits do not matter to the plan.
    """
    rows = sorted([obj.type, obj.key, obj.id, obj.fields if obj.managed else None] for obj in live)
    blob = json.dumps(rows, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(slots=True)
class Plan:
    """The changes that would make a target match the policies, and the live state it assumes."""

    target: str
    workspace: str
    changes: list[Change]
    fingerprint: str
    # ids of everything a change may refer to: (type, key) -> remote id
    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)
    unmanaged: list[dict[str, str]] = field(default_factory=list)

    def counts(self) -> Counter[Action]:
        return Counter(change.action for change in self.changes)

    @property
    def errors(self) -> list[Warning]:
        return [w for w in self.warnings if w.error]

    @property
    def pending(self) -> bool:
        return any(change.action is not Action.UNCHANGED for change in self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "opskit": __version__,
            "target": self.target,
            "workspace": self.workspace,
            "fingerprint": self.fingerprint,
            "ids": self.ids,
            "changes": [change_json(c) for c in self.changes],
            # a saved plan keeps which problems are errors: apply refuses those
            "warnings": [
                {"message": w.message, "source": str(w.source) if w.source else None, "error": w.error}
                for w in self.warnings
            ],
            "unmanaged": self.unmanaged,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"plan format {data.get('format')!r} is not {FORMAT_VERSION}")
        changes = [
            Change(
                Action(c["action"]),
                c["type"],
                c["key"],
                c.get("id"),
                c.get("fields", {}),
                tuple(
                    FieldChange(f["name"], f["before"], f["after"]) for f in c.get("changes", [])
                ),
                c.get("extra", {}),
                c.get("source"),
            )
            for c in data["changes"]
        ]
        warnings = [
            Warning(w["message"], w.get("source"), w.get("error", False))
            for w in data.get("warnings", [])
        ]
        return cls(
            data["target"], data["workspace"], changes, data["fingerprint"], data.get("ids", {}),
            warnings, data.get("unmanaged", []),
        )  # fmt: skip


def change_json(change: Change) -> dict[str, Any]:
    return {
        "action": str(change.action),
        "type": change.type,
        "key": change.key,
        "id": change.id,
        "fields": change.fields,
        "changes": [{"name": f.name, "before": f.before, "after": f.after} for f in change.changes],
        "extra": change.extra,
        "source": change.source,
    }


def make_plan(
    target: str,
    workspace: str,
    order: list[str],
    desired: list[Desired],
    live: list[Live],
    warnings: list[Warning] | None = None,
    *,
    read: list[Live] | None = None,
) -> Plan:
    """Diff desired against live and keep what applying needs: ids and the state's digest.

    `read`: the state as read, when `live` is that state after the policies claimed some
    of it (declared overrides, say). The digest is of what was read, so that checking a
    saved plan, which reads again without the policies, computes the same one.
    """
    warnings = (warnings or []) + merged(desired)
    changes, others = diff(order, desired, live)
    ids: dict[str, dict[str, str]] = {}
    for obj in live:
        ids.setdefault(obj.type, {})[obj.key] = obj.id
    unmanaged = [{"type": o.type, "key": o.key, "id": o.id} for o in others if o.type in order]
    digest = fingerprint(live if read is None else read)
    return Plan(target, workspace, changes, digest, ids, warnings, unmanaged)


def merged(desired: list[Desired]) -> list[Warning]:
    """An error at each policy that became the same remote object as another.

    `opskit validate` stops these first, by the names each provider declares
    (opskit.sync.natural_keys); this keeps any it does not know of from being merged
    into one object silently, whoever calls the engine."""
    first: dict[tuple[str, str], Desired] = {}
    found: list[Warning] = []
    for want in desired:
        seen = first.setdefault((want.type, want.key), want)
        if seen is want or (seen.fields == want.fields and seen.source == want.source):
            continue
        for one, other in ((seen, want), (want, seen)):
            found.append(Warning(
                f"{want.type} {want.key!r} is made from two policies (the other at "
                f"{other.source or 'an unknown place'}); give each a name of its own",
                one.source, error=True,
            ))  # fmt: skip
    return found
