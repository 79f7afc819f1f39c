"""The priority scheme: the policies' priorities, offered in the configured projects.

One scheme per workspace, named after it and marked in its description. Its
default (the priority a request gets when nobody chose one) is the least severe
policy priority, so an unsorted request never pages anyone.
"""

from __future__ import annotations

from typing import Any

from opskit.policy.model import Policy
from opskit.providers.jira.client import Api
from opskit.sync.apply import IdMap
from opskit.sync.diff import Change
from opskit.sync.ownership import owner, strip_marker, with_marker
from opskit.sync.resources import Desired, Live, make_ref

PATH = "/priorityscheme"


def scheme_name(workspace: str) -> str:
    return f"Support priorities ({workspace})"


def desired(policy: Policy, workspace: str, projects: dict[str, str]) -> list[Desired]:
    """`projects`: the configured projects that exist, key → id."""
    ordered = sorted(policy.priorities.values(), key=lambda p: p.level)
    if not ordered or not projects:
        return []
    names = [p.jira_name for p in ordered]
    fields: dict[str, Any] = {
        "name": scheme_name(workspace),
        "description": "The priorities of the support policies, most severe first.",
        "priorities": sorted(names),
        "default": names[-1],
        "projects": sorted(projects),
    }
    extra = {
        "priorityIds": {n: make_ref("priority", n) for n in names},
        "projectIds": dict(sorted(projects.items())),
    }
    return [
        Desired(
            "priority_scheme", scheme_name(workspace), fields, ordered[-1].source.position, extra
        )
    ]


def read(api: Api, workspace: str) -> list[Live]:
    out = []
    for scheme in api.pages(PATH, {"expand": "priorities,projects"}):
        priorities = (scheme.get("priorities") or {}).get("values", [])
        default = next(
            (p["name"] for p in priorities if str(p["id"]) == str(scheme.get("defaultPriorityId"))),
            None,
        )
        fields = {
            "name": scheme["name"],
            "description": strip_marker(scheme.get("description")),
            "priorities": sorted(p["name"] for p in priorities),
            "default": default,
            "projects": sorted(p["key"] for p in (scheme.get("projects") or {}).get("values", [])),
        }
        managed = owner(scheme.get("description")) == workspace
        out.append(Live("priority_scheme", scheme["name"], str(scheme["id"]), fields, managed))
    return out


def find(api: Api, workspace: str, name: str) -> str | None:
    return next((o.id for o in read(api, workspace) if o.key == name and o.managed), None)


def create(api: Api, workspace: str, change: Change, ids: IdMap) -> str:
    priority_ids = ids.resolve(change.extra["priorityIds"])
    body = {
        "name": change.fields["name"],
        "description": with_marker(change.fields["description"], workspace),
        "defaultPriorityId": int(priority_ids[change.fields["default"]]),
        "priorityIds": [int(i) for i in priority_ids.values()],
        "projectIds": [int(i) for i in change.extra["projectIds"].values()],
    }
    return str(api.call("POST", PATH, json=body)["id"])


def update(api: Api, workspace: str, change: Change, ids: IdMap) -> None:
    """Priorities and projects are added and removed by difference with what is there now."""
    priority_ids = ids.resolve(change.extra["priorityIds"])
    [now] = api.pages(PATH, {"schemeId": change.id, "expand": "priorities,projects"})
    have_priorities = {str(p["id"]) for p in now["priorities"]["values"]}
    have_projects = {str(p["id"]) for p in now["projects"]["values"]}
    body: dict[str, Any] = {
        "name": change.fields["name"],
        "description": with_marker(change.fields["description"], workspace),
        "defaultPriorityId": int(priority_ids[change.fields["default"]]),
        "priorities": _delta(have_priorities, set(priority_ids.values())),
        "projects": _delta(have_projects, set(change.extra["projectIds"].values())),
    }
    api.call("PUT", f"{PATH}/{change.id}", json={k: v for k, v in body.items() if v != {}})


def _delta(have: set[str], want: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if want - have:
        out["add"] = {"ids": sorted(int(i) for i in want - have)}
    if have - want:
        out["remove"] = {"ids": sorted(int(i) for i in have - want)}
    return out
