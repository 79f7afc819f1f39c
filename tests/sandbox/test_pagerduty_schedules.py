"""Schedules over HTTP: rendering, preview, overrides and PagerDuty's layer rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pagerduty import RestApiV2Client

from opskit.sandbox import Sandbox
from tests.sandbox.fixtures import pd_client_for

NOW = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def pd_at_now(sandbox_factory: Callable[..., Sandbox]) -> RestApiV2Client:
    return pd_client_for(sandbox_factory(clock=lambda: NOW))


def users(pd: RestApiV2Client, *names: str) -> list[str]:
    return [
        pd.rpost(
            "users",
            json={"user": {"type": "user", "name": n, "email": f"{n.lower()}@northwind.example"}},
        )["id"]
        for n in names
    ]


def layer(user_ids: list[str], start: str = "2026-01-05T00:00:00Z", **kw: Any) -> dict[str, Any]:
    return {
        "start": start,
        "rotation_virtual_start": start,
        "rotation_turn_length_seconds": 86_400,
        "users": [{"user": {"id": u, "type": "user_reference"}} for u in user_ids],
        **kw,
    }


def schedule_body(*layers: dict[str, Any]) -> dict[str, Any]:
    return {
        "schedule": {
            "type": "schedule",
            "name": "Support",
            "time_zone": "Europe/Berlin",
            "schedule_layers": list(layers),
        }
    }


def test_final_schedule_for_since_until(pd_at_now: RestApiV2Client) -> None:
    a, b = users(pd_at_now, "Ann", "Bob")
    created = pd_at_now.rpost("schedules", json=schedule_body(layer([a, b])))
    got = pd_at_now.rget(
        f"schedules/{created['id']}",
        params={"since": "2026-01-08T00:00:00Z", "until": "2026-01-10T00:00:00Z"},
    )
    entries = got["final_schedule"]["rendered_schedule_entries"]
    # turns count from the virtual start (5th: Ann), whatever the rewritten layer start is
    assert [e["user"]["id"] for e in entries] == [b, a]
    assert entries[0]["start"] == "2026-01-08T01:00:00+01:00"  # rendered in the schedule zone
    assert got["final_schedule"]["rendered_coverage_percentage"] == 100.0


def test_a_missing_bound_is_two_weeks_from_the_other_and_no_bounds_render_nothing(
    pd_at_now: RestApiV2Client,
) -> None:
    a, b = users(pd_at_now, "Ann", "Bob")
    created = pd_at_now.rpost("schedules", json=schedule_body(layer([a, b])))
    path = f"schedules/{created['id']}"
    since = pd_at_now.rget(path, params={"since": "2026-01-08T00:00:00Z"})["final_schedule"]
    entries = since["rendered_schedule_entries"]
    assert entries[-1]["end"] == "2026-01-22T01:00:00+01:00"  # since + 2 weeks
    until = pd_at_now.rget(path, params={"until": "2026-01-22T00:00:00Z"})["final_schedule"]
    assert until["rendered_schedule_entries"][0]["start"] == "2026-01-08T01:00:00+01:00"
    plain = pd_at_now.rget(path)  # no bounds: the sub-schedules are there, with no entries
    for key, name in (("final_schedule", "Final Schedule"), ("overrides_subschedule", "Overrides")):
        assert plain[key] == {"name": name, "rendered_schedule_entries": [],
                              "rendered_coverage_percentage": None}  # fmt: skip


def test_layer_start_is_rewritten_and_layers_come_back_reversed(pd_at_now: RestApiV2Client) -> None:
    a, b = users(pd_at_now, "Ann", "Bob")
    created = pd_at_now.rpost(
        "schedules",
        json=schedule_body(
            layer([a], name="Base"), layer([b], name="Day", start="2026-02-01T00:00:00Z")
        ),
    )
    names = [x["name"] for x in created["schedule_layers"]]
    assert names == ["Day", "Base"]
    base = created["schedule_layers"][1]
    assert base["start"] == "2026-01-07T13:00:00+01:00"  # the past cannot be scheduled
    assert created["schedule_layers"][0]["start"] == "2026-02-01T01:00:00+01:00"


def test_layers_are_ended_not_deleted(pd_at_now: RestApiV2Client) -> None:
    a, b = users(pd_at_now, "Ann", "Bob")
    created = pd_at_now.rpost("schedules", json=schedule_body(layer([a]), layer([b])))
    keep = created["schedule_layers"][0]
    update = {
        "schedule": {
            "type": "schedule",
            "name": "Support",
            "time_zone": "Europe/Berlin",
            "schedule_layers": [keep],
        }
    }
    updated = pd_at_now.rput(f"schedules/{created['id']}", json=update)
    assert len(updated["schedule_layers"]) == 2
    ended = next(x for x in updated["schedule_layers"] if x["id"] != keep["id"])
    assert ended["end"] == "2026-01-07T13:00:00+01:00"


def test_preview_renders_without_saving(pd_at_now: RestApiV2Client) -> None:
    (a,) = users(pd_at_now, "Ann")
    resp = pd_at_now.post(
        "/schedules/preview",
        json=schedule_body(layer([a])),
        params={"since": "2026-01-08T00:00:00Z", "until": "2026-01-09T00:00:00Z"},
    )
    assert resp.status_code == 200
    final = resp.json()["schedule"]["final_schedule"]["rendered_schedule_entries"]
    assert [e["user"]["id"] for e in final] == [a]
    assert pd_at_now.get("/schedules").json()["schedules"] == []


def test_overrides_are_answered_per_item(pd_at_now: RestApiV2Client) -> None:
    a, b = users(pd_at_now, "Ann", "Bob")
    sid = pd_at_now.rpost("schedules", json=schedule_body(layer([a])))["id"]
    good = {
        "start": "2026-01-08T10:00:00Z",
        "end": "2026-01-08T12:00:00Z",
        "user": {"id": b, "type": "user_reference"},
    }
    bad = {
        "start": "2026-01-08T10:00:00Z",
        "end": "2026-01-08T09:00:00Z",
        "user": {"id": b, "type": "user_reference"},
    }
    resp = pd_at_now.post(f"/schedules/{sid}/overrides", json={"overrides": [good, bad]})
    assert resp.status_code == 201
    assert [r["status"] for r in resp.json()] == [201, 400]
    got = pd_at_now.rget(
        f"schedules/{sid}",
        params={"since": "2026-01-08T09:00:00Z", "until": "2026-01-08T13:00:00Z"},
    )
    final = got["final_schedule"]["rendered_schedule_entries"]
    assert [e["user"]["id"] for e in final] == [a, b, a]
    listed = pd_at_now.get(
        f"/schedules/{sid}/overrides",
        params={"since": "2026-01-08T00:00:00Z", "until": "2026-01-09T00:00:00Z"},
    ).json()
    assert len(listed["overrides"]) == 1


def test_bad_layers_are_rejected(pd_at_now: RestApiV2Client) -> None:
    (a,) = users(pd_at_now, "Ann")
    bad_restriction = {
        "type": "monthly_restriction",
        "start_time_of_day": "09:00:00",
        "duration_seconds": 3600,
    }
    long_day = {
        "type": "daily_restriction",
        "start_time_of_day": "09:00:00",
        "duration_seconds": 90_000,
    }
    for broken in (
        layer([]),
        layer([a], rotation_turn_length_seconds="day"),
        layer([a], rotation_turn_length_seconds=3_599),  # PagerDuty's turns: 1 hour to 365 days
        layer([a], rotation_turn_length_seconds=365 * 86_400 + 1),
        layer(["PNOPE00"]),
        layer([a], start="yesterday"),
        layer([a], restrictions=[bad_restriction]),
        layer([a], restrictions=[long_day]),
    ):
        resp = pd_at_now.post("/schedules", json=schedule_body(broken))
        assert resp.status_code == 400, broken
        assert resp.json()["error"]["code"] == 2001


def test_turns_of_one_hour_and_of_365_days_are_taken(pd_at_now: RestApiV2Client) -> None:
    (a,) = users(pd_at_now, "Ann")
    for seconds in (3_600, 365 * 86_400):
        body = schedule_body(layer([a], rotation_turn_length_seconds=seconds))
        created = pd_at_now.rpost("schedules", json=body)
        assert created["schedule_layers"][0]["rotation_turn_length_seconds"] == seconds


def test_api_rendering_matches_the_reference_renderer(pd_at_now: RestApiV2Client) -> None:
    from zoneinfo import ZoneInfo

    from opskit.sandbox import schedule_render as sr

    a, b, c = users(pd_at_now, "Ann", "Bob", "Cid")
    nights = {
        "type": "daily_restriction",
        "start_time_of_day": "20:00:00",
        "duration_seconds": 12 * 3600,
    }
    created = pd_at_now.rpost(
        "schedules",
        json=schedule_body(
            layer([a, b], start="2026-01-08T00:00:00Z"),
            layer([c], start="2026-01-08T00:00:00Z", restrictions=[nights]),
        ),
    )
    window = {"since": "2026-01-09T00:00:00Z", "until": "2026-01-16T00:00:00Z", "time_zone": "UTC"}
    got = pd_at_now.rget(f"schedules/{created['id']}", params=window)
    layers = [sr.layer_from_api(x) for x in reversed(got["schedule_layers"])]
    expected = sr.render_final(
        layers,
        [],
        ZoneInfo("Europe/Berlin"),
        sr.parse_dt(window["since"]),
        sr.parse_dt(window["until"]),
    )
    final = got["final_schedule"]["rendered_schedule_entries"]
    assert [(e["user"]["id"], sr.parse_dt(e["start"]), sr.parse_dt(e["end"])) for e in final] == [
        (e.user, e.start, e.end) for e in expected
    ]
    assert final[0]["start"].endswith("+00:00")  # rendered in the requested time zone
    assert {e["user"]["id"] for e in final} == {a, b, c}
