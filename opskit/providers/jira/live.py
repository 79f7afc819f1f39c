"""Jira's current state, read in bulk and normalised like the desired state.

Ownership: priorities and components carry the marker in their description;
organisations in their `opskit` property (they have no description); select
options have neither, so an option is opskit's when its value names an SlaTier
of the policies. Options naming no tier are left alone: a tier leaves the
field by being retired (disabled), never by deletion, so old tickets keep it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opskit.providers.jira import organizations, schemes
from opskit.providers.jira.client import Api
from opskit.providers.jira.settings import Settings
from opskit.sync.ownership import owner, strip_marker
from opskit.sync.resources import Live


@dataclass(slots=True)
class Site:
    """What was read, plus the ids the writer needs and what is missing."""

    objects: list[Live] = field(default_factory=list)
    missing_projects: list[str] = field(default_factory=list)
    tier_field: str | None = None  # custom field id
    tier_context: str | None = None
    desk: str | None = None  # service desk id
    project_ids: dict[str, str] = field(default_factory=dict)  # configured projects: key → id


def read(api: Api, workspace: str, settings: Settings) -> Site:
    site = Site()
    _priorities(api, workspace, site)
    site.objects += schemes.read(api, workspace)
    for project in settings.projects:
        _components(api, workspace, project, site)
    _tier_options(api, settings, site)
    site.desk, found = organizations.read(api, workspace, settings)
    site.objects += found
    return site


def _priorities(api: Api, workspace: str, site: Site) -> None:
    for item in api.run("GET", "/priority", api.client.priorities):
        raw = item.raw
        fields = {
            "name": raw["name"],
            "description": strip_marker(raw.get("description")),
            "statusColor": str(raw.get("statusColor", "")).lower(),
        }
        managed = owner(raw.get("description")) == workspace
        site.objects.append(Live("priority", raw["name"], str(raw["id"]), fields, managed))


def _components(api: Api, workspace: str, project: str, site: Site) -> None:
    found_project = api.call("GET", f"/project/{project}", missing_ok=True)
    if found_project is None:
        site.missing_projects.append(project)
        return
    site.project_ids[project] = str(found_project["id"])
    found = api.run(
        "GET", f"/project/{project}/components", lambda: api.client.project_components(project)
    )
    for item in found:
        raw = item.raw
        site.objects.append(
            Live(
                "component",
                f"{project}/{raw['name']}",
                str(raw["id"]),
                component_fields(project, raw),
                owner(raw.get("description")) == workspace,
            )
        )


def component_fields(project: str, raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "project": project,
        "name": raw["name"],
        "description": strip_marker(raw.get("description")),
        "lead": (raw.get("lead") or {}).get("accountId"),
        "assigneeType": raw.get("assigneeType", "PROJECT_DEFAULT"),
    }


def _tier_options(api: Api, settings: Settings, site: Site) -> None:
    fields = api.call("GET", "/field")
    matches = [f for f in fields if f.get("custom") and f.get("name") == settings.tier_field]
    if not matches:
        return
    site.tier_field = str(matches[0]["id"])
    contexts = list(api.pages(f"/field/{site.tier_field}/context"))
    if not contexts:
        return
    # Options live per context; the global one is where every project's tickets look.
    chosen = next((c for c in contexts if c.get("isGlobalContext")), contexts[0])
    site.tier_context = str(chosen["id"])
    path = f"/field/{site.tier_field}/context/{site.tier_context}/option"
    for option in api.pages(path):
        value = str(option["value"])
        fields_ = {"value": value, "disabled": bool(option.get("disabled", False))}
        site.objects.append(
            Live("tier_option", value, str(option["id"]), fields_, False)  # see claims
        )
