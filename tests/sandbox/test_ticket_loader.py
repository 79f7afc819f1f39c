"""The sandbox's backdated ticket loader (``POST /_sandbox/jira/tickets``): what it makes
is what the REST API would have made with the same history at the same instants."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import requests

from opskit.sandbox.jira.workflow import ORGANIZATIONS_FIELD
from opskit.sandbox.seed_calendar import BERLIN
from tests.sandbox.jira_site import Desk

EMAIL = "anna@northwind.example"


def load(desk: Desk, tickets: list[dict[str, Any]]) -> requests.Response:
    return requests.post(
        f"{desk.sb.url}/_sandbox/jira/tickets", json={"tickets": tickets},
        verify=str(desk.sb.ca_path), timeout=30,
    )  # fmt: skip


def _strip(node: Any) -> Any:
    """The issue's JSON without what differs between any two issues (ids, keys, links)."""
    if isinstance(node, list):
        return [_strip(n) for n in node]
    if isinstance(node, dict):
        drop = {"id", "self", "key"} if {"created", "author"} <= node.keys() else {"self"}
        return {k: _strip(v) for k, v in node.items() if k not in drop}
    return node


def snapshot(desk: Desk, key: str) -> Any:
    issue = desk.call("GET", f"issue/{key}", params={"expand": "changelog"}).json()
    comments = desk.call("GET", f"issue/{key}/comment").json()["comments"]
    sla = desk.call("GET", f"/rest/servicedeskapi/request/{key}/sla").json()["values"]
    for m in sla:
        m.pop("_links")
    return _strip({"fields": issue["fields"], "changelog": issue["changelog"]["histories"],
                   "comments": comments, "sla": sla})  # fmt: skip


def test_loaded_ticket_matches_one_made_through_the_api(desk: Desk) -> None:
    t0 = desk.clock.now
    steps = [timedelta(minutes=m) for m in (15, 40, 65, 90, 200)]
    issue = desk.issue("Backups fail", priority={"name": "Medium"},
                       components=[{"name": "Storage API"}], **{ORGANIZATIONS_FIELD: [desk.org]})  # fmt: skip
    desk.clock.now = t0 + steps[0]
    desk.jc.add_comment(issue, "Looking", is_internal=False)
    desk.clock.now = t0 + steps[1]
    desk.jc.transition_issue(issue, "Waiting for customer")
    desk.clock.now = t0 + steps[2]
    issue.update(priority={"name": "Highest"})
    desk.clock.now = t0 + steps[3]
    desk.call("POST", f"/rest/servicedeskapi/request/{issue.key}/comment",
              json={"body": "Agents: it is the NAS", "public": False})  # fmt: skip
    desk.clock.now = t0 + steps[4]
    desk.jc.transition_issue(issue, "Resolved")
    desk.clock.advance(hours=1)
    at = [(t0 + s).isoformat() for s in steps]
    loaded = load(desk, [{
        "project": "SUP", "summary": "Backups fail", "priority": "Medium",
        "organization": "Contoso", "components": ["Storage API"], "reporter": EMAIL,
        "created": t0.astimezone(BERLIN).isoformat(), "issuetype": "Service Request",
        "events": [
            {"at": at[0], "author": EMAIL, "comment": "Looking", "public": True},
            {"at": at[1], "author": EMAIL, "status": "Waiting for customer"},
            {"at": at[2], "author": EMAIL, "priority": "Highest"},
            {"at": at[3], "author": EMAIL, "comment": "Agents: it is the NAS", "public": False},
            {"at": at[4], "author": EMAIL, "status": "Resolved"},
        ],
    }])  # fmt: skip
    assert loaded.status_code == 201, loaded.text
    assert loaded.json() == {"keys": ["SUP-2"]}
    assert snapshot(desk, "SUP-2") == snapshot(desk, issue.key)
    fields = desk.call("GET", "issue/SUP-2").json()["fields"]
    assert fields["resolutiondate"].startswith((t0 + steps[4]).strftime("%Y-%m-%dT%H:%M"))
    assert fields["updated"] == fields["resolutiondate"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"priority": "P9"}, "unknown priority 'P9'"),
        ({"organization": "Initech"}, "unknown organization 'Initech'"),
        ({"components": ["Fax"]}, "unknown component 'Fax'"),
        ({"reporter": "who@nowhere.example"}, "no user has the email"),
        ({"project": "NOPE"}, "unknown project 'NOPE'"),
        ({"created": "2026-01-07 08:00"}, "has no UTC offset"),
        ({"created": "2030-01-01T00:00:00+00:00"}, "after the sandbox's current time"),
        (
            {"events": [{"at": "2026-01-07T08:30:00+00:00", "author": EMAIL, "status": "Done?"}]},
            "unknown status 'Done?'",
        ),
        (
            {"events": [{"at": "2026-01-07T07:00:00+00:00", "author": EMAIL, "status": "Closed"}]},
            "events must be in time order",
        ),
        (
            {
                "events": [
                    {
                        "at": "2026-01-07T08:30:00+00:00",
                        "author": EMAIL,
                        "comment": "x",
                        "priority": "High",
                    }
                ]
            },
            "exactly one of",
        ),
    ],
)
def test_refused_tickets_load_nothing(desk: Desk, change: dict[str, Any], message: str) -> None:
    good = {"project": "SUP", "summary": "ok", "priority": "High", "reporter": EMAIL,
            "created": "2026-01-07T08:00:00+00:00", "events": []}  # fmt: skip
    resp = load(desk, [good, {**good, **change}])
    assert resp.status_code == 400
    assert message in resp.json()["error"] and "tickets[1]" in resp.json()["error"]
    assert desk.jc.enhanced_search_issues("project = SUP", maxResults=0) == []
    assert load(desk, [good]).json() == {"keys": ["SUP-1"]}  # the numbering was not used up


def test_loader_body_must_be_tickets(desk: Desk) -> None:
    for body in ([], {"tickets": []}, {"tickets": "x"}, {"nope": 1}):
        resp = requests.post(f"{desk.sb.url}/_sandbox/jira/tickets", json=body,
                             verify=str(desk.sb.ca_path), timeout=30)  # fmt: skip
        assert resp.status_code == 400 and resp.json()["error"]
