"""PagerDuty incident history for availability: ``resolved_at``, ``GET /incidents``'s date
range (and its one-month default), filters, sorting and paging, the backdated loader
(``POST /_sandbox/pagerduty/incidents``) and the demo seed's history, contract-checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from pagerduty import RestApiV2Client

from opskit.sandbox import Sandbox
from opskit.sandbox.seed_incidents import HISTORY
from tests.sandbox.fixtures import events_client_for, pd_client_for
from tests.sandbox.jira_site import DeskClock

NOW = datetime(2026, 1, 7, 9, 0, tzinfo=UTC)  # DeskClock's start


@dataclass
class Account:
    sb: Sandbox
    pd: RestApiV2Client
    clock: DeskClock
    storage: str  # service ids
    identity: str

    def load(self, incidents: Any) -> requests.Response:
        return requests.post(
            f"{self.sb.url}/_sandbox/pagerduty/incidents", json={"incidents": incidents},
            verify=str(self.sb.ca_path), timeout=30,
        )  # fmt: skip

    def listed(self, **params: Any) -> list[dict[str, Any]]:
        return list(self.pd.iter_all("incidents", params=params))

    def titles(self, **params: Any) -> list[str]:
        return [i["title"] for i in self.listed(**params)]


def service(pd: RestApiV2Client, name: str, ep: str) -> str:
    body = {"service": {"type": "service", "name": name,
                        "escalation_policy": {"id": ep, "type": "escalation_policy_reference"}}}  # fmt: skip
    return str(pd.rpost("services", json=body)["id"])


def prepare(sb: Sandbox) -> tuple[RestApiV2Client, str]:
    pd = pd_client_for(sb)
    user = pd.rpost("users", json={"user": {"type": "user", "name": "Ann",
                                            "email": "anna@northwind.example"}})  # fmt: skip
    ep = pd.rpost("escalation_policies", json={"escalation_policy": {
        "type": "escalation_policy", "name": "Storage",
        "escalation_rules": [{"escalation_delay_in_minutes": 30,
                              "targets": [{"id": user["id"], "type": "user_reference"}]}],
    }})  # fmt: skip
    return pd, str(ep["id"])


@pytest.fixture
def account(sandbox_factory: Callable[..., Sandbox]) -> Account:
    clock = DeskClock()
    sb = sandbox_factory(clock=clock)
    pd, ep = prepare(sb)
    return Account(sb, pd, clock, service(pd, "storage-api", ep), service(pd, "identity", ep))


def ago(**kw: float) -> str:
    return (NOW - timedelta(**kw)).isoformat()


def history(account: Account) -> list[str]:
    """Five incidents: four in the last month (one still open), one 40 days back."""
    resp = account.load([
        {"service": "storage-api", "title": "A", "created": ago(days=40), "resolved": ago(days=39)},
        {"service": "identity", "title": "B", "urgency": "low", "created": ago(days=20),
         "resolved": ago(days=19, hours=20)},
        {"service": account.storage, "title": "C", "created": ago(days=10),
         "resolved": ago(days=9, hours=23)},
        {"service": "identity", "title": "D", "created": ago(days=5), "resolved": None},
        {"service": "storage-api", "title": "E", "urgency": "low", "created": ago(days=1)},
    ])  # fmt: skip
    assert resp.status_code == 201, resp.text
    ids: list[str] = resp.json()["ids"]
    return ids


def test_resolving_stamps_resolved_at_and_status_changes(account: Account) -> None:
    pd, clock = account.pd, account.clock
    body = {"incident": {"type": "incident", "title": "Disk full",
                         "service": {"id": account.storage, "type": "service_reference"}}}  # fmt: skip
    made = pd.rpost("incidents", json=body)
    assert made["resolved_at"] is None and made["last_status_change_at"] == made["created_at"]
    clock.advance(minutes=10)
    acked = pd.rput(f"incidents/{made['id']}", json={"incident": {"type": "incident_reference",
                                                                   "status": "acknowledged"}})  # fmt: skip
    assert acked["resolved_at"] is None
    assert acked["last_status_change_at"] == (NOW + timedelta(minutes=10)).isoformat()
    clock.advance(minutes=20)
    done = pd.rput(f"incidents/{made['id']}", json={"incident": {"type": "incident_reference",
                                                                  "status": "resolved"}})  # fmt: skip
    stamp = (NOW + timedelta(minutes=30)).isoformat()
    assert done["resolved_at"] == done["last_status_change_at"] == done["updated_at"] == stamp
    clock.advance(minutes=5)
    reopen = pd.put(f"/incidents/{made['id']}", json={"incident": {"type": "incident_reference",
                                                                    "status": "triggered"}})  # fmt: skip
    assert reopen.status_code == 400
    assert reopen.json()["error"]["errors"] == ["Incident Already Resolved"]
    assert pd.rget(f"incidents/{made['id']}")["resolved_at"] == stamp


def test_events_api_resolve_stamps_resolved_at(account: Account) -> None:
    integration = account.pd.rpost(
        f"services/{account.identity}/integrations",
        json={"integration": {"type": "events_api_v2_inbound_integration", "name": "Events"}},
    )
    events = events_client_for(account.sb, integration["integration_key"])
    dedup = events.trigger("SSO down", "idp-1", severity="critical")
    account.clock.advance(minutes=42)
    events.resolve(dedup)
    [incident] = account.listed(incident_key=dedup)
    assert incident["status"] == "resolved"
    assert incident["resolved_at"] == (NOW + timedelta(minutes=42)).isoformat()


def test_loaded_history_reads_back_through_the_api(account: Account) -> None:
    ids = history(account)
    first = account.pd.rget(f"incidents/{ids[0]}")
    assert (first["title"], first["status"], first["urgency"]) == ("A", "resolved", "high")
    assert first["service"]["id"] == account.storage and first["incident_number"] == 1
    assert first["created_at"] == ago(days=40) and first["resolved_at"] == ago(days=39)
    assert first["updated_at"] == first["last_status_change_at"] == ago(days=39)
    still_open = account.pd.rget(f"incidents/{ids[3]}")
    assert still_open["status"] == "triggered" and still_open["resolved_at"] is None
    assert still_open["last_status_change_at"] == still_open["created_at"] == ago(days=5)


def test_default_window_is_the_last_month_and_date_range_all_lifts_it(account: Account) -> None:
    history(account)
    assert account.titles() == ["B", "C", "D", "E"]  # A opened 40 days ago
    assert account.titles(date_range="all") == ["A", "B", "C", "D", "E"]
    assert account.titles(since=ago(days=45), until=ago(days=15)) == ["A", "B"]
    assert account.titles(since=ago(days=45)) == ["A", "B", "C", "D", "E"]  # until now
    assert account.titles(until=ago(days=8)) == ["B", "C"]  # since a month before until
    assert account.titles(since=ago(days=10), until=ago(days=5)) == ["C"]  # until excluded
    naive = (NOW - timedelta(days=10, hours=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    # 08:00 in New York is 13:00 UTC: past C's opening, so only what came after
    assert account.titles(since=naive, time_zone="America/New_York") == ["D", "E"]
    assert account.titles(since=naive) == ["C", "D", "E"]  # read as UTC


def test_time_zone_renders_timestamps(account: Account) -> None:
    history(account)
    [c] = [i for i in account.listed(time_zone="Asia/Singapore") if i["title"] == "C"]
    assert c["created_at"] == "2025-12-28T17:00:00+08:00"
    assert datetime.fromisoformat(c["resolved_at"]) == datetime.fromisoformat(ago(days=9, hours=23))


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"since": "2025-01-01T00:00:00Z", "until": "2025-07-02T00:00:00Z"}, 2005,
         "Invalid Query Date Range"),
        ({"since": "2025-06-01T00:00:00Z"}, 2005, "Invalid Query Date Range"),
        ({"since": "2026-01-05T00:00:00Z", "until": "2026-01-04T00:00:00Z"}, 2005,
         "Invalid Query Date Range"),
        ({"since": "yesterday"}, 2004, "Invalid 'since' or 'until' Parameter Values"),
        ({"until": "2026-13-01"}, 2004, "Invalid 'since' or 'until' Parameter Values"),
        ({"statuses[]": "open"}, 2001, "Invalid Input Provided"),
        ({"urgencies[]": "urgent"}, 2001, "Invalid Input Provided"),
        ({"sort_by": "title"}, 2001, "Invalid Input Provided"),
        ({"sort_by": "created_at:up"}, 2001, "Invalid Input Provided"),
        ({"sort_by": "created_at,urgency,incident_number"}, 2001, "Invalid Input Provided"),
        ({"time_zone": "Mars/Olympus"}, 2001, "Invalid Input Provided"),
    ],
)  # fmt: skip
def test_bad_queries_are_refused(
    account: Account, params: dict[str, str], code: int, message: str
) -> None:
    resp = account.pd.get("/incidents", params=params)
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == code and resp.json()["error"]["message"] == message


def test_six_months_is_the_widest_range(account: Account) -> None:
    history(account)
    widest = account.titles(since="2025-07-07T09:00:00Z", until="2026-01-07T09:00:00Z")
    assert widest == ["A", "B", "C", "D", "E"]


def test_filters(account: Account) -> None:
    history(account)
    every = {"date_range": "all"}
    assert account.titles(**every, **{"statuses[]": ["triggered"]}) == ["D", "E"]
    assert account.titles(**every, **{"statuses[]": ["resolved", "acknowledged"]}) == [
        "A",
        "B",
        "C",
    ]
    assert account.titles(**every, **{"service_ids[]": [account.identity]}) == ["B", "D"]
    assert account.titles(**every, **{"urgencies[]": "low"}) == ["B", "E"]
    high = account.titles(**every, **{"urgencies[]": "high", "service_ids[]": [account.storage]})
    assert high == ["A", "C"]
    assert account.titles(**every, incident_key="nope") == []


def test_sorting(account: Account) -> None:
    history(account)
    every = {"date_range": "all"}
    assert account.titles(**every, sort_by="created_at:desc") == ["E", "D", "C", "B", "A"]
    assert account.titles(**every, sort_by="created_at:asc") == ["A", "B", "C", "D", "E"]
    assert account.titles(**every, sort_by="incident_number:desc")[0] == "E"
    # still open sorts after every resolution (last ascending, first descending)
    assert account.titles(**every, sort_by="resolved_at") == ["A", "B", "C", "D", "E"]
    assert account.titles(**every, sort_by="resolved_at:desc")[:2] == ["D", "E"]
    # high before low, the newest first within each
    assert account.titles(**every, sort_by="urgency,created_at:desc") == ["D", "C", "A", "E", "B"]


def test_paging(account: Account) -> None:
    history(account)
    first = account.pd.rget("incidents", params={"date_range": "all", "limit": 2, "total": "true"})
    assert [i["title"] for i in first] == ["A", "B"]
    raw = account.pd.get("/incidents", params={"date_range": "all", "limit": 2, "offset": 4,
                                               "total": "true"}).json()  # fmt: skip
    assert [i["title"] for i in raw["incidents"]] == ["E"]
    assert (raw["more"], raw["total"], raw["offset"]) == (False, 5, 4)
    paged = list(account.pd.iter_all("incidents", params={"date_range": "all"}, page_size=2))
    assert [i["title"] for i in paged] == ["A", "B", "C", "D", "E"]


GOOD = {"service": "storage-api", "title": "ok", "created": ago(days=3)}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"service": "billing"}, "incidents[1].service: no service has the name or id 'billing'"),
        ({"title": " "}, "incidents[1].title"),
        ({"urgency": "urgent"}, "incidents[1].urgency: must be high or low"),
        ({"created": "last week"}, "incidents[1].created: 'last week' is not an ISO 8601 time"),
        ({"created": "2026-01-01T10:00:00"}, "has no UTC offset"),
        ({"created": "2027-01-01T10:00:00+00:00"}, "after the sandbox's current time"),
        ({"resolved": ago(days=4)}, "incidents[1].resolved: the incident is resolved before"),
        ({"resolved": "soon"}, "incidents[1].resolved"),
        ({"acknowledged": ago(days=2)}, "incidents[1]: unknown key 'acknowledged'"),
    ],
)
def test_refused_incidents_load_nothing(
    account: Account, change: dict[str, Any], message: str
) -> None:
    resp = account.load([GOOD, {**GOOD, **change}])
    assert resp.status_code == 400 and message in resp.json()["error"], resp.text
    assert account.listed(date_range="all") == []
    again = account.load([GOOD])
    assert again.status_code == 201
    assert account.pd.rget(f"incidents/{again.json()['ids'][0]}")["incident_number"] == 1


def test_loader_body_must_be_incidents(account: Account) -> None:
    for body in ([], {"incidents": []}, {"incidents": "x"}, {"nope": 1}, {"incidents": [7]}):
        resp = requests.post(f"{account.sb.url}/_sandbox/pagerduty/incidents", json=body,
                             verify=str(account.sb.ca_path), timeout=30)  # fmt: skip
        assert resp.status_code == 400 and resp.json()["error"]


SEED_NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def release(sb: Sandbox) -> dict[str, Any]:
    resp = requests.post(f"{sb.url}/_sandbox/pagerduty/seed-history",
                         verify=str(sb.ca_path), timeout=30)  # fmt: skip
    assert resp.status_code == 200, resp.text
    answer: dict[str, Any] = resp.json()
    return answer


def test_seed_history_waits_for_the_customer_services(
    sandbox_factory: Callable[..., Sandbox],
) -> None:
    sb = sandbox_factory(seed="demo", clock=lambda: SEED_NOW)
    pd = pd_client_for(sb)
    assert list(pd.iter_all("incidents", params={"date_range": "all"})) == []
    assert release(sb)["ids"] == []  # no customer service exists yet
    ep = next(iter(pd.iter_all("escalation_policies")))["id"]
    storage = service(pd, "storage-api", ep)
    # creating a service adds nothing: PagerDuty's endpoints stay PagerDuty's
    assert list(pd.iter_all("incidents", params={"date_range": "all"})) == []
    first = release(sb)
    assert len(first["ids"]) == 3 and "storage-api" not in first["waiting"]
    assert release(sb)["ids"] == []  # once
    found = list(pd.iter_all("incidents", params={"date_range": "all", "sort_by": "created_at"}))
    expected = sorted((r for r in HISTORY if r[1] == "storage-api"), key=lambda r: (-r[0], r[4]))
    assert [i["title"] for i in found] == [r[2] for r in expected]
    assert {i["service"]["id"] for i in found} == {storage}
    assert all(i["status"] == "resolved" for i in found)
    months = {datetime.fromisoformat(i["created_at"]).month for i in found}
    assert months == {1, 2}  # the two calendar months before March
    high_feb = [
        i for i in found if i["urgency"] == "high" and i["created_at"].startswith("2026-02")
    ]
    [outage] = high_feb
    down = datetime.fromisoformat(outage["resolved_at"]) - datetime.fromisoformat(
        outage["created_at"]
    )
    assert down == timedelta(minutes=95)
    last_month = list(pd.iter_all("incidents", params={
        "since": "2026-02-01T00:00:00Z", "until": "2026-03-01T00:00:00Z",
        "service_ids[]": [storage], "urgencies[]": "high", "sort_by": "created_at:asc"}))  # fmt: skip
    assert [i["id"] for i in last_month] == [outage["id"]]
    identity = service(pd, "identity", ep)
    release(sb)
    mine = list(pd.iter_all("incidents", params={"date_range": "all", "service_ids[]": [identity]}))
    assert [i["title"] for i in mine] == ["SAML sign-in fails for federated tenants"]
    service(pd, "web-portal", ep)
    release(sb)
    every = list(pd.iter_all("incidents", params={"date_range": "all"}))
    assert len(every) == len([r for r in HISTORY if r[1] in ("storage-api", "identity",
                                                              "web-portal")])  # fmt: skip
