"""`sla enforce` against the sandbox: each action does what it says, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.oncall.who import who
from opskit.sandbox import Sandbox
from opskit.sla.enforce import Kind, Status
from opskit.sla.enforce.record import PROPERTY
from opskit.sla.model import Metric, State
from tests.sla.enforce_helpers import NOW, Site, clock, make_site, ticket, writes
from tests.sla.site import admin

FIRST = Metric.FIRST_RESPONSE


@pytest.fixture
def site(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Site:
    return make_site(sandbox, monkeypatch, tmp_path / "cache")


def on_call_emails(site: Site, service: str) -> list[str]:
    answer = who(site.policy, int(NOW.timestamp()), service=service)
    first = next(p for p in answer["ladders"][0]["pages"] if p["step"] == 1)
    return [site.policy.people[name].email for name in first["people"]]


def account_of(site: Site, email: str) -> str:
    jira = site.jira()
    users = jira.call("GET", "/user/search", params={"query": email})
    return str(next(u["accountId"] for u in users if u["emailAddress"] == email))


def test_breached_premium_ticket_gets_every_action(site: Site) -> None:
    key = site.new_ticket()
    found = site.enforce([ticket(key, clock(FIRST, State.BREACHED))])

    assert [a.kind for a in found.actions()] == list(Kind)
    assert {a.status for a in found.actions()} == {Status.DONE}
    issue = site.issue(key)["fields"]
    assert "sla-breached" in issue["labels"]
    assert issue["priority"]["name"] == "High"  # P3 -> P2, one level
    comments = site.comments(key)
    assert len(comments) == 2
    note, notify = comments
    assert f"the first response of {key} (Premium P3) was due 2026-12-01 15:45 UTC" in note["body"]
    assert "{" not in note["body"].split("{color")[0]  # every placeholder filled
    assert note["jsdPublic"] is False and notify["jsdPublic"] is False
    expected = on_call_emails(site, "storage-api")
    assert expected
    for email in expected:
        assert f"[~accountid:{account_of(site, email)}]" in notify["body"]
    [incident] = site.incidents()
    assert incident["incident_key"] == f"opskit-sla/{key}/first_response"
    assert incident["service"]["summary"] == "storage-api"
    stored = site.jira().call("GET", f"/issue/{key}/properties/{PROPERTY}")["value"]
    entry = stored["metrics"]["first_response"]
    assert entry["raised"] == {"from": "P3", "to": "P2", "applied": True}
    assert entry["paged"] == ["breached"]


def test_a_second_run_writes_nothing(site: Site) -> None:
    key = site.new_ticket()
    tickets = [ticket(key, clock(FIRST, State.BREACHED), clock(Metric.RESOLUTION, State.AT_RISK))]
    site.enforce(tickets)
    mark = len(site.sandbox.log.snapshot())
    again = site.enforce(tickets)
    assert writes(site.sandbox, mark) == []
    assert {a.status for a in again.actions()} == {Status.ALREADY}
    assert len(site.incidents()) == 1


def test_dry_run_writes_nothing_and_lists_the_plan(site: Site) -> None:
    key = site.new_ticket()
    mark = len(site.sandbox.log.snapshot())
    found = site.enforce([ticket(key, clock(FIRST, State.BREACHED))], dry_run=True)
    assert writes(site.sandbox, mark) == []
    assert {a.status for a in found.actions()} == {Status.PENDING}
    assert site.comments(key) == [] and site.incidents() == []
    assert site.issue(key)["fields"]["priority"]["name"] == "Medium"


def test_a_service_without_events_integration_is_a_warning(site: Site) -> None:
    key = site.new_ticket(components=["Backup"], organization="Pinecrest Accounting & Tax")
    found = site.enforce([ticket(key, clock(FIRST, State.BREACHED), tier="Business",
                                 service="backup", customer="pinecrest-accounting")])  # fmt: skip
    assert Kind.PAGE not in [a.kind for a in found.actions()]
    assert {a.status for a in found.actions()} == {Status.DONE}
    [warning] = found.warnings()
    assert "'backup' has no Events API v2 integration" in warning
    assert site.incidents() == []
    assert "sla-breached" in site.issue(key)["fields"]["labels"]


def test_two_metrics_raise_one_level_each_and_never_past_the_top(site: Site) -> None:
    key = site.new_ticket()
    both = ticket(key, clock(FIRST, State.BREACHED), clock(Metric.RESOLUTION, State.BREACHED))
    site.enforce([both])
    assert site.issue(key)["fields"]["priority"]["name"] == "Highest"  # P3 -> P2 -> P1
    third = ticket(key, clock(Metric.NEXT_UPDATE, State.BREACHED), priority="P1")
    found = site.enforce([third])
    [raised] = [a for a in found.actions() if a.kind is Kind.RAISE_PRIORITY]
    assert raised.status is Status.ALREADY and "top" in raised.what
    assert site.issue(key)["fields"]["priority"]["name"] == "Highest"


def test_a_priority_named_as_the_policy_names_it_is_raised_as_the_clocks_read_it(
    site: Site,
) -> None:
    # The demo desk's tickets carry Jira priorities named P1-P4, not the jira_names: the
    # clocks measure them as those Priorities, so enforcement raises them from there too.
    made = admin(site.sandbox, "POST", "/rest/api/2/priority",
                 {"name": "P3", "statusColor": "#f79232", "description": "Moderate"})  # fmt: skip
    assert made.status_code == 201, made.text
    key = site.new_ticket(priority="P3")
    found = site.enforce([ticket(key, clock(FIRST, State.BREACHED))])
    [raised] = [a for a in found.actions() if a.kind is Kind.RAISE_PRIORITY]
    assert raised.status is Status.DONE and raised.what == "priority P3 -> P2"
    assert site.issue(key)["fields"]["priority"]["name"] == "High"
