"""Jira Service Management organisations: read in bulk, written with their members,
their `opskit` property (the marker plus the customer's tier and contract) and
their link to the service desk.

JSM creates an organisation from its name alone, so the marker follows in a second request.
An apply that stops between the two leaves an organisation with no owner; the next plan
recognises it (see `finish_unfinished`) and finishes it, rather than asking for it to be
adopted.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from opskit.providers.jira.client import Api
from opskit.providers.jira.settings import PROPERTY, Settings
from opskit.sync.diff import Action, Change, diff
from opskit.sync.ownership import marker
from opskit.sync.resources import Desired, Live, Warning

# An apply that stopped is run again soon (a CI retry, the next merge); an empty
# organisation that Jira dates earlier than this was made by someone, and is adopted by hand.
UNFINISHED_WITHIN = dt.timedelta(days=1)

PATH = "/rest/servicedeskapi/organization"
READERS = 8  # organisations read at once
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
    # JSM has no bulk read of an organisation's property or members: one request each,
    # side by side (the limiter paces them together), in the listing's order
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        return desk, list(pool.map(lambda org: _live(api, org, workspace, settings, linked),
                                   list(api.jsm_pages(PATH))))  # fmt: skip


def _live(api: Api, org: dict[str, Any], workspace: str, settings: Settings,
          linked: set[str]) -> Live:  # fmt: skip
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
    # What telling an unfinished create of ours needs, apart from the compared fields.
    extra = {"owned": facts is not None, "linked": org_id in linked, "created": _created(org)}
    return Live("organization", org["name"], org_id, fields, managed, extra)


def _created(org: dict[str, Any]) -> int | None:
    """When Jira says the organisation was made (ms since the epoch); older ones have no date."""
    created = org.get("created")
    millis = created.get("epochMillis") if isinstance(created, dict) else None
    return millis if isinstance(millis, int) and not isinstance(millis, bool) else None


def finish_unfinished(
    api: Api, workspace: str, order: list[str], wanted: list[Desired], objects: list[Live],
    now: dt.datetime | None = None,
) -> tuple[list[Live], list[Warning]]:  # fmt: skip
    """Take back the organisations an apply of ours created and could not mark before it stopped.

    JSM can neither create an organisation with its property nor say who created one, so
    the site must be in exactly the state such an apply leaves: everything the plan would
    write before the organisations is in place, as the policies say, and an organisation
    the plan would create exists under that very name with nothing in it (see
    `unfinished`). The plan then finishes it like any update. Any other organisation of a
    customer's name stays someone's, to adopt (`opskit jira adopt`). An apply writes the
    organisations side by side (see opskit.sync.waves), so up to that many are left.
    """
    changes, _ = diff(order, wanted, objects)
    pending = [c for c in changes if c.action not in (Action.UNCHANGED, Action.DELETE)]
    if not pending or any(c.type != "organization" for c in pending):
        return objects, []
    taken: dict[int, Live] = {}
    notes: list[Warning] = []
    for change in pending:
        if change.action is not Action.CREATE:
            continue
        found = [o for o in objects if o.type == "organization" and o.key == change.key]
        if len(found) != 1 or found[0].managed or not unfinished(api, found[0], now):
            continue
        bare = found[0]
        fields: dict[str, Any] = {"name": change.key, "members": [], "service_desk": None, "facts": {}}
        taken[id(bare)] = Live(bare.type, bare.key, bare.id, fields, True, bare.extra)
        notes.append(Warning(
            f"organization {change.key!r} has no owner and nothing in it yet, as an apply that "
            f"stopped after creating it leaves it: this plan finishes it as opskit/{workspace}'s",
            change.source,
        ))  # fmt: skip
    return [taken.get(id(o), o) for o in objects], notes


def unfinished(api: Api, found: Live, now: dt.datetime | None = None) -> bool:
    """Whether an organisation is as bare as one our create just made (read fresh)."""
    if found.extra.get("owned") or found.extra.get("linked"):
        return False
    created = found.extra.get("created")
    if isinstance(created, int):
        made = dt.datetime.fromtimestamp(created / 1000, dt.UTC)
        if (now or dt.datetime.now(dt.UTC)) - made > UNFINISHED_WITHIN:
            return False
    return _bare(api, found.id)


def _bare(api: Api, org_id: str) -> bool:
    """No property at all (not even another tool's) and no members."""
    keys = (api.call("GET", f"{PATH}/{org_id}/property") or {}).get("keys") or []
    return not keys and not any(True for _ in api.jsm_pages(f"{PATH}/{org_id}/user"))


def read_property(api: Api, org_id: str) -> Any:
    body = api.call("GET", f"{PATH}/{org_id}/property/{PROPERTY}", missing_ok=True)
    return None if body is None else body.get("value")


def find(api: Api, workspace: str, name: str) -> str | None:
    """Ours by property; or a bare one (no property, no members), left by a create whose
    answer was lost (the plan saw no organisation of that name, so nobody made it since)."""
    for org in api.jsm_pages(PATH):
        if org["name"] == name:
            org_id = str(org["id"])
            facts = read_property(api, org_id)
            if isinstance(facts, dict) and facts.get("managedBy") == marker(workspace):
                return org_id
            if facts is None and _bare(api, org_id):
                return org_id
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
