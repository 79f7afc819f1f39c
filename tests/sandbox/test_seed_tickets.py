"""The demo seed's deliberate tickets: placed by calendar rules, loaded with their history,
and visible through the REST and JSM APIs as an SLA engine reads them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import holidays
import pytest
import yaml

from opskit.sandbox import Sandbox
from opskit.sandbox.seed_calendar import BERLIN, NEW_YORK
from opskit.sandbox.seed_data import CUSTOMERS, SERVICE_COMPONENTS
from opskit.sandbox.seed_jira import DEMO_TICKETS
from opskit.sandbox.seed_tickets import DELIBERATE, deliberate_tickets
from tests.sandbox.fixtures import jira_client_for

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
ANCHORS = [NOW.replace(minute=0), datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
           datetime(2027, 7, 5, 23, 0, tzinfo=UTC)]  # fmt: skip
REPO = Path(__file__).resolve().parents[2]


def by_name(anchor: datetime) -> dict[str, dict[str, Any]]:
    return {
        make.__name__: t for make, t in zip(DELIBERATE, deliberate_tickets(anchor), strict=True)
    }


def times(ticket: dict[str, Any]) -> list[datetime]:
    return [datetime.fromisoformat(ticket["created"])] + [
        datetime.fromisoformat(e["at"]) for e in ticket["events"]
    ]


@pytest.mark.parametrize("anchor", ANCHORS, ids=lambda a: a.date().isoformat())
def test_calendar_rules_place_every_ticket(anchor: datetime) -> None:
    tickets = by_name(anchor)
    assert len(tickets) == len(DELIBERATE) >= 12
    for name, t in tickets.items():
        stamps = times(t)
        assert stamps == sorted(stamps) and stamps[-1] <= anchor, name
    de = holidays.country_holidays("DE", subdiv="BE", years=range(2025, 2028))
    us = holidays.country_holidays("US", years=range(2025, 2028))
    weekend = [s.astimezone(BERLIN) for s in times(tickets["weekend"])]
    assert weekend[0].weekday() == 4 and (weekend[0].hour, weekend[0].minute) == (16, 30)
    assert weekend[1].weekday() == 0
    berlin = [s.astimezone(BERLIN).date() for s in times(tickets["berlin_holiday"])]
    assert any(berlin[0] < d < berlin[1] and d.weekday() < 5 for d in de)
    assert berlin[0].weekday() == 4
    us_days = [s.astimezone(NEW_YORK).date() for s in times(tickets["us_holiday"])]
    assert any(us_days[0] < d < us_days[1] and d.weekday() < 5 for d in us)
    for name, zone in (("berlin_dst", BERLIN), ("new_york_dst", NEW_YORK)):
        offsets = {s.astimezone(zone).utcoffset() for s in times(tickets[name])}
        assert len(offsets) == 2, name  # the story spans the change of offset


def test_seeded_tickets_use_services_components_and_customers() -> None:
    services = [d for d in yaml.safe_load_all((REPO / "policies/services.yaml").read_text()) if d]
    assert [(s["name"], s["jira_component"]) for s in services] == SERVICE_COMPONENTS
    tickets = deliberate_tickets(ANCHORS[0])
    used = {c for t in tickets for c in t["components"]}
    assert used == {name for _, name in SERVICE_COMPONENTS}
    assert {t["organization"] for t in tickets} == {c[0] for c in CUSTOMERS}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(
        db=tmp_path_factory.mktemp("seed") / "sb.db", seed="demo", clock=lambda: NOW
    ) as sb:
        yield sb


@pytest.fixture
def demo(seeded: Sandbox, watch_sandbox: Callable[[Sandbox], Sandbox]) -> Sandbox:
    return watch_sandbox(seeded)


def test_deliberate_tickets_through_the_api(demo: Sandbox) -> None:
    jc = jira_client_for(demo)
    found = jc.enhanced_search_issues(
        "labels = seed-deliberate ORDER BY key", maxResults=0,
        fields="status,priority,components,resolutiondate,updated,created",
    )  # fmt: skip
    assert [i.key for i in found] == [f"SUP-{DEMO_TICKETS + n}" for n in range(1, 17)]
    names = [make.__name__ for make in DELIBERATE]
    issue = dict(zip(names, found, strict=True))
    components = {c.name for c in jc.project_components("SUP")}
    assert {name for _, name in SERVICE_COMPONENTS} <= components
    assert issue["reopened"].fields.resolutiondate is None
    assert issue["resolved_in_time"].fields.status.name == "Closed"
    open_now = jc.enhanced_search_issues(
        "labels = seed-deliberate AND statusCategory != Done ORDER BY key", maxResults=0
    )
    assert {i.key for i in open_now} == {issue[n].key for n in (
        "internal_only", "near_target", "past_target", "open_waiting", "reopened")}  # fmt: skip
    changed = jc._session.post(
        f"{demo.url}/rest/api/3/changelog/bulkfetch",
        json={"issueIdsOrKeys": [issue["priority_change"].key], "fieldIds": ["priority"]},
    ).json()
    [log] = changed["issueChangeLogs"]
    [item] = log["changeHistories"][0]["items"]
    assert (item["fromString"], item["toString"]) == ("P3", "P1")
    comments = jc.comments(issue["comment_kinds"].key)
    assert [c.raw["jsdPublic"] for c in comments] == [False, True, True]
    reporter = jc.issue(issue["comment_kinds"].key).fields.reporter.accountId
    assert comments[2].author.accountId == reporter != comments[1].author.accountId


def sla(demo: Sandbox, key: str) -> dict[str, Any]:
    jc = jira_client_for(demo)
    url = f"{demo.url}/rest/servicedeskapi/request/{key}/sla"
    values = jc._session.get(url).json()["values"]
    for metric in values:
        one = jc._session.get(metric["_links"]["self"]).json()
        assert one == metric  # the single metric is the list's
    return {m["name"]: m for m in values}


def test_sla_metrics_find_the_at_risk_and_the_late(demo: Sandbox) -> None:
    key = {make.__name__: f"SUP-{DEMO_TICKETS + n}" for n, make in enumerate(DELIBERATE, 1)}
    near = sla(demo, key["near_target"])["Time to first response"]["ongoingCycle"]
    # a P2 opened three hours before the anchor (10:00) has four hours: 30 minutes left at NOW
    assert not near["breached"] and near["remainingTime"]["millis"] == 30 * 60 * 1000
    late = sla(demo, key["resolved_late"])["Time to first response"]["completedCycles"][0]
    assert late["breached"]
    past = sla(demo, key["past_target"])["Time to resolution"]["ongoingCycle"]
    assert past["breached"]
    paused = sla(demo, key["open_waiting"])["Time to resolution"]["ongoingCycle"]
    assert paused["paused"]


def test_sla_metric_not_found_is_jsm_shaped(demo: Sandbox) -> None:
    import requests

    resp = requests.get(
        f"{demo.url}/rest/servicedeskapi/request/SUP-1/sla/9", auth=("anna@northwind.example", "t"),
        verify=str(demo.ca_path), timeout=30,
    )  # fmt: skip
    assert resp.status_code == 404 and set(resp.json()) == {"errorMessage", "i18nErrorMessage"}
