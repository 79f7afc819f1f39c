"""Adopt hand-made Jira objects: mark them as opskit's.

`adopt` is for objects whose names the policies already use (`opskit jira adopt`):
only the marker is written; the next apply brings the rest in line with the
policies, shown first as a plan like any other change. `imported` is for objects
`opskit import` just wrote policies for: see there.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.policy.model import Policy
from opskit.providers.jira import desired, organizations
from opskit.providers.jira.client import Api
from opskit.providers.jira.provider import JiraProvider
from opskit.providers.jira.settings import PROPERTY, Settings
from opskit.providers.jira.writer import Writer
from opskit.sync.apply import IdMap
from opskit.sync.diff import Action, Change
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


def imported(
    api: Api, workspace: str, settings: Settings, policy: Policy,
    adopted: list[tuple[str, str, str]], desk: str | None,
) -> Iterator[str]:  # fmt: skip
    """Bring each object `opskit import` wrote policies for in line with them, marker included.

    Unlike `adopt` (a name clash: the plan then shows what apply will change), an import
    promises that the next plan shows nothing for these objects: a priority's description
    takes opskit's form (name, title, definition, examples) and an organisation gets its
    `opskit` property, members and service desk link, exactly as apply would write them.
    `adopted` holds (type, Jira name, id); `desk` is the service desk's id.
    """
    orgs = {key for kind, key, _ in adopted if kind == "organization"}
    emails = sorted({
        contact.email.lower() for customer in policy.customers.values()
        if customer.organization in orgs for contact in customer.contacts
    })  # fmt: skip
    accounts = JiraProvider(workspace, api, settings=settings).accounts(emails)
    wanted = {(d.type, d.key): d for d in desired.desired(policy, settings, accounts)[0]}
    names = {("priority", p.jira_name): ("Priority", p.name) for p in policy.priorities.values()}
    names |= {
        ("organization", c.organization): ("Customer", c.name) for c in policy.customers.values()
    }
    writer = Writer(api, workspace)
    for kind in ("priority", "organization"):
        for each, key, remote_id in adopted:
            if each != kind:
                continue
            want = wanted[(kind, key)]
            fields, extra = want.fields, {}
            if kind == "organization":
                # Its members are the contacts just imported; one the user search cannot find
                # is kept, not removed: the next plan shows it, with the contact warning.
                members = api.jsm_pages(f"{organizations.PATH}/{remote_id}/user")
                now = {str(m["accountId"]) for m in members}
                fields = {**fields, "members": sorted(now | set(fields["members"]))}
                extra = {"desk": desk}
            change = Change(Action.UPDATE, kind, key, remote_id, fields, (), extra)
            writer.update(change, IdMap({}))
            policy_kind, name = names[(kind, key)]
            renamed = " (renamed: opskit names are identifiers)" if name != key else ""
            yield f"adopted {kind} {key!r} as {policy_kind} {name!r}{renamed}"
