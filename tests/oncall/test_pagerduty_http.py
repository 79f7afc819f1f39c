"""The same equality over HTTP: the sandbox's POST /schedules/preview through the real client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from opskit.oncall import render
from opskit.providers.pagerduty_schedule import schedule_payload
from opskit.sandbox import Sandbox
from opskit.time import zones
from tests.oncall.helpers import policy
from tests.oncall.test_pagerduty_equality import SINCE, UNTIL, rotation_text
from tests.sandbox.fixtures import pd_client_for


@pytest.mark.parametrize(
    ("zone", "shape"),
    [("Europe/Berlin", "follow-the-sun"), ("Australia/Sydney", "custom-36h-overnight-window"),
     ("America/New_York", "weekly-with-days")],
)  # fmt: skip
def test_preview_over_http_equals_rendering(
    sandbox_factory: Callable[..., Sandbox], zone: str, shape: str
) -> None:
    pd = pd_client_for(sandbox_factory(clock=lambda: SINCE - dt.timedelta(days=7)))
    rotation = policy(rotation_text(zone, shape)).rotations["r"]
    ids = {
        p.name: pd.rpost(
            "users", json={"user": {"type": "user", "name": p.name, "email": p.email}}
        )["id"]
        for p in rotation.people
    }
    payload, _ = schedule_payload(rotation, lambda p: ids[p.name])
    response = pd.post(
        "/schedules/preview",
        json={"schedule": payload},
        params={"since": SINCE.isoformat(), "until": UNTIL.isoformat()},
    )
    assert response.status_code == 200, response.text
    got = response.json()["schedule"]
    names = {v: k for k, v in ids.items()}
    remote = [
        (names[e["user"]["id"]], int(dt.datetime.fromisoformat(e["start"]).timestamp()),
         int(dt.datetime.fromisoformat(e["end"]).timestamp()))
        for e in got["final_schedule"]["rendered_schedule_entries"]
    ]  # fmt: skip
    lo, hi = zones.from_datetime(SINCE), zones.from_datetime(UNTIL)
    assert remote == [(s.person, s.start, s.end) for s in render.render(rotation, lo, hi)]
    pd.close()
