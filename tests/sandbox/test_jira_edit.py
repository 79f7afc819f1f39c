"""Editing issues as Jira Cloud does: ``fields`` and ``update`` verbs, refusals, history,
``returnIssue``, the edit screen's metadata, assignment and custom field options."""

from __future__ import annotations

from typing import Any

import pytest
from jira import JIRAError

from tests.sandbox.fixtures import error_body
from tests.sandbox.jira_site import Desk


def history_items(desk: Desk, key: str) -> list[dict[str, Any]]:
    log = desk.call("GET", f"issue/{key}/changelog").json()
    return [i for h in log["values"] for i in h["items"]]


def test_update_verbs_on_lists_and_set_on_single_fields(desk: Desk) -> None:
    issue = desk.issue(labels=["billing"], components=[{"name": "Billing"}])
    desk.clock.advance(minutes=5)
    issue.update(
        update={
            "labels": [{"add": "vip"}, {"remove": "billing"}, {"add": "urgent"}],
            "components": [{"add": {"name": "Storage API"}}, {"remove": {"name": "Billing"}}],
            "priority": [{"set": {"name": "Highest"}}],
            "summary": [{"set": "Printer on fire, again"}],
            "duedate": [{"set": "2026-01-09"}],
        }
    )
    got = desk.jc.issue(issue.key)
    assert got.fields.labels == ["urgent", "vip"]
    assert [c.name for c in got.fields.components] == ["Storage API"]
    assert got.fields.priority.name == "Highest"
    assert got.fields.summary == "Printer on fire, again"
    assert got.fields.duedate == "2026-01-09"
    assert got.fields.updated.startswith("2026-01-07T09:05:00")
    items = {
        (i["field"], i.get("fromString"), i.get("toString")) for i in history_items(desk, issue.key)
    }
    assert ("labels", "billing", "urgent vip") in items
    assert ("Component", "Billing", None) in items and ("Component", None, "Storage API") in items
    assert ("priority", "Medium", "Highest") in items
    assert ("duedate", None, "2026-01-09") in items


def test_fields_and_update_together_and_the_same_field_in_both(desk: Desk) -> None:
    issue = desk.issue()
    issue.update(fields={"summary": "New title"}, update={"labels": [{"add": "a"}]})
    got = desk.jc.issue(issue.key)
    assert got.fields.summary == "New title" and got.fields.labels == ["a"]
    both = desk.call(
        "PUT", f"issue/{issue.key}",
        json={"fields": {"labels": ["x"]}, "update": {"labels": [{"add": "y"}]}},
    )  # fmt: skip
    assert both.status_code == 400 and "labels" in both.json()["errors"]
    assert desk.jc.issue(issue.key).fields.labels == ["a"]  # nothing changed


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"fields": {"colour": "red"}}, "colour", "cannot be set. It is not on the appropriate"),
        ({"fields": {"labels": ["two words"]}}, "labels", "contains spaces which is invalid"),
        ({"fields": {"duedate": "07/01/2026"}}, "duedate", "Error parsing date string"),
        ({"fields": {"duedate": "2026-02-30"}}, "duedate", "Error parsing date string"),
        ({"update": {"summary": [{"add": "x"}]}}, "summary", "does not support operation"),
        ({"fields": {"priority": {"name": "Urgentest"}}}, "priority", "valid priority"),
        ({"fields": {"components": [{"name": "Nope"}]}}, "components", "is not valid"),
        ({"fields": {"summary": ""}}, "summary", "You must specify a summary"),
        ({"fields": {"assignee": {"accountId": "nobody"}}}, "assignee", "does not exist"),
    ],
)
def test_refused_edits_name_the_field(desk: Desk, body: Any, field: str, message: str) -> None:
    issue = desk.issue()
    before = desk.call("GET", f"issue/{issue.key}").json()
    resp = desk.call("PUT", f"issue/{issue.key}", json=body)
    assert resp.status_code == 400
    assert message in resp.json()["errors"][field]
    assert desk.call("GET", f"issue/{issue.key}").json() == before


def test_select_fields_by_value_or_id_and_unknown_options(desk: Desk) -> None:
    premium, eu, us = desk.options["Premium"], desk.options["EU"], desk.options["US"]
    issue = desk.issue(**{desk.tier: {"value": "Premium"}, desk.regions: [{"id": eu}]})
    raw = desk.jc.issue(issue.key).raw["fields"]
    assert raw[desk.tier]["id"] == premium and [o["value"] for o in raw[desk.regions]] == ["EU"]
    issue.update(update={desk.regions: [{"add": {"value": "US"}}, {"remove": {"id": eu}}]})
    issue.update(fields={desk.tier: {"id": desk.options["Standard"]}})
    raw = desk.jc.issue(issue.key).raw["fields"]
    assert raw[desk.tier]["value"] == "Standard" and [o["id"] for o in raw[desk.regions]] == [us]
    changed = {i["field"]: i for i in history_items(desk, issue.key)}
    assert changed["Support tier"]["fieldtype"] == "custom"
    assert (changed["Support tier"]["fromString"], changed["Support tier"]["toString"]) == (
        "Premium",
        "Standard",
    )
    for bad in ({"value": "Gold"}, {"id": "999999"}):
        resp = desk.call("PUT", f"issue/{issue.key}", json={"fields": {desk.tier: bad}})
        assert resp.status_code == 400 and "is not valid" in resp.json()["errors"][desk.tier]
    option = desk.jc.custom_field_option(premium)
    assert option.value == "Premium"
    missing = desk.call("GET", "customFieldOption/424242")
    assert missing.status_code == 404 and missing.json()["errorMessages"]


def test_return_issue_and_notify_users(desk: Desk) -> None:
    issue = desk.issue()
    resp = desk.call(
        "PUT", f"issue/{issue.key}", params={"returnIssue": "true", "notifyUsers": "false",
        "expand": "changelog"}, json={"fields": {"labels": ["done-by-api"]}},
    )  # fmt: skip
    assert resp.status_code == 200
    body = resp.json()
    assert body["key"] == issue.key and body["fields"]["labels"] == ["done-by-api"]
    assert body["changelog"]["histories"][-1]["items"][0]["field"] == "labels"
    quiet = desk.call("PUT", f"issue/{issue.key}", json={"fields": {"labels": []}})
    assert quiet.status_code == 204 and not quiet.content


def test_priority_and_label_changes_show_in_bulk_changelog(desk: Desk) -> None:
    issue = desk.issue(priority={"name": "Low"})
    desk.clock.advance(hours=1)
    issue.update(priority={"name": "High"})
    issue.add_field_value("labels", "escalated")
    page = desk.call(
        "POST", "changelog/bulkfetch", version="3",
        json={"issueIdsOrKeys": [issue.key], "fieldIds": ["priority", "labels"]},
    ).json()  # fmt: skip
    [log] = page["issueChangeLogs"]
    histories = log["changeHistories"]
    assert [h["items"][0]["fieldId"] for h in histories] == ["priority", "labels"]
    prio = histories[0]
    assert prio["created"].startswith("2026-01-07T10:00:00")
    assert prio["author"]["accountId"] == desk.anna
    assert {k: prio["items"][0][k] for k in ("fromString", "toString")} == {
        "fromString": "Low",
        "toString": "High",
    }


def test_editmeta_lists_what_edit_accepts(desk: Desk) -> None:
    issue = desk.issue()
    meta = desk.jc.editmeta(issue.key)["fields"]
    assert {"summary", "labels", "duedate", "priority", desk.tier, desk.regions} <= set(meta)
    assert "status" not in meta and "created" not in meta
    assert meta["labels"]["operations"] == ["add", "set", "remove"]
    assert {v["value"] for v in meta[desk.tier]["allowedValues"]} == {"Premium", "Standard"}
    for name, field in meta.items():
        if "add" in field["operations"] and name != "comment":
            resp = desk.call("PUT", f"issue/{issue.key}", json={"update": {name: [{"add": None}]}})
            assert resp.status_code == 400 and name in resp.json()["errors"], name
    refused = desk.call("PUT", f"issue/{issue.key}", json={"fields": {"status": {"id": "3"}}})
    assert refused.status_code == 400 and "status" in refused.json()["errors"]


def test_assignee_by_account_default_and_unassigned(desk: Desk) -> None:
    issue = desk.issue()
    desk.jc.assign_issue(issue.key, None)
    assert desk.jc.issue(issue.key).fields.assignee is None
    resp = desk.call("PUT", f"issue/{issue.key}/assignee", json={"accountId": desk.bob})
    assert resp.status_code == 204
    assert desk.jc.issue(issue.key).fields.assignee.accountId == desk.bob
    default = desk.call("PUT", f"issue/{issue.key}/assignee", json={"accountId": "-1"})
    assert default.status_code == 204
    assert desk.jc.issue(issue.key).fields.assignee.accountId == desk.anna  # the project lead
    desk.call("PUT", f"issue/{issue.key}/assignee", json={"accountId": None})
    assert desk.jc.issue(issue.key).fields.assignee is None
    with pytest.raises(JIRAError) as unknown:
        desk.jc._session.put(desk.url(f"issue/{issue.key}/assignee"), json={"accountId": "x1"})
    assert unknown.value.status_code == 400 and error_body(unknown.value)["errors"]
    assignees = [i for i in history_items(desk, issue.key) if i["field"] == "assignee"]
    assert [i.get("to") for i in assignees] == [desk.bob, desk.anna, None]


def test_user_searches_honour_max_results(desk: Desk) -> None:
    for n in range(4):
        desk.call("GET", "myself", auth=(f"user{n}@northwind.example", "t"))
    two = desk.call("GET", "user/search", params={"query": "northwind", "maxResults": "2"})
    assert len(two.json()) == 2
    everyone = desk.call("GET", "user/search", params={"query": "northwind"}).json()
    assert len(everyone) == 6  # anna, bob and the four above
    page = desk.call("GET", "user/search", params={"query": "northwind", "startAt": "5"}).json()
    assert page == everyone[5:]
    assignable = desk.call(
        "GET", "user/assignable/search", params={"project": "SUP", "maxResults": "3"}
    ).json()
    assert len(assignable) == 3
    assert len(desk.call("GET", "users/search", params={"maxResults": "1"}).json()) == 1
    none = desk.call("GET", "user/assignable/search", params={"query": "anna"})
    assert none.status_code == 400
