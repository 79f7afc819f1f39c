"""The demo seed through the real clients, and bad input answered like the real services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx2
import pytest

from opskit.sandbox import Sandbox
from opskit.sandbox.seed_data import CUSTOMERS, PEOPLE
from opskit.sandbox.seed_jira import DEMO_TICKETS
from opskit.sandbox.seed_tickets import DELIBERATE
from tests.sandbox.fixtures import jira_client_for, pd_client_for

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
PD = {"Authorization": "Token token=x"}


@pytest.fixture(scope="module")
def shared_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    # One seeded sandbox for the read-only demo tests; each test still has its traffic
    # contract-checked through watch_sandbox.
    with Sandbox(
        db=tmp_path_factory.mktemp("demo") / "sb.db", seed="demo", clock=lambda: NOW
    ) as sb:
        yield sb


@pytest.fixture
def demo(shared_demo: Sandbox, watch_sandbox: Callable[[Sandbox], Sandbox]) -> Sandbox:
    return watch_sandbox(shared_demo)


def test_demo_pagerduty_objects_are_hand_made(demo: Sandbox) -> None:
    pd = pd_client_for(demo)
    emails = {u["email"] for u in pd.iter_all("users")}
    assert emails == {f"{p[0].lower()}@northwind.example" for p in PEOPLE}
    for kind in ("schedules", "escalation_policies", "services", "teams"):
        objects = list(pd.iter_all(kind))
        assert objects, kind
        assert all("managed-by: opskit/" not in (o.get("description") or "") for o in objects)


def test_demo_jira_tickets(demo: Sandbox) -> None:
    jc = jira_client_for(demo)
    tickets = jc.enhanced_search_issues("project = SUP", maxResults=0, fields="priority,status")
    assert len(tickets) == DEMO_TICKETS + len(DELIBERATE)
    assert {t.fields.priority.name for t in tickets} == {"P1", "P2", "P3", "P4"}
    paused = jc.enhanced_search_issues(
        'project = SUP AND status = "Waiting for customer"', maxResults=0, fields="status"
    )
    histories = jc._session.post(
        f"{demo.url}/rest/api/3/changelog/bulkfetch",
        json={"issueIdsOrKeys": [t.key for t in tickets[:50]], "fieldIds": ["status"]},
    ).json()
    pauses = [
        i
        for log in histories["issueChangeLogs"]
        for h in log["changeHistories"]
        for i in h["items"]
        if i.get("toString") == "Waiting for customer"
    ]
    assert pauses or paused
    orgs = jc._session.get(f"{demo.url}/rest/servicedeskapi/organization").json()
    assert [o["name"] for o in orgs["values"]] == [c[0] for c in CUSTOMERS]


def test_demo_seed_is_deterministic(sandbox_factory: Callable[..., Sandbox]) -> None:
    first = sandbox_factory(seed="demo", clock=lambda: NOW)
    second = sandbox_factory(seed="demo", clock=lambda: NOW)
    assert first.store.all("jira.issue") == second.store.all("jira.issue")
    assert first.store.all("pd.schedule") == second.store.all("pd.schedule")


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/schedules", b"[1, 2", 400),
        ("POST", "/schedules", b'{"schedule": "nope"}', 400),
        ("PUT", "/escalation_policies/PNOPE00", b'{"escalation_policy": {}}', 404),
        ("GET", "/schedules/PNOPE00", b"", 404),
        ("GET", "/oncalls?since=yesterday", b"", 400),
        ("GET", "/users?limit=abc", b"", 400),
        ("DELETE", "/teams/PNOPE00/users/PNOPE01", b"", 404),
        ("GET", "/no/such/route", b"", 404),
    ],
)
def test_pagerduty_bad_input(
    sandbox: Sandbox, method: str, path: str, body: bytes, status: int
) -> None:
    with httpx2.Client(verify=sandbox.client_ssl_context()) as client:
        resp = client.request(
            method,
            f"{sandbox.url}{path}",
            content=body,
            headers={**PD, "Content-Type": "application/json"},
        )
    assert resp.status_code == status
    assert set(resp.json()["error"]) == {"code", "message", "errors"}


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "shape"),
    [
        ("POST", "/rest/api/2/issue", b"{", 400, "jira"),
        (
            "POST",
            "/rest/api/2/issue",
            b'{"fields": {"project": {"key": "NOPE"}, "summary": "x"}}',
            400,  # Jira: "valid project is required"
            "jira",
        ),
        ("POST", "/rest/api/2/issue/SUP-1/transitions", b'{"transition": {"id": 1}}', 404, "jira"),
        ("GET", "/rest/api/2/search/jql?jql=project%20%3D", b"", 400, "jira"),
        ("GET", "/rest/api/2/search/jql?nextPageToken=%%%", b"", 400, "jira"),
        ("POST", "/rest/servicedeskapi/organization", b"[]", 400, "jsm"),
        ("GET", "/rest/servicedeskapi/organization/999", b"", 404, "jsm"),
        (
            "POST",
            "/rest/servicedeskapi/servicedesk/1/organization",
            b'{"organizationId": []}',
            404,
            "jsm",
        ),
    ],
)
def test_jira_bad_input(
    sandbox: Sandbox, method: str, path: str, body: bytes, status: int, shape: str
) -> None:
    with httpx2.Client(verify=sandbox.client_ssl_context()) as client:
        resp = client.request(
            method,
            f"{sandbox.url}{path}",
            content=body,
            auth=("anna@northwind.example", "t"),
            headers={"Content-Type": "application/json"},
        )
    assert resp.status_code == status
    keys = {"errorMessages", "errors"} if shape == "jira" else {"errorMessage", "i18nErrorMessage"}
    assert set(resp.json()) == keys
