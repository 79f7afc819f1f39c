"""Issues, search, changelogs and JSM through the official ``jira`` client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from jira import JIRA, JIRAError

from opskit.sandbox import Sandbox
from tests.sandbox.fixtures import error_body, jira_client_for
from tests.sandbox.jira_site import DeskClock as Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sb(sandbox_factory: Callable[..., Sandbox], clock: Clock) -> Sandbox:
    return sandbox_factory(clock=clock)


@pytest.fixture
def jc(sb: Sandbox) -> JIRA:
    client = jira_client_for(sb)
    client._session.post(
        client._get_url("project"),
        json={"key": "SUP", "name": "Support", "projectTypeKey": "service_desk"},
    )
    return client


def new_issue(jc: JIRA, summary: str, **fields: Any) -> Any:
    return jc.create_issue(
        fields={
            "project": {"key": "SUP"},
            "summary": summary,
            "issuetype": {"name": "Service Request"},
            **fields,
        }
    )


def test_create_comment_transition(jc: JIRA, clock: Clock) -> None:
    issue = new_issue(jc, "Cannot log in", priority={"name": "High"})
    assert issue.key == "SUP-1" and issue.fields.status.name == "Open"
    jc.add_comment(issue, "Looking into it")
    names = {t["name"] for t in jc.transitions(issue)}
    assert "Waiting for customer" in names and "Open" not in names
    clock.advance(hours=1)
    jc.transition_issue(issue, "Resolved")
    got = jc.issue("SUP-1", expand="changelog")
    assert got.fields.status.name == "Resolved"
    assert got.fields.resolution is not None and got.fields.resolution.name == "Done"
    assert [c.body for c in jc.comments(got)] == ["Looking into it"]
    status_changes = [i for h in got.changelog.histories for i in h.items if i.field == "status"]
    assert [(i.fromString, i.toString) for i in status_changes] == [("Open", "Resolved")]


def test_edit_through_self_link_records_history(jc: JIRA) -> None:
    issue = new_issue(jc, "Typo")
    issue.update(summary="Typo on invoice", priority={"name": "Low"})
    again = jc.issue(issue.key)
    assert again.fields.summary == "Typo on invoice" and again.fields.priority.name == "Low"
    log = jc._session.get(jc._get_url(f"issue/{issue.key}/changelog")).json()
    assert log["total"] == 1 and log["isLast"] is True
    assert {i["field"] for i in log["values"][0]["items"]} == {"summary", "priority"}


def test_create_errors_name_the_field(jc: JIRA) -> None:
    with pytest.raises(JIRAError) as err:
        jc.create_issue(
            fields={"project": {"key": "SUP"}, "summary": "", "issuetype": {"name": "Task"}}
        )
    assert err.value.status_code == 400
    assert "summary" in error_body(err.value)["errors"]
    with pytest.raises(JIRAError) as unknown:
        jc.issue("SUP-999")
    assert unknown.value.status_code == 404


def test_search_pages_by_token_with_no_total(jc: JIRA, clock: Clock) -> None:
    for n in range(7):
        clock.advance(minutes=10)
        new_issue(jc, f"Ticket {n}", priority={"name": "High" if n % 2 else "Low"})
    params = {"jql": "project = SUP ORDER BY created ASC", "maxResults": "3", "fields": "summary"}
    page = jc._session.get(jc._get_url("search/jql"), params=params).json()
    assert "total" not in page and page["isLast"] is False
    assert [i["fields"]["summary"] for i in page["issues"]] == ["Ticket 0", "Ticket 1", "Ticket 2"]
    everything = jc.enhanced_search_issues("project = SUP AND priority = High", maxResults=0)
    assert sorted(i.fields.summary for i in everything) == ["Ticket 1", "Ticket 3", "Ticket 5"]
    recent = jc.enhanced_search_issues(
        'created >= "2026-01-07 09:45" AND key in (SUP-1, SUP-6, SUP-7) ORDER BY key DESC',
        maxResults=0,
    )
    assert [i.key for i in recent] == ["SUP-7", "SUP-6"]


def test_old_search_is_gone_and_bad_jql_is_a_400(jc: JIRA) -> None:
    with pytest.raises(JIRAError) as gone:
        jc._session.get(jc._get_url("search"), params={"jql": "project = SUP"})
    assert gone.value.status_code == 410
    with pytest.raises(JIRAError) as bad:
        jc.enhanced_search_issues("colour = red")
    assert bad.value.status_code == 400
    assert error_body(bad.value)["errorMessages"] == [
        "Field 'colour' does not exist or you do not have permission to view it."
    ]
    with pytest.raises(JIRAError) as syntax:
        jc.enhanced_search_issues("project = SUP AND")
    assert error_body(syntax.value)["errorMessages"][0].startswith("Error in the JQL Query")


def test_bulk_changelog_fetch_pages(jc: JIRA, sb: Sandbox) -> None:
    first, second = new_issue(jc, "One"), new_issue(jc, "Two")
    for target in ("In Progress", "Waiting for customer", "Resolved"):
        jc.transition_issue(first, target)
    jc.transition_issue(second, "Closed")
    url = f"{sb.url}/rest/api/3/changelog/bulkfetch"
    page = jc._session.post(
        url, json={"issueIdsOrKeys": ["SUP-1", "SUP-2"], "maxResults": 3}
    ).json()
    assert sum(len(x["changeHistories"]) for x in page["issueChangeLogs"]) == 3
    rest = jc._session.post(
        url, json={"issueIdsOrKeys": ["SUP-1", "SUP-2"], "nextPageToken": page["nextPageToken"]}
    ).json()
    assert "nextPageToken" not in rest
    assert rest["issueChangeLogs"][0]["issueId"] == second.id


def test_request_sla_pauses_while_waiting_for_customer(jc: JIRA, sb: Sandbox, clock: Clock) -> None:
    issue = new_issue(jc, "Outage", priority={"name": "Highest"})
    clock.advance(minutes=30)
    jc.transition_issue(issue, "Waiting for customer")
    clock.advance(hours=5)
    jc.transition_issue(issue, "In Progress")
    clock.advance(minutes=30)
    sla = jc._session.get(f"{sb.url}/rest/servicedeskapi/request/SUP-1/sla").json()
    resolution = next(m for m in sla["values"] if m["name"] == "Time to resolution")
    # one hour on the clock: five hours waiting for the customer do not count
    assert resolution["ongoingCycle"]["elapsedTime"]["millis"] == 3_600_000
    assert resolution["ongoingCycle"]["paused"] is False


def test_jsm_organisations_members_properties_and_desks(jc: JIRA, sb: Sandbox) -> None:
    base = f"{sb.url}/rest/servicedeskapi"
    headers = {"X-ExperimentalApi": "opt-in"}
    org = jc._session.post(f"{base}/organization", json={"name": "Contoso"}, headers=headers).json()
    me = jc.myself()
    jc._session.post(
        f"{base}/organization/{org['id']}/user",
        json={"accountIds": [me["accountId"]]},
        headers=headers,
    )
    users = jc._session.get(f"{base}/organization/{org['id']}/user").json()
    assert [u["accountId"] for u in users["values"]] == [me["accountId"]]
    jc._session.put(
        f"{base}/organization/{org['id']}/property/opskit", json={"tier": "gold"}, headers=headers
    )
    prop = jc._session.get(f"{base}/organization/{org['id']}/property/opskit").json()
    assert prop["value"] == {"tier": "gold"}
    assert jc.supports_service_desk()
    assert [d.id for d in jc.service_desks()] == ["1"]
    desks = jc._session.get(f"{base}/servicedesk").json()
    desk = desks["values"][0]
    assert desk["projectKey"] == "SUP" and desks["isLastPage"] is True
    jc._session.post(
        f"{base}/servicedesk/{desk['id']}/organization",
        json={"organizationId": int(org["id"])},
        headers=headers,
    )
    linked = jc._session.get(f"{base}/servicedesk/{desk['id']}/organization").json()
    assert [o["name"] for o in linked["values"]] == ["Contoso"]
    with pytest.raises(JIRAError) as dup:
        jc._session.post(f"{base}/organization", json={"name": "contoso"}, headers=headers)
    assert dup.value.status_code == 400
    assert set(error_body(dup.value)) == {"errorMessage", "i18nErrorMessage"}
    jc._session.delete(f"{base}/organization/{org['id']}", headers=headers)
    assert jc._session.get(f"{base}/organization").json()["values"] == []
