"""Which values exist for a JQL field: a clause naming anything else is refused as Jira
refuses it ("The value 'X' does not exist for the field 'Y'.")."""

from __future__ import annotations

from collections.abc import Callable

from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import issuetypes
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.common import me
from opskit.sandbox.jira.jql_fields import FieldSpec, category_names, status_names, user_names
from opskit.sandbox.state import state


def _known(spec: FieldSpec) -> set[str]:
    store = state().store
    sets: dict[str, Callable[[], list[str]]] = {
        "project": lambda: [
            str(p[k]) for p in store.all("jira.project") for k in ("key", "id", "name")
        ],
        "status": lambda: [n for s in wf.STATUSES for n in status_names(s)],
        "statuscategory": lambda: [n for s in wf.STATUSES for n in category_names(s)],
        "priority": lambda: [n for p in store.all("jira.priority") for n in (p["id"], p["name"])],
        "issuetype": lambda: [n for t, (name, _, _) in issuetypes.TYPES.items() for n in (t, name)],
        "component": lambda: [n for c in store.all("jira.component") for n in (c["id"], c["name"])],
        "organizations": lambda: [n for o in store.all("jsm.org") for n in (o["id"], o["name"])],
        "assignee": lambda: [n for u in store.all("jira.user") for n in user_names(u["accountId"])],
        "resolution": lambda: ["Done", "Won't Do", "Duplicate", "Cannot Reproduce", "Unresolved"],
    }
    sets["reporter"] = sets["assignee"]
    if spec.id in sets:
        return {v.lower() for v in sets[spec.id]()}
    return {o["value"].lower() for o in store.all("jira.option")} | {
        o["id"] for o in store.all("jira.option")
    }


def check_value(spec: FieldSpec, value: str, quoted: bool = False) -> str:
    """The value to compare with; 400 when nothing has it."""
    if spec.id in ("assignee", "reporter") and value.lower() == "currentuser()" and not quoted:
        return str(me()["accountId"])
    if spec.id == "resolution" and value.lower() == "unresolved":
        return "\x01empty"  # Jira's name for an issue without resolution
    if spec.checked and value.lower() not in _known(spec):
        raise JiraError(
            400, [f"The value '{value[:100]}' does not exist for the field '{spec.name[:100]}'."]
        )
    return value
