"""The sandbox answers requests in the shapes the official Terraform provider for PagerDuty
sends them, as PagerDuty does (tests/data/replay/terraform-provider-pagerduty.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pagerduty import RestApiV2Client

from opskit.sandbox import Sandbox
from tests.sandbox.fixtures import pd_client_for

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay" / "terraform-provider-pagerduty.json"


def filled(value: Any, saved: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: saved[m.group(1)], value)
    if isinstance(value, list):
        return [filled(v, saved) for v in value]
    if isinstance(value, dict):
        return {k: filled(v, saved) for k, v in value.items()}
    return value


def dig(body: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        assert isinstance(body, dict) and part in body, f"{dotted}: no {part!r} in {body!r:.300}"
        body = body[part]
    return body


def test_the_provider_s_requests_are_answered_as_pagerduty_would(sandbox: Sandbox) -> None:
    client: RestApiV2Client = pd_client_for(sandbox)
    saved: dict[str, str] = {}
    for number, step in enumerate(json.loads(REPLAY.read_text())["steps"], 1):
        path = filled(step["path"], saved)
        kwargs = {"json": filled(step["body"], saved)} if "body" in step else {}
        answer = client.request(step["method"], path, **kwargs)
        assert answer.status_code == step["status"], (number, path, answer.text[:500])
        body = answer.json() if answer.content else None
        for dotted in step.get("has", []):
            dig(body, dotted)
        if "save" in step:
            [value] = [v for v in body.values() if isinstance(v, dict)]
            saved[step["save"]] = value["id"]
    schedule = client.get(f"/schedules/{saved['schedule']}").json()["schedule"]
    # the Go-formatted times are read as the instants they name (shown in Berlin time)
    layers = schedule["schedule_layers"]
    assert {x["rotation_virtual_start"][:19] for x in layers} == {"2026-01-05T09:00:00"}
    assert "2030-01-07T09:00:00" in {(x.get("end") or "")[:19] for x in layers}
    assert schedule["final_schedule"]["rendered_schedule_entries"] == []
