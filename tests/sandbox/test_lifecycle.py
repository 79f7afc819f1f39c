"""Updates and deletes across both APIs, including Jira's /rest/api/3 prefix."""

from __future__ import annotations

import pytest
from jira import JIRA
from pagerduty import RestApiV2Client
from pagerduty.errors import HttpError

from opskit.sandbox import Sandbox


def ref(kind: str, oid: str) -> dict[str, str]:
    return {"id": oid, "type": f"{kind}_reference"}


def test_pagerduty_update_and_delete(pd: RestApiV2Client) -> None:
    uid = pd.rpost(
        "users", json={"user": {"type": "user", "name": "Ann", "email": "ann@northwind.example"}}
    )["id"]
    team = pd.rpost("teams", json={"team": {"type": "team", "name": "Ops"}})
    ep = pd.rpost(
        "escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": "Ladder",
                "teams": [ref("team", team["id"])],
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 5, "targets": [ref("user", uid)]}
                ],
            }
        },
    )
    partial = pd.put(
        f"/escalation_policies/{ep['id']}",
        json={"escalation_policy": {"type": "escalation_policy", "name": "Ladder v2"}},
    )
    assert partial.status_code == 400  # a PUT carries the whole policy
    renamed = pd.rput(
        f"escalation_policies/{ep['id']}",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": "Ladder v2",
                "num_loops": 2,
                "escalation_rules": ep["escalation_rules"],
            }
        },
    )
    assert renamed["name"] == "Ladder v2" and renamed["num_loops"] == 2
    assert renamed["escalation_rules"][0]["targets"][0]["id"] == uid
    svc = pd.rpost(
        "services",
        json={
            "service": {
                "type": "service",
                "name": "API",
                "escalation_policy": ref("escalation_policy", ep["id"]),
            }
        },
    )
    moved = pd.rput(
        f"services/{svc['id']}",
        json={
            "service": {
                "type": "service",
                "name": "API",
                "description": "Public API",
                "escalation_policy": ref("escalation_policy", ep["id"]),
            }
        },
    )
    assert moved["description"] == "Public API" and moved["name"] == "API"
    assert pd.delete(f"/services/{svc['id']}").status_code == 204
    assert pd.delete(f"/escalation_policies/{ep['id']}").status_code == 204
    assert pd.delete(f"/teams/{team['id']}").status_code == 204
    with pytest.raises(HttpError) as gone:
        pd.rget(f"teams/{team['id']}")
    assert gone.value.response is not None and gone.value.response.status_code == 404


def test_schedule_in_use_cannot_be_deleted_and_overrides_can(pd: RestApiV2Client) -> None:
    uid = pd.rpost(
        "users", json={"user": {"type": "user", "name": "Ann", "email": "ann@northwind.example"}}
    )["id"]
    layer = {
        "start": "2030-01-01T00:00:00Z",
        "rotation_virtual_start": "2030-01-01T00:00:00Z",
        "rotation_turn_length_seconds": 86_400,
        "users": [{"user": ref("user", uid)}],
    }
    sid = pd.rpost(
        "schedules",
        json={
            "schedule": {
                "type": "schedule",
                "name": "S",
                "time_zone": "UTC",
                "schedule_layers": [layer],
            }
        },
    )["id"]
    pd.rpost(
        "escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": "L",
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 5, "targets": [ref("schedule", sid)]}
                ],
            }
        },
    )
    assert pd.delete(f"/schedules/{sid}").status_code == 400
    created = pd.post(
        f"/schedules/{sid}/overrides",
        json={
            "overrides": [
                {
                    "start": "2030-01-02T00:00:00Z",
                    "end": "2030-01-02T06:00:00Z",
                    "user": ref("user", uid),
                }
            ]
        },
    ).json()
    oid = created[0]["override"]["id"]
    assert pd.delete(f"/schedules/{sid}/overrides/{oid}").status_code == 204
    assert pd.delete(f"/schedules/{sid}/overrides/{oid}").status_code == 404


def test_jira_v3_prefix_and_project_lifecycle(sandbox: Sandbox, jira: JIRA) -> None:
    v3 = f"{sandbox.url}/rest/api/3"
    info = jira._session.get(f"{v3}/serverInfo").json()
    assert info["deploymentType"] == "Cloud"
    created = jira._session.post(
        f"{v3}/project", json={"key": "OPS", "name": "Ops", "projectTypeKey": "software"}
    ).json()
    assert created["self"].startswith(v3)
    jira._session.put(created["self"], json={"name": "Operations"})
    assert jira.project("OPS").name == "Operations"
    jira._session.delete(created["self"])
    assert jira.projects() == []


def test_jsm_member_removal_and_unlinking(sandbox: Sandbox, jira: JIRA) -> None:
    base = f"{sandbox.url}/rest/servicedeskapi"
    jira._session.post(
        jira._get_url("project"),
        json={"key": "SUP", "name": "Support", "projectTypeKey": "service_desk"},
    )
    org = jira._session.post(f"{base}/organization", json={"name": "Globex"}).json()
    me = jira.myself()["accountId"]
    jira._session.post(f"{base}/organization/{org['id']}/user", json={"accountIds": [me]})
    jira._session.delete(f"{base}/organization/{org['id']}/user", json={"accountIds": [me]})
    assert jira._session.get(f"{base}/organization/{org['id']}/user").json()["values"] == []
    jira._session.put(f"{base}/organization/{org['id']}/property/k", json=1)
    keys = jira._session.get(f"{base}/organization/{org['id']}/property").json()["keys"]
    assert [k["key"] for k in keys] == ["k"]
    jira._session.delete(f"{base}/organization/{org['id']}/property/k")
    desk = jira._session.get(f"{base}/servicedesk").json()["values"][0]
    jira._session.post(
        f"{base}/servicedesk/{desk['id']}/organization", json={"organizationId": int(org["id"])}
    )
    jira._session.delete(
        f"{base}/servicedesk/{desk['id']}/organization", json={"organizationId": int(org["id"])}
    )
    linked = jira._session.get(f"{base}/servicedesk/{desk['id']}/organization").json()
    assert linked["values"] == []
