"""PagerDuty users, teams, memberships, pagination and errors through the official client."""

from __future__ import annotations

import httpx2
import pytest
from pagerduty import RestApiV2Client
from pagerduty.errors import HttpError

from opskit.sandbox import Sandbox


def _make_users(pd: RestApiV2Client, n: int) -> list[dict[str, object]]:
    return [
        pd.rpost(
            "users",
            json={
                "user": {
                    "type": "user",
                    "name": f"User {i:03d}",
                    "email": f"user{i:03d}@northwind.example",
                }
            },
        )
        for i in range(n)
    ]


def test_find_user_by_email_with_query(pd: RestApiV2Client) -> None:
    _make_users(pd, 3)
    found = pd.find("users", "user001@northwind.example", attribute="email")
    assert found is not None and found["name"] == "User 001"
    assert pd.find("users", "nobody@northwind.example", attribute="email") is None


def test_pagination_limits_more_and_total(pd: RestApiV2Client) -> None:
    _make_users(pd, 104)
    first = pd.get("/users", params={"limit": 500, "total": "true"}).json()
    assert first["limit"] == 100 and len(first["users"]) == 100
    assert first["more"] is True and first["total"] == 104
    rest = pd.get("/users", params={"limit": 100, "offset": 100}).json()
    assert len(rest["users"]) == 4 and rest["more"] is False and rest["total"] is None
    assert len(list(pd.iter_all("users"))) == 104


def test_offset_window_is_capped(pd: RestApiV2Client) -> None:
    resp = pd.get("/users", params={"limit": 100, "offset": 9950})
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == 2001


def test_teams_and_memberships(pd: RestApiV2Client) -> None:
    users = _make_users(pd, 2)
    team = pd.rpost("teams", json={"team": {"type": "team", "name": "Support"}})
    for user, role in zip(users, ("manager", "responder"), strict=True):
        resp = pd.put(f"/teams/{team['id']}/users/{user['id']}", json={"role": role})
        assert resp.status_code == 204
    members = list(pd.iter_all(f"teams/{team['id']}/members"))
    assert {m["user"]["id"]: m["role"] for m in members} == {
        users[0]["id"]: "manager",
        users[1]["id"]: "responder",
    }
    with_teams = pd.rget(f"users/{users[0]['id']}", params={"include[]": "teams"})
    assert with_teams["teams"][0]["name"] == "Support"
    in_team = list(pd.iter_all("users", params={"team_ids[]": [team["id"]]}))
    assert {u["id"] for u in in_team} == {users[0]["id"], users[1]["id"]}
    assert pd.delete(f"/teams/{team['id']}/users/{users[1]['id']}").status_code == 204
    assert len(list(pd.iter_all(f"teams/{team['id']}/members"))) == 1


def test_errors_have_pagerduty_shape(pd: RestApiV2Client) -> None:
    with pytest.raises(HttpError) as missing:
        pd.rget("users/PNOPE00")
    assert missing.value.response is not None
    assert missing.value.response.status_code == 404
    assert missing.value.response.json()["error"]["code"] == 2100
    bad = pd.post("/users", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]) == {"code", "message", "errors"}
    wrong_type = pd.post(
        "/users", json={"user": {"type": "user", "name": 5, "email": "x@y.example"}}
    )
    assert wrong_type.status_code == 400


def test_requests_without_token_are_refused(sandbox: Sandbox) -> None:
    # The official client always sends its own token, so speak plain HTTP here.
    with httpx2.Client(verify=sandbox.client_ssl_context()) as raw:
        refused = raw.get(f"{sandbox.url}/users", headers={"Authorization": "Basic eDp5"})
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == 2006


def test_concurrent_writes_get_unique_ids(sandbox: Sandbox) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from tests.sandbox.fixtures import pd_client_for

    def create(i: int) -> str:
        client = pd_client_for(sandbox)
        body = {"user": {"type": "user", "name": f"P{i}", "email": f"p{i}@northwind.example"}}
        return str(client.rpost("users", json=body)["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(24)))
    assert len(set(ids)) == 24
    assert sandbox.store.count("pd.user") == 24

    def duplicate(_: int) -> int:
        body = {"user": {"type": "user", "name": "Twin", "email": "twin@northwind.example"}}
        return pd_client_for(sandbox).post("/users", json=body).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = sorted(pool.map(duplicate, range(8)))
    assert codes == [201] + [400] * 7  # the uniqueness check and the write are atomic
