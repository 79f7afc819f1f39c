"""The seeded year of resolved tickets for capacity planning (``POST /_sandbox/jira/seed-year``)
read back as capacity planning reads it, through ``POST /rest/api/3/search/jql``: the window,
the volume and tier shares, the priority mix, work time, the weekly and yearly shape of
arrivals on each customer's local clock, and ``timespent`` on issues; contract-checked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from flask import Flask

from opskit.sandbox import Sandbox
from opskit.sandbox.app import create_app
from opskit.sandbox.jira.workflow import ORGANIZATIONS_FIELD
from opskit.sandbox.seed_data import CUSTOMERS
from opskit.sandbox.seed_year import year_tickets
from opskit.sandbox.seed_year_load import YearError, load_year

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
ANCHOR = NOW.replace(minute=0)  # the demo seed's anchor
AUTH = ("anna@northwind.example", "sandbox-token")
FIELDS = ["created", "priority", "components", "labels", "timespent", "reporter",
          ORGANIZATIONS_FIELD, "status", "resolutiondate", "aggregatetimespent"]  # fmt: skip
# Each customer's clock, from the city in its description (policies/customers.yaml).
ZONES = {
    "Brightleaf Legal LLP": "Europe/London",  # London and Manchester
    "Harbor Dental Group": "America/New_York",  # New Jersey and New York
    "Kestrel Architekten GmbH": "Europe/Berlin",  # Berlin and Hamburg
    "Pinecrest Accounting & Tax": "America/New_York",  # Boston
    "Bluefin Marketing Ltd": "Europe/London",  # Bristol
    "Alder & Sage Bakeries": "Europe/Berlin",  # Munich
    "Café Mélange": "Europe/Vienna",
    "Tidewater Books": "America/New_York",  # Portland, Maine
}
TIER = {org: tier for org, tier, _ in CUSTOMERS}
CONTACTS = {org: set(emails) for org, _, emails in CUSTOMERS}


class Clock:
    now = NOW

    def __call__(self) -> datetime:
        return self.now


def post(sb: Sandbox, path: str, body: Any = None) -> requests.Response:
    return requests.post(f"{sb.url}{path}", json=body, auth=AUTH, verify=str(sb.ca_path),
                         timeout=120)  # fmt: skip


def get(sb: Sandbox, path: str, **params: str) -> Any:
    answer = requests.get(f"{sb.url}{path}", params=params, auth=AUTH, verify=str(sb.ca_path),
                          timeout=30)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()


def search(sb: Sandbox, jql: str, fields: list[str] = FIELDS) -> list[dict[str, Any]]:
    """Every issue the query finds, 100 a page as a field search is capped."""
    issues: list[dict[str, Any]] = []
    body: dict[str, Any] = {"jql": jql, "fields": fields, "maxResults": 100}
    while True:
        page = post(sb, "/rest/api/3/search/jql", body)
        assert page.status_code == 200, page.text
        issues += page.json()["issues"]
        if page.json()["isLast"]:
            return issues
        body["nextPageToken"] = page.json()["nextPageToken"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, Clock, Any]]:
    clock = Clock()
    with Sandbox(db=tmp_path_factory.mktemp("year") / "sb.db", seed="demo", clock=clock) as sb:
        first, again = post(sb, "/_sandbox/jira/seed-year"), post(sb, "/_sandbox/jira/seed-year")
        yield sb, clock, (first.status_code, first.json(), again.status_code, again.json())


@pytest.fixture(scope="module")
def year(site: tuple[Sandbox, Clock, Any]) -> list[dict[str, Any]]:
    """The year's issues read back (``labels = seed-year``), oldest key first."""
    jql = 'project = SUP AND created >= "2025-12-01 00:00" AND created < "2026-12-01 00:00"'
    found = search(site[0], jql)
    return sorted((i for i in found if i["fields"]["labels"] == ["seed-year"]),
                  key=lambda i: int(i["key"].split("-")[1]))  # fmt: skip


@pytest.fixture
def sb(site: tuple[Sandbox, Clock, Any], watch_sandbox: Callable[[Sandbox], Sandbox]) -> Sandbox:
    return watch_sandbox(site[0])


def app_of(sb: Sandbox) -> Flask:
    """An app on the running sandbox's state, for the Python-level calls."""
    assert sb.state is not None
    return create_app(sb.state)


def org(issue: dict[str, Any]) -> str:
    name: str = issue["fields"][ORGANIZATIONS_FIELD][0]["name"]
    return name


def local(issue: dict[str, Any]) -> datetime:
    created = datetime.fromisoformat(issue["fields"]["created"])
    return created.astimezone(ZoneInfo(ZONES[org(issue)]))


def test_the_year_loads_once_and_reads_back_as_generated(
    site: tuple[Sandbox, Clock, Any], year: list[dict[str, Any]]
) -> None:
    status, first, again_status, again = site[2]
    made = year_tickets(ANCHOR)
    assert (status, first, again_status, again) == (200, {"loaded": len(made)}, 200, {"loaded": 0})
    assert made == year_tickets(ANCHOR)  # deterministic
    with app_of(site[0]).app_context():
        assert load_year(site[0].store) == 0  # the Python-level call is as idempotent
    assert [(i["fields"]["created"][:19], i["fields"]["timespent"]) for i in year] == [
        (datetime.fromisoformat(t["created"]).strftime("%Y-%m-%dT%H:%M:%S"), t["time_spent"])
        for t in made
    ]


def test_without_the_demo_seed_nothing_loads(sandbox: Sandbox) -> None:
    answer = post(sandbox, "/_sandbox/jira/seed-year")
    assert answer.status_code == 409 and "demo seed" in answer.json()["error"]
    with app_of(sandbox).app_context(), pytest.raises(YearError):
        load_year(sandbox.store)
    assert sandbox.store.count("jira.issue") == 0


def test_every_ticket_is_in_the_window_resolved_and_well_formed(
    year: list[dict[str, Any]],
) -> None:
    for issue in year:
        f = issue["fields"]
        created = datetime.fromisoformat(f["created"])
        assert ANCHOR - timedelta(days=364) <= created < ANCHOR - timedelta(days=1)
        assert f["status"]["name"] == "Resolved"
        assert created < datetime.fromisoformat(f["resolutiondate"]) < ANCHOR
        assert f["reporter"]["emailAddress"] in CONTACTS[org(issue)]
        assert len(f["components"]) == 1
        assert 60 <= f["timespent"] == f["aggregatetimespent"] <= 8 * 3600


def test_volume_tiers_priorities_and_work_time(year: list[dict[str, Any]]) -> None:
    assert 4000 <= len(year) <= 5000
    tiers = Counter(TIER[org(i)] for i in year)
    assert 0.30 <= tiers["Standard"] / len(year) <= 0.40
    prios = Counter(i["fields"]["priority"]["name"] for i in year)
    for name, share, slack in (("P1", 0.02, 0.01), ("P2", 0.10, 0.025), ("P3", 0.48, 0.04),
                               ("P4", 0.40, 0.04)):  # fmt: skip
        assert abs(prios[name] / len(year) - share) <= slack, (name, prios)
        minutes = mean(i["fields"]["timespent"] / 60 for i in year
                       if i["fields"]["priority"]["name"] == name)  # fmt: skip
        expected = {"P1": 60, "P2": 40, "P3": 25, "P4": 15}[name]
        assert 0.75 * expected <= minutes <= 1.25 * expected, (name, minutes)


def test_arrivals_follow_the_working_week_on_local_clocks(year: list[dict[str, Any]]) -> None:
    # Every hour of the week occurs 51 or 52 times in the year: counts stand for rates.
    slots = Counter((t.weekday(), t.hour) for t in map(local, year))
    working = mean(slots[d, h] for d in range(5) for h in range(8, 18))
    assert mean(slots[0, h] for h in (9, 10)) > 1.3 * working  # Monday morning
    assert max(slots, key=lambda s: slots[s])[0] == 0  # the week's busiest hour: a Monday
    assert mean(slots[4, h] for h in range(13, 18)) < 0.85 * working  # Friday afternoon
    assert mean(slots[d, 12] for d in range(5)) < 0.8 * mean(
        slots[d, h] for d in range(5) for h in (10, 14)
    )  # lunch
    assert mean(slots[d, h] for d in range(7) for h in range(6)) < 0.2 * working  # night
    assert mean(slots[d, h] for d in (5, 6) for h in range(8, 18)) < 0.3 * working  # weekend

    def night_share(tiers: set[str]) -> float:
        mine = [local(i) for i in year if TIER[org(i)] in tiers]
        return sum(1 for t in mine if t.hour < 6 or t.hour >= 22) / len(mine)

    assert 0 < night_share({"Standard"}) < 0.6 * night_share({"Premium", "Business"})  # 24x7


def test_arrivals_follow_the_year(year: list[dict[str, Any]]) -> None:
    days = Counter(local(i).date() for i in year)

    def per_day(pick: Callable[[Any], bool], rows: Counter[Any] = days) -> float:
        chosen = [d for d in {ANCHOR.date() - timedelta(days=n) for n in range(2, 364)} if pick(d)]
        return sum(rows[d] for d in chosen) / len(chosen)

    usual = per_day(lambda d: d.month not in (8, 12))
    assert per_day(lambda d: d.month == 8) < 0.85 * usual  # August
    assert per_day(lambda d: d.month == 12 and d.day >= 18) < 0.7 * per_day(
        lambda d: d.month == 12 and d.day < 18
    )  # the last two weeks of December
    tax = Counter(local(i).date() for i in year if org(i) == "Pinecrest Accounting & Tax")
    season = per_day(lambda d: d.month in (2, 3, 4), tax)
    assert season > 1.6 * per_day(lambda d: d.month not in (2, 3, 4, 8, 12), tax)


def test_timespent_on_issues_and_in_the_field_list(sb: Sandbox, year: list[dict[str, Any]]) -> None:
    key, spent = year[0]["key"], year[0]["fields"]["timespent"]
    for fields, version in (("timespent,aggregatetimespent", 3), ("*all", 3), ("*navigable", 2)):
        got = get(sb, f"/rest/api/{version}/issue/{key}", fields=fields)["fields"]
        assert (got["timespent"], got["aggregatetimespent"]) == (spent, spent)
    demo = get(sb, "/rest/api/3/issue/SUP-1")["fields"]  # the demo seed logs no work
    assert demo["timespent"] is None and demo["aggregatetimespent"] is None
    listed = get(sb, "/rest/api/3/field")
    spent_field = next(f for f in listed if f["id"] == "timespent")
    assert spent_field["schema"] == {"type": "number", "system": "timespent"}


LOGGED = {
    "project": "SUP",
    "summary": "Logged",
    "priority": "P3",
    "labels": ["logged"],
    "reporter": "theo@cafe-melange.example",
    "created": "2026-11-02T09:00:00+00:00",
}


@pytest.mark.parametrize("bad", ["1h", -1, 1.5, True, 10 * 365 * 86400 + 1, [60]])
def test_the_loader_refuses_a_bad_time_spent(sb: Sandbox, bad: Any) -> None:
    before = sb.store.count("jira.issue")
    answer = post(sb, "/_sandbox/jira/tickets", {"tickets": [LOGGED, LOGGED | {"time_spent": bad}]})
    assert answer.status_code == 400 and "tickets[1].time_spent" in answer.json()["error"]
    assert sb.store.count("jira.issue") == before


def test_the_loader_keeps_time_spent(sb: Sandbox) -> None:
    spent = [0, 10 * 365 * 86400, None]  # none logged, ten years, and no time_spent at all
    tickets = [LOGGED | {"time_spent": s} for s in spent[:2]] + [LOGGED]
    answer = post(sb, "/_sandbox/jira/tickets", {"tickets": tickets})
    assert answer.status_code == 201, answer.text
    for key, want in zip(answer.json()["keys"], spent, strict=True):
        got = get(sb, f"/rest/api/3/issue/{key}", fields="timespent,aggregatetimespent")
        assert got["fields"] == {"timespent": want, "aggregatetimespent": want}


def load(sb: Sandbox, label: str, *hours_ago: int) -> list[str]:
    tickets = [{"project": "SUP", "summary": f"{label} {h}", "priority": "P4", "labels": [label],
                "reporter": "colin@tidewaterbooks.example",
                "created": (NOW - timedelta(hours=h)).isoformat()} for h in hours_ago]  # fmt: skip
    answer = post(sb, "/_sandbox/jira/tickets", {"tickets": tickets})
    assert answer.status_code == 201, answer.text
    keys: list[str] = answer.json()["keys"]
    return keys


def page(sb: Sandbox, jql: str, size: int, token: str | None = None) -> tuple[list[str], Any]:
    """One page's keys and the next page's token."""
    body = {"jql": jql, "fields": ["summary"], "maxResults": size}
    body |= {"nextPageToken": token} if token else {}
    answer = post(sb, "/rest/api/3/search/jql", body).json()
    return [i["key"] for i in answer["issues"]], answer.get("nextPageToken")


def test_paging_a_long_search_reads_the_issues_once(
    sb: Sandbox, year: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = sb.store.all

    def counted(kind: str) -> list[dict[str, Any]]:
        reads.append(kind)
        return real(kind)

    monkeypatch.setattr(sb.store, "all", counted)
    found = search(sb, "project = SUP ORDER BY created ASC", ["created"])
    assert len(found) >= len(year) > 4000
    assert reads.count("jira.issue") == 1  # not once for each of the 40-odd pages
    assert [i["fields"]["created"] for i in found] == sorted(i["fields"]["created"] for i in found)


def test_a_write_between_pages_shows_on_the_next_page(sb: Sandbox) -> None:
    keys = load(sb, "pagewrite", 5, 4, 3, 2, 1)
    first, token = page(sb, "labels = pagewrite ORDER BY key ASC", 2)
    assert first == keys[:2]
    edit = requests.put(f"{sb.url}/rest/api/3/issue/{keys[2]}", json={"fields": {"labels": []}},
                        auth=AUTH, verify=str(sb.ca_path), timeout=30)  # fmt: skip
    assert edit.status_code == 204
    assert page(sb, "labels = pagewrite ORDER BY key ASC", 2, token)[0] == keys[3:5]


def test_a_relative_date_is_evaluated_at_each_page(site: tuple[Sandbox, Clock, Any]) -> None:
    sb, clock, _ = site
    old, middle, young = load(sb, "pageclock", 47, 40, 30)
    jql = "labels = pageclock AND created >= -2d ORDER BY created ASC"
    first, token = page(sb, jql, 1)
    assert first == [old]
    clock.now = NOW + timedelta(hours=2)  # the oldest drops out of the last two days
    try:
        assert page(sb, jql, 1, token)[0] == [young]
        assert page(sb, jql, 5)[0] == [middle, young]
    finally:
        clock.now = NOW
