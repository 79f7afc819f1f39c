"""Issue types, transitions with fields and update, and issue entity properties."""

from __future__ import annotations

import json

import pytest

from tests.sandbox.jira_site import Desk


def test_issue_types_on_the_site_and_the_project(desk: Desk) -> None:
    types = desk.jc.issue_types()
    assert {"Service Request", "Task", "Bug"} <= {t.name for t in types}
    one = desk.jc.issue_type(types[0].id)
    assert one.name == types[0].name
    project = desk.call("GET", "project/SUP").json()
    offered = [t["name"] for t in project["issueTypes"]]
    assert offered[0] == "Service Request" and "Bug" not in offered
    listed = desk.call("GET", "project", params={"expand": "issueTypes"}).json()
    assert [t["name"] for t in listed[0]["issueTypes"]] == offered
    assert "issueTypes" not in desk.call("GET", "project").json()[0]
    assert desk.call("GET", "issuetype/99999").status_code == 404
    issue = desk.issue(issuetype={"name": "Incident"})
    assert desk.jc.issue(issue.key).fields.issuetype.name == "Incident"


@pytest.mark.parametrize(
    ("issuetype", "message"),
    [(None, "Specify an issue type"), ({"name": "Bug"}, "The issue type selected is invalid.")],
)
def test_create_needs_a_type_the_project_offers(
    desk: Desk, issuetype: object, message: str
) -> None:
    fields: dict[str, object] = {"project": {"key": "SUP"}, "summary": "x"}
    if issuetype is not None:
        fields["issuetype"] = issuetype
    resp = desk.call("POST", "issue", json={"fields": fields})  # the client insists on a type
    assert resp.status_code == 400
    assert resp.json()["errors"]["issuetype"] == message


def test_transition_with_fields_update_and_comment(desk: Desk) -> None:
    issue = desk.issue()
    done = desk.jc.transitions(issue, expand="transitions.fields")
    resolve = next(t for t in done if t["name"] == "Resolved")
    assert resolve["hasScreen"] and "resolution" in resolve["fields"]
    assert next(t for t in done if t["name"] == "In Progress")["fields"] == {}
    only = desk.jc.transitions(issue, id=resolve["id"])
    assert [t["id"] for t in only] == [resolve["id"]]
    desk.clock.advance(hours=2)
    desk.jc.transition_issue(
        issue, "Resolved", fields={"resolution": {"name": "Won't Do"},
        "assignee": {"accountId": desk.bob}}, comment="Not reproducible here",
    )  # fmt: skip
    got = desk.jc.issue(issue.key, expand="changelog")
    assert got.fields.status.name == "Resolved" and got.fields.resolution.name == "Won't Do"
    assert got.fields.resolutiondate.startswith("2026-01-07T11:00")
    assert got.fields.assignee.accountId == desk.bob
    assert [c.body for c in desk.jc.comments(issue.key)] == ["Not reproducible here"]
    [history] = got.changelog.histories
    assert {i.field for i in history.items} == {"status", "resolution", "assignee"}
    reopen = desk.call("POST", f"issue/{issue.key}/transitions", json={"transitionId": "61"})
    assert reopen.status_code == 204
    again = desk.jc.issue(issue.key)
    assert again.fields.resolution is None and again.fields.resolutiondate is None


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"transition": {"id": "999"}}, "errorMessages"),
        ({"transition": {"id": "61"}}, "errorMessages"),  # already Open
        ({}, "errorMessages"),
        ({"transition": {"id": "21"}, "fields": {"summary": "x"}}, "errors"),  # no screen
        ({"transition": {"id": "41"}, "fields": {"resolution": {"name": "Nah"}}}, "errors"),
    ],
)
def test_refused_transitions(desk: Desk, body: dict[str, object], where: str) -> None:
    issue = desk.issue()
    resp = desk.call("POST", f"issue/{issue.key}/transitions", json=body)
    assert resp.status_code == 400 and resp.json()[where]
    assert desk.jc.issue(issue.key).fields.status.name == "Open"


def test_pending_release_is_a_status_with_its_transition(desk: Desk) -> None:
    issue = desk.issue()
    names = {t["name"]: t for t in desk.jc.transitions(issue)}
    assert names["Pending release"]["to"]["statusCategory"]["key"] == "indeterminate"
    desk.jc.transition_issue(issue, "Pending release")
    pending = desk.jc.enhanced_search_issues('status = "Pending release"', maxResults=0)
    assert [i.key for i in pending] == [issue.key]


def test_issue_properties_keep_any_json_up_to_the_limit(desk: Desk) -> None:
    issue = desk.issue()
    updated = desk.jc.issue(issue.key).fields.updated
    value = {"breached": ["first-response"], "notified": {"at": "2026-01-07T09:00Z"}, "n": 3}
    created = desk.call("PUT", f"issue/{issue.key}/properties/sla.enforcer", json=value)
    assert created.status_code == 201
    again = desk.call("PUT", f"issue/{issue.key}/properties/sla.enforcer", json=[1, "two"])
    assert again.status_code == 200
    desk.jc.add_issue_property(issue.key, "plain", "just text")
    keys = desk.call("GET", f"issue/{issue.key}/properties").json()["keys"]
    assert [k["key"] for k in keys] == ["plain", "sla.enforcer"]
    assert desk.jc.issue_property(issue.key, "sla.enforcer").value == [1, "two"]
    assert desk.jc.issue(issue.key).fields.updated == updated  # not an edit of the issue
    big = json.dumps({"x": "a" * 32761})  # 32769 bytes
    too_big = desk.call("PUT", f"issue/{issue.key}/properties/big", data=big,
                        headers={"Content-Type": "application/json"})  # fmt: skip
    assert too_big.status_code == 400 and "32768" in too_big.json()["errorMessages"][0]
    fits = json.dumps("a" * 32766)  # 32768 bytes with its quotes
    ok = desk.call("PUT", f"issue/{issue.key}/properties/big", data=fits,
                   headers={"Content-Type": "application/json"})  # fmt: skip
    assert ok.status_code == 201
    broken = desk.call("PUT", f"issue/{issue.key}/properties/bad", data="{nope",
                       headers={"Content-Type": "application/json"})  # fmt: skip
    assert broken.status_code == 400
    empty = desk.call("PUT", f"issue/{issue.key}/properties/bad", data="",
                      headers={"Content-Type": "application/json"})  # fmt: skip
    assert empty.status_code == 400
    assert desk.call("DELETE", f"issue/{issue.key}/properties/plain").status_code == 204
    assert desk.call("GET", f"issue/{issue.key}/properties/plain").status_code == 404
    assert desk.call("DELETE", f"issue/{issue.key}/properties/plain").status_code == 404
    via_edit = desk.call("PUT", f"issue/{issue.key}",
                         json={"properties": [{"key": "from-edit", "value": {"a": 1}}]})  # fmt: skip
    assert via_edit.status_code == 204
    assert desk.jc.issue_property(issue.key, "from-edit").raw["value"] == {"a": 1}
