"""Changelog items for field changes, named and shaped as Jira Cloud records them."""

from __future__ import annotations

from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.jira.editscreen import ScreenField
from opskit.sandbox.state import state

# Jira names some fields differently in histories than in the REST fields.
_HISTORY_NAMES = {"components": "Component", "duedate": "duedate"}


def _one(f: ScreenField, value: Any) -> str | None:
    """The display string of one stored value."""
    if value is None:
        return None
    store = state().store
    if f.kind == "priority":
        return str((store.get("jira.priority", value) or {}).get("name", value))
    if f.kind == "user":
        return str((store.get("jira.user", value) or {}).get("displayName", value))
    if f.kind == "components":
        return str((store.get("jira.component", value) or {}).get("name", value))
    if f.kind in ("option", "options"):
        return str((store.get("jira.option", value) or {}).get("value", value))
    if f.kind == "orgs":
        return str((store.get("jsm.org", value) or {}).get("name", value))
    return str(value)


def _item(f: ScreenField, old: Any, new: Any, with_ids: bool) -> Doc:
    out: Doc = {
        "field": f.name if f.custom else _HISTORY_NAMES.get(f.id, f.id),
        "fieldtype": "custom" if f.custom else "jira",
        "fieldId": f.id,
    }
    if with_ids:
        out["from"] = None if old is None else str(old)
        out["to"] = None if new is None else str(new)
    out["fromString"] = _one(f, old)
    out["toString"] = _one(f, new)
    return out


def items(f: ScreenField, old: Any, new: Any) -> list[Doc]:
    """What one field's change adds to the history (nothing when it did not change)."""
    if old == new or (not old and not new):
        return []
    if f.kind == "components":
        # one item per component added or removed, as Jira records them
        before, after = list(old or []), list(new or [])
        gone = [_item(f, c, None, True) for c in before if c not in after]
        return gone + [_item(f, None, c, True) for c in after if c not in before]
    if f.kind in ("labels", "options", "orgs"):
        sep = " " if f.kind == "labels" else ", "
        text_old = sep.join(_one(f, v) or "" for v in old or []) or None
        text_new = sep.join(_one(f, v) or "" for v in new or []) or None
        out = _item(f, None, None, False)
        out["fromString"], out["toString"] = text_old, text_new
        if f.kind != "labels":
            out["from"] = "[" + ", ".join(old or []) + "]"
            out["to"] = "[" + ", ".join(new or []) + "]"
        return [out]
    with_ids = f.kind in ("priority", "user", "option", "date")
    return [_item(f, old, new, with_ids)]
