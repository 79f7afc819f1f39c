"""`opskit sla status` and `show` end to end: the CLI, the jira client, the sandbox."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.sla.site import NOW, REPO, TOKEN, env, load_tickets, prepare


@pytest.fixture
def site(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    prepare(sandbox, monkeypatch, tmp_path / "cache")
    return sandbox


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def status_json(*args: str) -> dict[str, Any]:
    result = opskit("sla", "status", "--format", "json", "--now", NOW, *args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


CLOCK_KEYS = {
    "ticket", "summary", "status", "customer", "service", "tier", "tier_source", "priority",
    "metric", "state", "target", "start", "stop", "deadline", "budget_seconds",
    "elapsed_seconds", "remaining_seconds", "wall_seconds_to_deadline", "why", "segments",
}  # fmt: skip


def by(document: dict[str, Any], ticket: str, metric: str) -> dict[str, Any]:
    [found] = [c for c in document["clocks"] if c["ticket"] == ticket and c["metric"] == metric]
    return found


def test_status_lists_the_open_clocks_most_urgent_first(site: Sandbox) -> None:
    doc = status_json()
    assert (doc["version"], doc["now"]) == (1, NOW)
    assert doc["scope"] == "project in (SUP, OPS)"
    for clock in doc["clocks"]:
        assert set(clock) == CLOCK_KEYS
        assert clock["stop"] is None  # open clocks only
        assert {s["kind"] for s in clock["segments"]} <= {"counting", "paused"}
    order = [(c["state"] != "breached", c["remaining_seconds"]) for c in doc["clocks"]]
    assert order == sorted(order)
    nu = by(doc, "SUP-1", "next_update")
    # from the reply Mon 10:00 Berlin: Mon 8h + Tue 08-17 9h = 17h of 20h (2bd): at risk;
    # 3h left, due Wed 10:00 Berlin = 09:00 UTC, 17h of wall time after 16:00 UTC
    assert (nu["state"], nu["elapsed_seconds"], nu["remaining_seconds"]) == (
        "at_risk",
        61200,
        10800,
    )
    assert (nu["deadline"], nu["wall_seconds_to_deadline"]) == ("2026-12-02T09:00:00Z", 17 * 3600)
    assert (nu["customer"], nu["tier"], nu["priority"]) == ("tidewater-books", "Standard", "P2")
    fr = by(doc, "SUP-2", "first_response")
    # Premium P1 15m from 15:30; the internal note does not count: 30m gone, breached at 15:45
    assert (fr["state"], fr["remaining_seconds"], fr["deadline"]) == (
        "breached", -900, "2026-12-01T15:45:00Z")  # fmt: skip
    backup = by(doc, "SUP-4", "next_update")
    # Business P3 next update 2d from 12:30 UTC: 3h30m used
    assert (backup["tier_source"], backup["elapsed_seconds"]) == ("service backup", 12600)
    assert doc["untracked"] == {"count": 1, "tickets": [
        {"ticket": "SUP-3", "reason": "no JSM organisation and no component on the ticket: "
         "no tier applies"}]}  # fmt: skip


def test_status_text_shows_business_and_wall_time(site: Sandbox) -> None:
    result = opskit("--no-color", "sla", "status", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "SUP-1" in result.output and "3h" in result.output and "17h" in result.output
    assert "1 untracked ticket(s)" in result.output


@pytest.mark.parametrize("columns", [80, 160])
def test_the_status_table_fits_the_console_and_drops_the_deadline_first(
    site: Sandbox, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = opskit("--no-color", "sla", "status", "--now", NOW)
    assert result.exit_code == 0, result.output
    table = result.output.splitlines()[1:-2]
    assert table and max(len(line.rstrip()) for line in table) <= columns
    header = table[0].split()
    assert header[:2] == ["ticket", "customer"] and "wall" in header
    assert ("deadline" in header) is (columns == 160)
    assert "SUP-1" in result.output and "tidewater-bo" in result.output


def test_customer_and_at_risk_filters(site: Sandbox) -> None:
    doc = status_json("--customer", "harbor-dental")
    assert {c["ticket"] for c in doc["clocks"]} == {"SUP-2"}
    risky = status_json("--at-risk")
    assert {c["state"] for c in risky["clocks"]} <= {"at_risk", "breached"}
    assert ("SUP-1", "next_update") in {(c["ticket"], c["metric"]) for c in risky["clocks"]}


def test_fail_on_breached_exits_1(site: Sandbox) -> None:
    result = opskit("sla", "status", "--now", NOW, "--fail-on", "breached", "--format", "json")
    assert result.exit_code == 1, result.output


def test_a_second_run_reads_no_ticket_again(site: Sandbox) -> None:
    status_json()
    before = len(site.log.snapshot())
    again = status_json()
    calls = site.log.snapshot()[before:]
    bodies = [json.loads(e.body or b"{}") for e in calls if e.path.endswith("/search/jql")]
    assert bodies and all(b["fields"] == ["updated"] for b in bodies)  # only what changed
    assert not [e for e in calls if "changelog" in e.path or "/comment" in e.path]
    assert len(again["clocks"]) > 0  # every cached ticket recomputed
    # a ticket made since is read, and only it (created a minute ago: Jira's `updated`)
    made = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).replace(microsecond=0)
    [key] = load_tickets(site, [{
        "summary": "New one", "priority": "Low", "organization": "Harbor Dental Group",
        "reporter": "luis.moreno@harbordental.example", "created": made.isoformat(),
        "events": []}])  # fmt: skip
    before = len(site.log.snapshot())
    result = opskit(
        "sla", "status", "-f", "json", "--now", (made + dt.timedelta(minutes=1)).isoformat()
    )
    third = json.loads(result.output)
    [bulk] = [e for e in site.log.snapshot()[before:] if "changelog" in e.path]
    assert json.loads(bulk.body)["issueIdsOrKeys"] == [_id(site, key)]
    assert key in {c["ticket"] for c in third["clocks"]}


def _id(sb: Sandbox, key: str) -> str:
    return str(sb.store.get("jira.issue", key)["id"])


def test_a_corrupt_cache_is_rebuilt(site: Sandbox, tmp_path: Path) -> None:
    status_json()
    [cached] = list((tmp_path / "cache" / "sla").glob("*.json"))
    cached.write_text("{not json")
    result = CliRunner().invoke(cli, ["sla", "status", "--now", NOW, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "unreadable" in result.stderr
    assert json.loads(result.stdout)["clocks"]
    assert json.loads(cached.read_text())["format"] == 1


def test_show_explains_holidays_and_deadlines(site: Sandbox) -> None:
    result = opskit("sla", "show", "SUP-5", "--now", "2026-04-07T09:30:00+02:00", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    fr = next(c for c in doc["clocks"] if c["metric"] == "first_response")
    # Thu 16-18 (2h) + Tue 08-09:30 (1.5h) = 3.5h of 4h: at risk, due Tue 10:00 CEST
    assert (fr["state"], fr["elapsed_seconds"]) == ("at_risk", 12600)
    assert (fr["deadline"], fr["deadline_local"]) == (
        "2026-04-07T08:00:00Z",
        "2026-04-07T10:00:00+02:00",
    )
    reasons = [p["reason"] for p in fr["closed_periods"]]
    assert reasons == ["night", "Good Friday", "weekend", "Easter Monday", "night"]
    text = opskit("--no-color", "sla", "show", "SUP-5", "--now", "2026-04-07T09:30:00+02:00")
    assert "Good Friday" in text.output and "2026-04-07T10:00:00+02:00" in text.output


def test_show_explains_a_priority_change_and_a_pause(site: Sandbox) -> None:
    result = opskit("sla", "show", "SUP-6", "--now", "2026-12-01T10:00:00+01:00", "-f", "json")
    doc = json.loads(result.output)
    [change] = doc["priority_changes"]
    assert (change["old"], change["new"], change["mode"]) == ("P3", "P1", "retarget")
    res = next(c for c in doc["clocks"] if c["metric"] == "resolution")
    # P1 3bd from Mon 09:00 (30h): Mon 09-13:30 (4.5h), paused to Tue 09:00, Tue 09-10 (1h)
    assert (res["priority"], res["budget_seconds"], res["elapsed_seconds"]) == ("P1", 108000, 19800)
    assert [(s["kind"], s["reason"]) for s in res["segments"]] == [
        ("counting", ""), ("paused", "Waiting for customer"), ("counting", "")]  # fmt: skip


def test_show_of_an_untracked_ticket_says_why(site: Sandbox) -> None:
    result = opskit("sla", "show", "SUP-3", "--now", NOW)
    assert result.exit_code == 0 and "no JSM organisation and no component" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["status", "--customer", "harbour-dental"], 2, "no customer 'harbour-dental'"),
        (["status", "--jql", "projekt = SUP"], 3, "Field 'projekt' does not exist"),
        (["status", "--now", "yesterday"], 2, "--now"),
        (["status", "--since", "soon"], 2, "--since"),
        (["show", "SUP-999"], 2, "no issue SUP-999"),
        (["show", "not a key"], 2, "is not an issue key"),
    ],
)
def test_bad_input_is_one_clear_line(
    site: Sandbox, args: list[str], code: int, message: str
) -> None:
    result = CliRunner().invoke(cli, ["sla", *args])
    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert result.stderr.count("\n") == 1 and TOKEN not in result.output


def test_a_real_process(site: Sandbox, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "opskit", "sla", "status", "--now", NOW, "--format", "json"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
        env={**os.environ, **env(site, tmp_path / "process-cache")},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert by(doc, "SUP-1", "next_update")["state"] == "at_risk"
    assert TOKEN not in run.stdout + run.stderr


def test_since_reads_only_what_was_updated_since(site: Sandbox) -> None:
    doc = status_json("--no-cache", "--since", "2026-12-01T00:00:00Z")
    # updated on 1 December: SUP-2 (15:35), SUP-4 (12:30), SUP-6 (08:00 UTC); not SUP-1 (30 Nov)
    assert {c["ticket"] for c in doc["clocks"]} == {"SUP-2", "SUP-4", "SUP-6"}
    assert doc["read"]["searched"] == 3


SHOW_CLOCK_KEYS = CLOCK_KEYS - {"ticket", "summary", "status", "customer", "service", "tier",
                                "tier_source"} | {"deadline_local", "closed_periods",
                                                  "closed_truncated", "earlier"}  # fmt: skip


def test_show_json_shape(site: Sandbox) -> None:
    doc = json.loads(opskit("sla", "show", "SUP-1", "--now", NOW, "-f", "json").output)
    assert set(doc) == {"version", "now", "ticket", "clocks", "priority_changes"}
    assert {"ticket", "calendar", "timezone", "created", "updated"} <= set(doc["ticket"])
    assert doc["ticket"]["timezone"] == "Europe/Berlin"
    for clock in doc["clocks"]:
        assert set(clock) == SHOW_CLOCK_KEYS
    # the first response was met by the reply on Monday 10:00 Berlin: 4h of 8h
    fr = doc["clocks"][0]
    assert (fr["metric"], fr["state"], fr["stop"], fr["elapsed_seconds"]) == (
        "first_response", "met", "2026-11-30T09:00:00Z", 4 * 3600)  # fmt: skip
    assert "a public reply by mehmet@northwind.example" in fr["why"]
