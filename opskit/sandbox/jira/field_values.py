"""Reading one field's value from a request, and the changelog items a change makes.

Stored forms: priority, assignee and single options by id; components, options and
organisations as id lists; labels as a sorted list of strings (Jira keeps them as a set);
due dates as ``YYYY-MM-DD``; texts as plain text (see ``adf``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import adf
from opskit.sandbox.jira.editscreen import LIST_KINDS, ScreenField
from opskit.sandbox.jira.options import find_option
from opskit.sandbox.jira.projects import components_of
from opskit.sandbox.state import state

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_SUMMARY = 255
MAX_LABEL = 255
MAX_ITEMS = 1000  # far above what a screen takes; bounds the work one request can ask for


def _bad(field: str, message: str) -> JiraError:
    return JiraError(400, [], {field: message})


def _priority(raw: Any) -> str:
    ref = raw if isinstance(raw, dict) else {}
    for p in state().store.all("jira.priority"):
        if str(ref.get("id")) == p["id"] or (ref.get("name") and ref.get("name") == p["name"]):
            return str(p["id"])
    raise _bad("priority", "Specify a valid priority id or name.")


def _component(raw: Any, issue: Doc) -> str:
    ref = raw if isinstance(raw, dict) else {}
    for c in components_of(issue["projectId"]):
        if str(ref.get("id")) == c["id"] or (ref.get("name") and ref.get("name") == c["name"]):
            return str(c["id"])
    shown = ref.get("name") or ref.get("id") if ref else raw
    raise _bad("components", f"Component name '{str(shown)[:100]}' is not valid")


def _label(raw: Any) -> str:
    if not isinstance(raw, str) or not raw:
        raise _bad("labels", "Labels must be non-empty strings.")
    if any(ch.isspace() for ch in raw):
        raise _bad("labels", f"The label '{raw[:100]}' contains spaces which is invalid.")
    if len(raw) > MAX_LABEL:
        raise _bad(
            "labels",
            f"The label '{raw[:50]}...' exceeds the maximum length for a single label "
            f"of {MAX_LABEL} characters.",
        )
    return raw


def _user(raw: Any, field: str) -> str | None:
    if raw is None:
        return None
    aid = raw.get("accountId", raw.get("id")) if isinstance(raw, dict) else None
    if not isinstance(aid, str) or state().store.get("jira.user", aid) is None:
        raise _bad(field, f"User '{str(aid)[:100]}' does not exist.")
    return aid


def _org(raw: Any, field: str) -> str:
    oid = str(raw.get("id") if isinstance(raw, dict) else raw)
    if isinstance(raw, bool) or state().store.get("jsm.org", oid) is None:
        raise _bad(field, f"Organization with id '{oid[:50]}' does not exist.")
    return oid


def item(f: ScreenField, issue: Doc, raw: Any) -> Any:
    """One value: the whole value of a single-valued field, one element of a list field."""
    kind = f.kind
    if kind == "string":
        text = "" if raw is None else adf.to_text(raw, f.id)
        if f.id == "summary" and not text.strip():
            raise _bad("summary", "You must specify a summary of the issue.")
        if "\n" in text or len(text) > MAX_SUMMARY:
            raise _bad(f.id, f"{f.name} must be one line of less than {MAX_SUMMARY} characters.")
        return text or None
    if kind == "text":
        return None if raw is None else adf.to_text(raw, f.id)
    if kind == "priority":
        return _priority(raw)
    if kind == "user":
        return _user(raw, f.id)
    if kind == "date":
        if raw is None or raw == "":
            return None
        try:
            return date.fromisoformat(raw).isoformat() if _DATE.match(str(raw)) else _no_date(raw)
        except ValueError:
            return _no_date(raw)
    if kind in ("option", "options"):
        if raw is None and kind == "option":
            return None
        return find_option(f.id, issue["projectId"], raw)["id"]
    if kind == "components":
        return _component(raw, issue)
    if kind == "labels":
        return _label(raw)
    return _org(raw, f.id)


def _no_date(raw: Any) -> str:
    raise _bad("duedate", f"Error parsing date string: {str(raw)[:50]}")


def whole(f: ScreenField, issue: Doc, raw: Any) -> Any:
    """A full value, as ``fields`` and ``set`` give it."""
    if f.kind not in LIST_KINDS:
        return item(f, issue, raw)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _bad(f.id, "data was not an array")
    if len(raw) > MAX_ITEMS:
        raise _bad(f.id, f"No more than {MAX_ITEMS} values can be set.")
    return normal(f, [item(f, issue, r) for r in raw])


def normal(f: ScreenField, values: list[Any]) -> list[Any]:
    unique = list(dict.fromkeys(values))
    return sorted(unique) if f.kind == "labels" else unique
