"""Adopt hand-made Jira objects whose names the policies use: mark them as opskit's.

Only the marker is written; the next apply brings the rest in line with the
policies, shown first as a plan like any other change.
"""

from __future__ import annotations

from opskit.providers.jira.client import Api
from opskit.providers.jira.settings import PROPERTY
from opskit.sync.ownership import marker, with_marker
from opskit.sync.resources import Live


def adopt(api: Api, workspace: str, found: Live) -> None:
    if found.type == "organization":
        path = f"/rest/servicedeskapi/organization/{found.id}/property/{PROPERTY}"
        api.call("PUT", path, json={"managedBy": marker(workspace)})
    elif found.type == "priority_scheme":
        description = with_marker(found.fields.get("description") or "", workspace)
        api.call("PUT", f"/priorityscheme/{found.id}", json={"description": description})
    elif found.type == "component":
        description = with_marker(found.fields.get("description") or "", workspace)
        api.call("PUT", f"/component/{found.id}", json={"description": description})
    else:
        raise ValueError(f"cannot adopt a {found.type}")
