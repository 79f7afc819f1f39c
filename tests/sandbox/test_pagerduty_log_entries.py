"""Incidents reach people and keep a log, as in PagerDuty: assigned to whoever the first
rule reaches, acknowledged by someone, resolved, each step a log entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pagerduty import RestApiV2Client

from opskit.sandbox import Sandbox
from tests.sandbox.fixtures import events_client_for, pd_client_for
from tests.sandbox.test_pagerduty_services import make_schedule, make_user, policy, target

START = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> list[datetime]:
    return [START]


@pytest.fixture
def sb(sandbox_factory: Callable[..., Sandbox], clock: list[datetime]) -> Sandbox:
    return sandbox_factory(clock=lambda: clock[0])


@pytest.fixture
def pd(sb: Sandbox) -> RestApiV2Client:
    return pd_client_for(sb)


def service_with_key(pd: RestApiV2Client, targets: list[dict[str, str]]) -> tuple[str, str]:
    ep = pd.rpost("escalation_policies", json=policy(targets))
    svc = pd.rpost("services", json={"service": {"type": "service", "name": "API",
                   "escalation_policy": target("escalation_policy", ep["id"])}})  # fmt: skip
    integration = pd.rpost(f"services/{svc['id']}/integrations", json={"integration": {
        "type": "events_api_v2_inbound_integration", "name": "Events API v2"}})  # fmt: skip
    return str(svc["id"]), str(integration["integration_key"])


def log(pd: RestApiV2Client, incident: str, **params: Any) -> list[dict[str, Any]]:
    return list(pd.get(f"/incidents/{incident}/log_entries", params=params).json()["log_entries"])


def test_an_incident_reaches_the_person_on_call_and_logs_who_answered(
    pd: RestApiV2Client, sb: Sandbox, clock: list[datetime]
) -> None:
    ann, bob = make_user(pd, "Ann"), make_user(pd, "Bob")
    # daily turns from Mon 5 Jan: Ann, Bob, Ann (Wed 7th, now)
    service, key = service_with_key(pd, [target("schedule", make_schedule(pd, [ann, bob]))])
    dedup = events_client_for(sb, key).trigger("Checkout is failing", "web-1")
    [incident] = pd.rget("incidents", params={"incident_key": dedup})
    assert [a["assignee"]["id"] for a in incident["assignments"]] == [ann]
    assert incident["acknowledgements"] == []
    entries = log(pd, incident["id"])  # newest first
    assert [e["type"] for e in entries] == ["notify_log_entry", "assign_log_entry",
                                            "trigger_log_entry"]  # fmt: skip
    assert entries[0]["user"]["id"] == ann and entries[1]["assignees"][0]["id"] == ann
    assert entries[2]["agent"] == {**entries[2]["agent"], "id": service,
                                   "type": "service_reference"}  # fmt: skip
    assert entries[2]["channel"]["type"] == "api" and entries[2]["incident"]["id"] == incident["id"]

    clock[0] = START + timedelta(minutes=3)
    ack = {"incident": {"type": "incident", "status": "acknowledged"}}
    answer = pd.put(f"/incidents/{incident['id']}", json=ack,
                    headers={"From": "ann@northwind.example"})  # fmt: skip
    assert answer.status_code == 200
    again = pd.put(f"/incidents/{incident['id']}", json=ack, headers={"From": "ann@northwind.example"})
    assert again.status_code == 200  # the same person again changes nothing
    acked = pd.rget(f"incidents/{incident['id']}")
    assert [(a["acknowledger"]["id"], a["at"]) for a in acked["acknowledgements"]] == [
        (ann, (START + timedelta(minutes=3)).isoformat())
    ]
    newest = log(pd, incident["id"])[0]
    assert (newest["type"], newest["agent"]["id"], newest["agent"]["type"]) == (
        "acknowledge_log_entry", ann, "user_reference")
    assert newest["created_at"] == (START + timedelta(minutes=3)).isoformat()

    clock[0] = START + timedelta(minutes=20)
    events_client_for(sb, key).resolve(dedup)
    done = pd.rget(f"incidents/{incident['id']}")
    assert (done["status"], done["assignments"], done["acknowledgements"]) == ("resolved", [], [])
    entries = log(pd, incident["id"])
    assert [e["type"] for e in entries][:2] == ["resolve_log_entry", "acknowledge_log_entry"]
    assert len(entries) == 5
    # paged and filtered like the other lists
    first = pd.get(f"/incidents/{incident['id']}/log_entries",
                   params={"limit": 2, "total": "true"}).json()  # fmt: skip
    assert (len(first["log_entries"]), first["more"], first["total"]) == (2, True, 5)
    since = (START + timedelta(minutes=1)).isoformat()
    assert [e["type"] for e in log(pd, incident["id"], since=since)] == [
        "resolve_log_entry", "acknowledge_log_entry"]
    assert pd.get("/incidents/QNOPE/log_entries").status_code == 404


def test_a_user_target_is_assigned_and_nobody_on_call_leaves_it_unassigned(
    pd: RestApiV2Client, sb: Sandbox
) -> None:
    ann = make_user(pd, "Ann")
    _, key = service_with_key(pd, [target("user", ann)])
    dedup = events_client_for(sb, key).trigger("Disk full", "db-2")
    [incident] = pd.rget("incidents", params={"incident_key": dedup})
    assert [a["assignee"]["id"] for a in incident["assignments"]] == [ann]
    # a schedule whose only layer starts next year reaches nobody today
    late = {"schedule": {"type": "schedule", "name": "Later", "time_zone": "UTC",
            "schedule_layers": [{"start": "2027-01-04T00:00:00Z",
                                 "rotation_virtual_start": "2027-01-04T00:00:00Z",
                                 "rotation_turn_length_seconds": 86_400,
                                 "users": [{"user": target("user", ann)}]}]}}  # fmt: skip
    schedule = pd.rpost("schedules", json=late)["id"]
    ep = pd.rpost("escalation_policies", json=policy([target("schedule", schedule)], name="Later"))
    svc = pd.rpost("services", json={"service": {"type": "service", "name": "Later",
                   "escalation_policy": target("escalation_policy", ep["id"])}})  # fmt: skip
    answer = pd.post("/incidents", json={"incident": {"type": "incident", "title": "Quiet",
                     "service": target("service", svc["id"])}},
                     headers={"From": "ann@northwind.example"})  # fmt: skip
    created = answer.json()["incident"]
    assert created["assignments"] == []
    entries = log(pd, created["id"])
    assert [e["type"] for e in entries] == ["trigger_log_entry"]
    assert (entries[0]["agent"]["id"], entries[0]["agent"]["type"]) == (ann, "user_reference")


def test_the_account_wide_log_lists_every_incident_newest_first(
    pd: RestApiV2Client, sb: Sandbox, clock: list[datetime]
) -> None:
    ann, bob = make_user(pd, "Ann"), make_user(pd, "Bob")
    _, key = service_with_key(pd, [target("schedule", make_schedule(pd, [ann, bob]))])
    events = events_client_for(sb, key)
    first = events.trigger("Checkout is failing", "web-1")
    clock[0] = START + timedelta(hours=1)
    second = events.trigger("Search is slow", "web-2")
    ids = {pd.rget("incidents", params={"incident_key": k})[0]["id"] for k in (first, second)}
    entries = list(pd.iter_all("log_entries"))
    assert {e["incident"]["id"] for e in entries} == ids and len(entries) == 6
    times = [e["created_at"] for e in entries]
    assert times == sorted(times, reverse=True)
    overview = list(pd.iter_all("log_entries", params={"is_overview": "true"}))
    assert {e["type"] for e in overview} == {"trigger_log_entry", "assign_log_entry"}
    later = list(pd.iter_all("log_entries", params={"since": (START + timedelta(minutes=30)).isoformat()}))
    assert {e["incident"]["id"] for e in later} == ids - {
        pd.rget("incidents", params={"incident_key": first})[0]["id"]}  # fmt: skip
    assert list(pd.iter_all("log_entries", params={"team_ids[]": ["PNOTEAM"]})) == []
    one = pd.rget(f"log_entries/{entries[0]['id']}")
    assert one["id"] == entries[0]["id"] and one["type"] == entries[0]["type"]
    full = pd.get(f"/log_entries/{entries[0]['id']}", params={"include[]": ["incidents"]}).json()
    assert full["log_entry"]["incident"]["id"] in ids and "status" in full["log_entry"]["incident"]
    assert pd.get("/log_entries/RNOPE").status_code == 404
    bad = pd.get("/log_entries", params={"since": "yesterday"})
    assert bad.status_code == 400
