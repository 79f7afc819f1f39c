"""JQL as an SLA engine's incremental reads use it: labels, components, organisations,
status categories, dates, OR/NOT, ordering, errors, paging and expansions."""

from __future__ import annotations

from typing import Any

import pytest

from opskit.sandbox.jira.workflow import ORGANIZATIONS_FIELD
from tests.sandbox.jira_site import Desk


@pytest.fixture
def tickets(desk: Desk) -> Desk:
    """SUP-1 at 09:00 (vip, Billing, Contoso), SUP-2 at 10:00 (no labels, Storage API),
    SUP-3 at 11:00 (vip urgent) and resolved at 12:30; the clock then stands at 12:30."""
    desk.issue("One", labels=["vip"], components=[{"name": "Billing"}],
               **{ORGANIZATIONS_FIELD: [desk.org]}, priority={"name": "High"})  # fmt: skip
    desk.clock.advance(hours=1)
    desk.issue("Two", components=[{"name": "Storage API"}], priority={"name": "Low"})
    desk.clock.advance(hours=1)
    three = desk.issue("Three", labels=["vip", "urgent"], priority={"name": "Highest"})
    desk.clock.advance(minutes=90)
    desk.jc.transition_issue(three, "Resolved")
    return desk


def keys(desk: Desk, jql: str, method: str = "GET") -> list[str]:
    if method == "GET":
        resp = desk.call("GET", "search/jql", params={"jql": jql, "fields": "summary"})
    else:
        resp = desk.call("POST", "search/jql", json={"jql": jql, "fields": ["summary"]})
    assert resp.status_code == 200, resp.text
    return [i["key"] for i in resp.json()["issues"]]


@pytest.mark.parametrize(
    ("jql", "expected"),
    [
        ("labels = vip ORDER BY key", ["SUP-1", "SUP-3"]),
        ("labels in (urgent, nothing) ORDER BY key", ["SUP-3"]),
        ("labels is EMPTY", ["SUP-2"]),
        ("labels is not EMPTY ORDER BY key", ["SUP-1", "SUP-3"]),
        ("labels not in (urgent) ORDER BY key", ["SUP-1"]),  # never matches an empty field
        ("labels != urgent", ["SUP-1"]),
        ('updated >= "2026/01/07 10:30" ORDER BY key', ["SUP-3"]),
        ("updated >= -15m", ["SUP-3"]),
        ("created < -2h ORDER BY key", ["SUP-1", "SUP-2"]),
        (
            'created >= "2026-01-07 10:00" AND created <= "2026-01-07 11:00" ORDER BY key',
            ["SUP-2", "SUP-3"],
        ),
        ("statusCategory != Done ORDER BY key", ["SUP-1", "SUP-2"]),
        ("statusCategory = Done", ["SUP-3"]),
        ('component = "Storage API"', ["SUP-2"]),
        ('component in (Billing, "Storage API") ORDER BY key', ["SUP-1", "SUP-2"]),
        ("organizations = Contoso", ["SUP-1"]),
        ("priority = Highest OR labels is EMPTY ORDER BY key", ["SUP-2", "SUP-3"]),
        ("NOT (labels = vip) AND project = SUP", ["SUP-2"]),
        ("ORDER BY updated DESC", ["SUP-3", "SUP-2", "SUP-1"]),
        ("project = SUP ORDER BY priority DESC", ["SUP-3", "SUP-1", "SUP-2"]),
        ("resolution = Unresolved ORDER BY key", ["SUP-1", "SUP-2"]),
        (
            "assignee is EMPTY AND reporter = currentUser() ORDER BY key",
            ["SUP-1", "SUP-2", "SUP-3"],
        ),
        ('summary ~ "thr"', ["SUP-3"]),
        ('"Support tier" is EMPTY AND key = SUP-2', ["SUP-2"]),
    ],
)
def test_clauses(tickets: Desk, jql: str, expected: list[str]) -> None:
    assert keys(tickets, jql) == expected
    assert keys(tickets, jql, "POST") == expected


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        ("colour = red", "Field 'colour' does not exist or you do not have permission to view it."),
        ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
        ("priority = Urgentest", "The value 'Urgentest' does not exist for the field 'priority'."),
        ('status = "Done-ish"', "The value 'Done-ish' does not exist for the field 'status'."),
        ("component = Nope", "The value 'Nope' does not exist for the field 'component'."),
        ("project = SUP AND", "Error in the JQL Query:"),
        ("project SUP", "Error in the JQL Query: Expecting operator"),
        ("(project = SUP", "Error in the JQL Query:"),
        ('created > "yesterday"', "Error in the JQL Query: Date value 'yesterday'"),
        ("labels ~ vip", "Error in the JQL Query: The operator '~'"),
        ("project = SUP ORDER BY colour", "Field 'colour' does not exist"),
    ],
)
def test_errors_are_400_with_jira_messages(tickets: Desk, jql: str, message: str) -> None:
    for resp in (
        tickets.call("GET", "search/jql", params={"jql": jql}),
        tickets.call("POST", "search/jql", json={"jql": jql}),
    ):
        assert resp.status_code == 400
        body = resp.json()
        assert body["errors"] == {} and body["errorMessages"][0].startswith(message), body


def test_paging_fields_and_expansions(tickets: Desk) -> None:
    seen: list[str] = []
    token: Any = None
    while True:
        body: dict[str, Any] = {"jql": "project = SUP ORDER BY key", "maxResults": 2,
                                "fields": ["labels"], "expand": "changelog,names,renderedFields"}  # fmt: skip
        if token:
            body["nextPageToken"] = token
        page = tickets.call("POST", "search/jql", json=body).json()
        for issue in page["issues"]:
            assert set(issue["fields"]) == {"labels"}
            assert "histories" in issue["changelog"] and "labels" in issue["renderedFields"]
            seen.append(issue["key"])
        assert page["names"] == {"labels": "Labels"}
        token = page.get("nextPageToken")
        if page["isLast"]:
            break
    assert seen == ["SUP-1", "SUP-2", "SUP-3"]
    resolved = tickets.jc.enhanced_search_issues(
        "statusCategory = Done", expand="changelog", maxResults=0
    )
    [three] = resolved
    items = [i.toString for h in three.changelog.histories for i in h.items]
    assert items == ["Resolved", "Done"]
