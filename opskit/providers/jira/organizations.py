"""Jira Service Management organisations: read in bulk, written with their members,
their `opskit` property (the marker plus the customer's tier and contract) and
their link to the service desk."""

from __future__ import annotations

from typing import Any

from opskit.providers.jira.client import Api
from opskit.providers.jira.settings import PROPERTY, Settings
from opskit.sync.diff import Change
from opskit.sync.ownership import marker
from opskit.sync.resources import Live

PATH = "/rest/servicedeskapi/organization"
DESKS = "/rest/servicedeskapi/servicedesk"


def read(api: Api, workspace: str, settings: Settings) -> tuple[str | None, list[Live]]:
    """The service desk's id (None if it does not exist) and every organisation."""
    desk, linked = None, set()
    if settings.service_desk:
        found = api.jsm_pages(DESKS)
        desk = next(
            (str(d["id"]) for d in found if d.get("projectKey") == settings.service_desk), None
        )
        if desk is not None:
            linked = {str(o["id"]) for o in api.jsm_pages(f"{DESKS}/{desk}/organization")}
    out = []
    for org in list(api.jsm_pages(PATH)):
        org_id = str(org["id"])
        facts = read_property(api, org_id)
        managed = isinstance(facts, dict) and facts.get("managedBy") == marker(workspace)
        fields: dict[str, Any] = {"name": org["name"]}
        if isinstance(facts, dict) and managed:  # others' members are none of our business
            members = api.jsm_pages(f"{PATH}/{org_id}/user")
            fields |= {
                "members": sorted(str(m["accountId"]) for m in members),
                "service_desk": settings.service_desk if org_id in linked else None,
                "facts": {k: v for k, v in facts.items() if k != "managedBy"},
            }
        out.append(Live("organization", org["name"], org_id, fields, managed))
    return desk, out


def read_property(api: Api, org_id: str) -> Any:
    body = api.call("GET", f"{PATH}/{org_id}/property/{PROPERTY}", missing_ok=True)
    return None if body is None else body.get("value")


def find(api: Api, workspace: str, name: str) -> str | None:
    """Ours by property; or one with no property at all, left by a create whose answer was
    lost (the plan saw no organisation of that name, so nobody else made it since)."""
    for org in api.jsm_pages(PATH):
        if org["name"] == name:
            facts = read_property(api, str(org["id"]))
            if facts is None or (
                isinstance(facts, dict) and facts.get("managedBy") == marker(workspace)
            ):
                return str(org["id"])
    return None


def create(api: Api, workspace: str, change: Change) -> str:
    org_id = str(api.call("POST", PATH, json={"name": change.fields["name"]})["id"])
    _write(api, workspace, change, org_id, members_before=[])
    return org_id


def update(api: Api, workspace: str, change: Change) -> None:
    """Members are read afresh: a saved plan or a recovered create may predate them."""
    assert change.id is not None
    members = [m["accountId"] for m in api.jsm_pages(f"{PATH}/{change.id}/user")]
    _write(api, workspace, change, change.id, members_before=members)


def _write(
    api: Api, workspace: str, change: Change, org_id: str, *, members_before: list[str]
) -> None:
    # The marker goes first, so a run that dies here leaves an organisation we know is ours.
    value = {"managedBy": marker(workspace), **change.fields["facts"]}
    api.call("PUT", f"{PATH}/{org_id}/property/{PROPERTY}", json=value)
    wanted = change.fields["members"]
    added = sorted(set(wanted) - set(members_before))
    removed = sorted(set(members_before) - set(wanted))
    if added:  # adding a member twice is harmless, so a retried POST is safe
        api.call("POST", f"{PATH}/{org_id}/user", json={"accountIds": added}, idempotent=True)
    if removed:
        api.call("DELETE", f"{PATH}/{org_id}/user", json={"accountIds": removed})
    desk = change.extra.get("desk")
    if change.fields["service_desk"] and desk:  # linking twice is harmless too
        path = f"{DESKS}/{desk}/organization"
        api.call("POST", path, json={"organizationId": int(org_id)}, idempotent=True)
