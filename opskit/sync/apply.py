"""Carry out a plan in dependency order, safely and idempotently."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from opskit.sync.diff import Action, Change, carried_out
from opskit.sync.errors import TargetError, UnclearWrite
from opskit.sync.plan import Plan
from opskit.sync.resources import ref_key
from opskit.sync.waves import WORKERS, run_wave, waves

__all__ = ["IdMap", "Outcome", "TargetError", "UnclearWrite", "Writer", "apply_plan"]

# Creates whose outcome was unclear are checked and tried again this many times.
CREATE_ATTEMPTS = 4


class Writer(Protocol):
    """What a provider offers the engine for writing."""

    def find_managed(self, type: str, key: str) -> str | None:
        """The id of this workspace's object with that key, read fresh (for crash recovery)."""

    def create(self, change: Change, ids: IdMap) -> str: ...

    def update(self, change: Change, ids: IdMap) -> None: ...

    def delete(self, change: Change) -> None: ...


class IdMap:
    """Remote ids by (type, key): those read when planning plus those created since."""

    def __init__(self, known: dict[str, dict[str, str]]) -> None:
        self.known = {kind: dict(ids) for kind, ids in known.items()}
        self._lock = threading.Lock()  # writes of one wave add ids from several threads

    def add(self, kind: str, key: str, remote_id: str) -> None:
        with self._lock:
            self.known.setdefault(kind, {})[key] = remote_id

    def resolve(self, value: Any) -> Any:
        """Replace every {"$ref": [type, key]} inside `value` by the remote id."""
        ref = ref_key(value)
        if ref is not None:
            try:
                return self.known[ref[0]][ref[1]]
            except KeyError:
                raise TargetError(f"{ref[0]} {ref[1]!r} has no remote id") from None
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        return value


@dataclass(slots=True)
class Outcome:
    """What applying a plan did: changes made, the one that failed, deletes held back."""

    done: list[tuple[Change, str]] = field(default_factory=list)  # change, remote id
    failed: Change | None = None
    error: str = ""
    skipped: int = 0  # deletes not carried out without --prune


Progress = Callable[[Change], None]


def apply_plan(
    plan: Plan,
    writer: Writer,
    *,
    prune: bool = False,
    progress: Progress | None = None,
    workers: int = WORKERS,
) -> Outcome:
    """Apply changes in dependency order, independent ones side by side (see waves); stop
    at the first failure (a re-run resumes safely)."""
    ids = IdMap(plan.ids)
    outcome = Outcome()
    work = []
    for change in plan.changes:
        if change.action is Action.UNCHANGED:
            continue
        if not carried_out(change, prune=prune):
            outcome.skipped += 1
            continue
        work.append(change)

    def done(change: Change, remote_id: str) -> None:
        outcome.done.append((change, remote_id))
        if progress is not None:
            progress(change)

    for wave in waves(work):
        failed = run_wave(wave, lambda change: _apply_one(change, writer, ids), done, workers=workers)
        if failed is not None:
            outcome.failed, outcome.error = failed
            break
    return outcome


def _apply_one(change: Change, writer: Writer, ids: IdMap) -> str:
    if change.action is Action.CREATE:
        created = _create(change, writer, ids)
        ids.add(change.type, change.key, created)
        return created
    assert change.id is not None
    if change.action is Action.UPDATE:
        writer.update(change, ids)
    else:
        writer.delete(change)
    return change.id


def _create(change: Change, writer: Writer, ids: IdMap) -> str:
    """Create once. The plan was read from live state (or checked against it), so
    nothing of ours with this key existed; only a create whose answer was lost may
    have made one, and we look for it by its marker before trying again."""
    for attempt in range(CREATE_ATTEMPTS):
        try:
            return writer.create(change, ids)
        except UnclearWrite:
            existing = writer.find_managed(change.type, change.key)
            if existing is not None:
                writer.update(_as_update(change, existing), ids)
                return existing
            if attempt + 1 == CREATE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _as_update(change: Change, remote_id: str) -> Change:
    return Change(
        Action.UPDATE,
        change.type,
        change.key,
        remote_id,
        change.fields,
        (),
        change.extra,
        change.source,
    )
