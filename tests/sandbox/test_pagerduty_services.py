"""Escalation policies, services, priorities, on-calls, incidents and Events API v2."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pagerduty import RestApiV2Client

from opskit.sandbox import Sandbox
from tests.sandbox.fixtures import events_client_for, pd_client_for

NOW = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def sb(sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return sandbox_factory(clock=lambda: NOW)


@pytest.fixture
def pd(sb: Sandbox) -> RestApiV2Client:
    return pd_client_for(sb)


def make_user(pd: RestApiV2Client, name: str) -> str:
    body = {"user": {"type": "user", "name": name, "email": f"{name.lower()}@northwind.example"}}
    return str(pd.rpost("users", json=body)["id"])


def target(kind: str, oid: str) -> dict[str, str]:
    return {"id": oid, "type": f"{kind}_reference"}


def policy(*rules: list[dict[str, str]], **kw: Any) -> dict[str, Any]:
    return {
        "escalation_policy": {
            "type": "escalation_policy",
            "name": kw.pop("name", "Support ladder"),
            "escalation_rules": [
                {"escalation_delay_in_minutes": kw.pop("delay", 10), "targets": t} for t in rules
            ],
            **kw,
        }
    }


def make_schedule(pd: RestApiV2Client, user_ids: list[str]) -> str:
    layer = {
        "start": "2026-01-05T00:00:00Z",
        "rotation_virtual_start": "2026-01-05T00:00:00Z",
        "rotation_turn_length_seconds": 86_400,
        "users": [{"user": target("user", u)} for u in user_ids],
    }
    body = {
        "schedule": {
            "type": "schedule",
            "name": "Primary",
            "time_zone": "UTC",
            "schedule_layers": [layer],
        }
    }
    return str(pd.rpost("schedules", json=body)["id"])


def test_escalation_limits(pd: RestApiV2Client) -> None:
    ann = make_user(pd, "Ann")
    too_many = [target("user", ann)] * 11
    cases = [
        policy(too_many),
        policy([target("user", ann)], num_loops=10),
        policy([target("user", ann)], delay=0),
        policy([target("team", "PX")]),
    ]
    for body in cases:
        resp = pd.post("/escalation_policies", json=body)
        assert resp.status_code == 400
        assert resp.json()["error"]["code"] == 2001
    ok = pd.post("/escalation_policies", json=policy([target("user", ann)] * 10, num_loops=9))
    assert ok.status_code == 201


def test_oncalls_follow_schedule_and_levels(pd: RestApiV2Client) -> None:
    ann, bob, cid = make_user(pd, "Ann"), make_user(pd, "Bob"), make_user(pd, "Cid")
    sid = make_schedule(pd, [ann, bob])
    ep = pd.rpost(
        "escalation_policies", json=policy([target("schedule", sid)], [target("user", cid)])
    )
    rows = list(pd.iter_all("oncalls", params={"escalation_policy_ids[]": [ep["id"]]}))
    by_level = {r["escalation_level"]: r for r in rows}
    # turns from the 5th: Ann, Bob, Ann; the layer itself only starts now (rewritten start)
    assert by_level[1]["user"]["id"] == ann
    assert by_level[1]["start"] == "2026-01-07T12:00:00+00:00"
    assert by_level[1]["end"] == "2026-01-08T00:00:00+00:00"
    later = list(
        pd.iter_all(
            "oncalls", params={"since": "2026-01-08T06:00:00Z", "until": "2026-01-08T06:00:00Z"}
        )
    )
    assert {r["user"]["id"] for r in later if r["escalation_level"] == 1} == {bob}
    assert by_level[2]["user"]["id"] == cid and by_level[2]["start"] is None


def test_service_support_hours_rules(pd: RestApiV2Client) -> None:
    ann = make_user(pd, "Ann")
    ep = pd.rpost("escalation_policies", json=policy([target("user", ann)]))
    base = {
        "type": "service",
        "name": "Billing",
        "escalation_policy": target("escalation_policy", ep["id"]),
        "incident_urgency_rule": {
            "type": "use_support_hours",
            "during_support_hours": {"type": "constant", "urgency": "high"},
            "outside_support_hours": {"type": "constant", "urgency": "low"},
        },
    }
    missing = pd.post("/services", json={"service": base})
    assert missing.status_code == 400
    hours = {
        "type": "fixed_time_per_day",
        "time_zone": "Europe/Berlin",
        "days_of_week": [1, 2, 3, 4, 5],
        "start_time": "09:00:00",
        "end_time": "17:00:00",
    }
    actions = [
        {
            "type": "urgency_change",
            "at": {"type": "named_time", "name": "support_hours_start"},
            "to_urgency": "high",
        }
    ]
    created = pd.rpost(
        "services", json={"service": {**base, "support_hours": hours, "scheduled_actions": actions}}
    )
    assert created["support_hours"]["days_of_week"] == [1, 2, 3, 4, 5]
    got = pd.rget(f"services/{created['id']}", params={"include[]": "escalation_policies"})
    assert got["escalation_policy"]["name"] == "Support ladder"
    in_use = pd.delete(f"/escalation_policies/{ep['id']}")
    assert in_use.status_code == 400


def test_service_timeouts_are_off_at_zero_or_null_and_kept_when_left_out(
    pd: RestApiV2Client,
) -> None:
    """As PagerDuty documents: 0, null or leaving it out of a POST turns a timeout off
    (PagerDuty reads back null; the sandbox leaves it out, as the spec types it an
    integer); a PUT that leaves it out keeps it."""
    ann = make_user(pd, "Ann")
    ep = pd.rpost("escalation_policies", json=policy([target("user", ann)]))
    base = {
        "type": "service", "name": "Backup",
        "escalation_policy": target("escalation_policy", ep["id"]),
    }  # fmt: skip
    plain = pd.rpost("services", json={"service": base})
    assert (plain.get("acknowledgement_timeout"), plain.get("auto_resolve_timeout")) == (None, None)
    timed = {**base, "acknowledgement_timeout": 1800, "auto_resolve_timeout": 0}
    service = pd.rput(f"services/{plain['id']}", json={"service": timed})
    assert (service["acknowledgement_timeout"], service.get("auto_resolve_timeout")) == (1800, None)
    renamed = pd.rput(f"services/{plain['id']}", json={"service": {**base, "name": "Backups"}})
    assert renamed["name"] == "Backups" and renamed["acknowledgement_timeout"] == 1800
    off = pd.rput(
        f"services/{plain['id']}", json={"service": {**base, "acknowledgement_timeout": 0}}
    )
    assert off.get("acknowledgement_timeout") is None


def test_priorities_are_listed(pd: RestApiV2Client) -> None:
    names = [p["name"] for p in pd.iter_all("priorities")]
    assert names[:4] == ["P1", "P2", "P3", "P4"]


def test_events_open_and_resolve_incidents(pd: RestApiV2Client, sb: Sandbox) -> None:
    ann = make_user(pd, "Ann")
    ep = pd.rpost("escalation_policies", json=policy([target("user", ann)]))
    svc = pd.rpost(
        "services",
        json={
            "service": {
                "type": "service",
                "name": "API",
                "escalation_policy": target("escalation_policy", ep["id"]),
            }
        },
    )
    assert svc["integrations"] == []  # as in PagerDuty: a new service has none
    integration = pd.rpost(
        f"services/{svc['id']}/integrations",
        json={"integration": {"type": "events_api_v2_inbound_integration", "name": "Events API v2"}},
    )
    events = events_client_for(sb, integration["integration_key"])
    dedup = events.trigger("Checkout is failing", "web-1", severity="critical")
    open_incidents = list(pd.iter_all("incidents", params={"statuses[]": ["triggered"]}))
    assert [i["title"] for i in open_incidents] == ["Checkout is failing"]
    events.resolve(dedup)
    assert list(pd.iter_all("incidents", params={"statuses[]": ["triggered"]})) == []
    incident = pd.rget(f"incidents/{open_incidents[0]['id']}")
    assert incident["status"] == "resolved"


def test_events_reject_bad_events(sb: Sandbox) -> None:
    import httpx2

    with httpx2.Client(verify=sb.client_ssl_context()) as raw:
        resp = raw.post(
            f"{sb.url}/v2/enqueue", json={"routing_key": "short", "event_action": "trigger"}
        )
        malformed = raw.post(
            f"{sb.url}/v2/enqueue", content=b"{", headers={"Content-Type": "application/json"}
        )
    assert resp.status_code == 400 and resp.json()["status"] == "invalid event"
    assert len(resp.json()["errors"]) >= 2
    assert malformed.status_code == 400


def test_incident_needs_from_header(pd: RestApiV2Client) -> None:
    ann = make_user(pd, "Ann")
    ep = pd.rpost("escalation_policies", json=policy([target("user", ann)]))
    svc = pd.rpost(
        "services",
        json={
            "service": {
                "type": "service",
                "name": "API",
                "escalation_policy": target("escalation_policy", ep["id"]),
            }
        },
    )
    body = {
        "incident": {
            "type": "incident",
            "title": "Disk full",
            "service": target("service", svc["id"]),
        }
    }
    del pd.headers["From"]
    refused = pd.post("/incidents", json=body)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == 2011
    created = pd.post("/incidents", json=body, headers={"From": "ann@northwind.example"})
    assert created.status_code == 201
    assert created.json()["incident"]["status"] == "triggered"
