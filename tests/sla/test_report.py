"""`opskit sla report`: the service review of November 2026 against October, on tickets
with backdated histories in the sandbox Jira, every figure computed by hand.

Both customers' tiers run on the 24x7 calendar, so business time is wall time less pauses.
Harbor Dental (Premium) P2: first response 30m, next update 2h, resolution 12h.
Pinecrest Accounting (Business) P2: first response 1h, next update 4h, resolution 1d (24h).
All times UTC; the reviews are run on 2 December (November is over: clocks as of 1 Dec).
"""

from __future__ import annotations

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
from tests.sla.site import AGENT, HARBOR, REPO, TOKEN, applied_site, comment, env, load_tickets

PINECREST = "denise.ward@pinecrest-cpa.example"
NOW = "2026-12-02T12:00:00Z"
H, M = 3600, 60


def ticket(org: str, who: str, created: str, *events: dict[str, Any]) -> dict[str, Any]:
    return {"summary": "Review case", "priority": "High", "organization": org,
            "reporter": who, "created": created, "events": list(events)}  # fmt: skip


def harbor(created: str, *events: dict[str, Any]) -> dict[str, Any]:
    return ticket("Harbor Dental Group", HARBOR, created, *events)


def pinecrest(created: str, *events: dict[str, Any]) -> dict[str, Any]:
    return ticket("Pinecrest Accounting & Tax", PINECREST, created, *events)


def status(at: str, to: str) -> dict[str, Any]:
    return {"at": at, "author": AGENT, "status": to}


TICKETS = [
    # SUP-1 Harbor, October: reply after 20m (met), resolved 1h later: next update 1h (met),
    # resolution 1h20m (met)
    harbor("2026-10-05T10:00:00Z", comment("2026-10-05T10:20:00Z"),
           status("2026-10-05T11:20:00Z", "Resolved")),
    # SUP-2 Harbor, November: reply after 1h (breached, 30m over); resolved 1h30m later:
    # next update 1h30m (met); resolution 2h30m (met)
    harbor("2026-11-02T09:00:00Z", comment("2026-11-02T10:00:00Z"),
           status("2026-11-02T11:30:00Z", "Resolved")),
    # SUP-3 Harbor, November: reply after 10m (met); the next reply 3h later (next update
    # breached, 1h over); resolved at 22:00: the second cycle 11:10-22:00 = 10h50m (breached,
    # 8h50m over); resolution 14h (breached, 2h over)
    harbor("2026-11-10T08:00:00Z", comment("2026-11-10T08:10:00Z"),
           comment("2026-11-10T11:10:00Z"), status("2026-11-10T22:00:00Z", "Resolved")),
    # SUP-4 Harbor, 30 Nov 20:00, no answer: at 1 Dec 00:00 the first response is open and
    # breached (4h used, 3h30m over); resolution open, 4h of 12h (not breached)
    harbor("2026-11-30T20:00:00Z"),
    # SUP-5 Pinecrest, October: reply after 2h (breached, 1h over); resolved 1h later:
    # next update 1h (met), resolution 3h (met)
    pinecrest("2026-10-20T12:00:00Z", comment("2026-10-20T14:00:00Z"),
              status("2026-10-20T15:00:00Z", "Resolved")),
    # SUP-6 Pinecrest, from October into November: reply after 30m (met, October); waiting
    # for the customer from 12:00 (next update 1h30m used, resolution 2h), back 3 Nov 10:00;
    # reply 11:00 (next update 1h30m + 1h = 2h30m, met, November); resolved 12:00 (second
    # cycle 1h, met; resolution 2h + 2h = 4h, met, November)
    pinecrest("2026-10-30T10:00:00Z", comment("2026-10-30T10:30:00Z"),
              status("2026-10-30T12:00:00Z", "Waiting for customer"),
              status("2026-11-03T10:00:00Z", "In Progress"), comment("2026-11-03T11:00:00Z"),
              status("2026-11-03T12:00:00Z", "Resolved")),
    # SUP-7 Pinecrest, November: reply after 2h30m (breached, 1h30m over); resolved 1h30m
    # later: next update 1h30m (met), resolution 4h (met)
    pinecrest("2026-11-16T09:00:00Z", comment("2026-11-16T11:30:00Z"),
              status("2026-11-16T13:00:00Z", "Resolved")),
    # SUP-8 Pinecrest, 31 Oct 20:00: at 1 Nov 00:00 the first response is open and breached
    # (4h, 3h over); the reply 1 Nov 02:00 stops it in November (6h, 5h over); resolved
    # 03:00: next update 1h (met), resolution 7h (met)
    pinecrest("2026-10-31T20:00:00Z", comment("2026-11-01T02:00:00Z"),
              status("2026-11-01T03:00:00Z", "Resolved")),
]  # fmt: skip


@pytest.fixture
def site(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    applied_site(sandbox, monkeypatch, tmp_path / "cache")
    keys = load_tickets(sandbox, TICKETS)
    assert keys == [f"SUP-{n}" for n in range(1, 9)]
    return sandbox


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, ["sla", "report", *args], catch_exceptions=False)


def review(*args: str) -> dict[str, Any]:
    result = opskit("--period", "2026-11", "--now", NOW, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def section(doc: dict[str, Any], customer: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [s for s in doc["customers"] if s["customer"] == customer]
    assert len(found) == 1
    return found[0]


def tallies(figures: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    return {c["metric"]: (c["met"], c["breached"], c["open_breached"]) for c in figures["clocks"]}


def times(figures: dict[str, Any]) -> dict[str, tuple[Any, Any, Any]]:
    return {t["metric"]: (t["count"], t["median_seconds"], t["p90_seconds"])
            for t in figures["times"]}  # fmt: skip


def test_harbor_dental_in_november_by_hand(site: Sandbox) -> None:
    doc = review()
    # every customer of the policy has a section, those without tickets too (sorted)
    names = [s["customer"] for s in doc["customers"]]
    assert names == sorted(names) and {"harbor-dental", "pinecrest-accounting"} <= set(names)
    assert len(names) == len(set(names)) == 10  # policies/customers.yaml
    quiet = section(doc, "brightleaf-legal")["current"]
    assert (quiet["opened"], quiet["resolved"], quiet["clocks"]) == (0, 0, [])
    cur = section(doc, "harbor-dental")["current"]
    assert section(doc, "harbor-dental")["name"] == "Harbor Dental Group"
    # opened SUP-2, 3, 4; resolved SUP-2, 3
    assert (cur["opened"], cur["resolved"]) == (3, 2)
    # first response: SUP-3 met, SUP-2 breached, SUP-4 open and breached at the end;
    # next update: SUP-2 met, SUP-3's two cycles breached; resolution: SUP-2 met, SUP-3 late
    assert tallies(cur) == {"first_response": (1, 1, 1), "next_update": (1, 2, 0),
                            "resolution": (1, 1, 0)}  # fmt: skip
    assert [c["priority"] for c in cur["clocks"]] == ["P2", "P2", "P2"]
    assert [c["met_share"] for c in cur["clocks"]] == [0.5, 0.3333, 0.5]
    # first response 10m, 1h: median 35m, p90 (2nd of 2) 1h; next update 1h30m, 3h, 10h50m:
    # median 3h, p90 (3rd of 3) 10h50m; resolution 2h30m, 14h: median 8h15m, p90 14h
    assert times(cur) == {"first_response": (2, 35 * M, H), "next_update": (3, 3 * H, 650 * M),
                          "resolution": (2, 495 * M, 14 * H)}  # fmt: skip
    worst = [(w["ticket"], w["metric"], w["state"], w["over_seconds"]) for w in cur["worst"]]
    assert worst == [
        ("SUP-3", "next_update", "breached", 530 * M),  # 10h50m - 2h
        ("SUP-4", "first_response", "open", 210 * M),  # 4h - 30m
        ("SUP-3", "resolution", "breached", 2 * H),  # 14h - 12h
        ("SUP-3", "next_update", "breached", H),  # 3h - 2h
        ("SUP-2", "first_response", "breached", 30 * M),  # 1h - 30m
    ]
    assert cur["worst"][0]["url"] == f"{site.url}/browse/SUP-3"


def test_the_trend_against_october(site: Sandbox) -> None:
    doc = review()
    assert (doc["period"], doc["previous"]["label"], doc["as_of"]) == (
        {"label": "2026-11", "start": "2026-11-01T00:00:00Z", "end": "2026-12-01T00:00:00Z"},
        "2026-10", "2026-12-01T00:00:00Z")  # fmt: skip
    h = section(doc, "harbor-dental")
    # October: SUP-1 only, all met: first response 20m, next update 1h, resolution 1h20m
    assert (h["previous"]["opened"], h["previous"]["resolved"]) == (1, 1)
    assert tallies(h["previous"]) == {"first_response": (1, 0, 0), "next_update": (1, 0, 0),
                                      "resolution": (1, 0, 0)}  # fmt: skip
    t = h["trend"]
    assert (t["opened"], t["resolved"]) == (2, 1)
    assert [(c["metric"], c["met"], c["breached"], c["open_breached"], c["met_share"])
            for c in t["clocks"]] == [("first_response", 0, 1, 1, -0.5),
                                      ("next_update", 0, 2, 0, -0.6667),
                                      ("resolution", 0, 1, 0, -0.5)]  # fmt: skip
    # medians 35m - 20m, 3h - 1h, 8h15m - 1h20m; p90 1h - 20m, 10h50m - 1h, 14h - 1h20m
    assert [(x["median_seconds"], x["p90_seconds"]) for x in t["times"]] == [
        (15 * M, 40 * M), (2 * H, 590 * M), (415 * M, 760 * M)]  # fmt: skip
    p = section(doc, "pinecrest-accounting")
    # October: opened SUP-5, 6, 8; resolved SUP-5; first response SUP-6 met, SUP-5 late,
    # SUP-8 open and breached at 1 Nov 00:00; SUP-5's next update and resolution met
    assert (p["previous"]["opened"], p["previous"]["resolved"]) == (3, 1)
    assert tallies(p["previous"]) == {"first_response": (1, 1, 1), "next_update": (1, 0, 0),
                                      "resolution": (1, 0, 0)}  # fmt: skip
    assert [(w["ticket"], w["state"], w["over_seconds"]) for w in p["previous"]["worst"]] == [
        ("SUP-8", "open", 3 * H), ("SUP-5", "breached", H)]  # fmt: skip
    # November: opened SUP-7; resolved SUP-6, 7, 8; first response SUP-7 and SUP-8 late;
    # next update SUP-6 (two cycles), SUP-7, SUP-8 met; resolution SUP-6, 7, 8 met
    assert (p["current"]["opened"], p["current"]["resolved"]) == (1, 3)
    assert tallies(p["current"]) == {"first_response": (0, 2, 0), "next_update": (4, 0, 0),
                                     "resolution": (3, 0, 0)}  # fmt: skip
    # first response 2h30m, 6h: median 4h15m, p90 6h; next update 1h, 1h, 1h30m, 2h30m:
    # median 1h15m, p90 (4th of 4) 2h30m; resolution 4h, 4h, 7h: median 4h, p90 7h
    assert times(p["current"]) == {"first_response": (2, 255 * M, 6 * H),
                                   "next_update": (4, 75 * M, 150 * M),
                                   "resolution": (3, 4 * H, 7 * H)}  # fmt: skip
    assert (p["trend"]["opened"], p["trend"]["resolved"]) == (-2, 2)
    assert [(c["met"], c["breached"], c["open_breached"], c["met_share"])
            for c in p["trend"]["clocks"]] == [(-1, 1, -1, -0.5), (3, 0, 0, 0.0),
                                               (2, 0, 0, 0.0)]  # fmt: skip


def test_the_desk_is_the_sum_of_the_customers(site: Sandbox) -> None:
    doc = review()
    for when in ("current", "previous"):
        desk = doc["desk"][when]
        parts = [s[when] for s in doc["customers"]]
        for name in ("opened", "resolved"):
            assert desk[name] == sum(p[name] for p in parts)
        for metric, counts in tallies(desk).items():
            assert counts == tuple(
                sum(tallies(p).get(metric, (0, 0, 0))[i] for p in parts) for i in range(3)
            )
        assert sum(t["count"] for t in desk["times"]) == sum(
            t["count"] for p in parts for t in p["times"]
        )
    cur = doc["desk"]["current"]
    assert (cur["opened"], cur["resolved"]) == (4, 5)
    # desk first responses 10m, 1h, 2h30m, 6h: median 1h45m, p90 (4th of 4) 6h
    assert times(cur)["first_response"] == (4, 105 * M, 6 * H)
    assert [w["ticket"] for w in cur["worst"]] == ["SUP-3", "SUP-8", "SUP-4", "SUP-3", "SUP-7"]
    assert doc["untracked"] == 0


def test_one_customer(site: Sandbox) -> None:
    doc = review("--customer", "pinecrest-accounting")
    assert [s["customer"] for s in doc["customers"]] == ["pinecrest-accounting"]
    assert doc["desk"]["current"] == doc["customers"][0]["current"]


def test_the_json_shape(site: Sandbox) -> None:
    doc = review()
    assert set(doc) == {"version", "period", "previous", "history", "as_of", "scope",
                        "untracked", "availability_measured", "to_call", "customers", "desk"}  # fmt: skip
    assert [p["label"] for p in doc["history"]] == [f"2025-{m:02d}" for m in (12,)] + [
        f"2026-{m:02d}" for m in range(1, 12)]  # fmt: skip
    assert doc["version"] == 1
    assert doc["scope"].startswith("(project in (SUP, OPS)) AND created < ")
    for s in [*doc["customers"], doc["desk"]]:
        assert set(s) == {"customer", "name", "current", "previous", "trend", "history",
                          "availability", "signals"}  # fmt: skip
        assert [h["period"] for h in s["history"]] == [p["label"] for p in doc["history"]]
        for figures in (s["current"], s["previous"]):
            assert set(figures) == {"opened", "resolved", "clocks", "times", "worst",
                                    "satisfaction"}  # fmt: skip
            for c in figures["clocks"]:
                assert set(c) == {"metric", "priority", "met", "breached", "met_share",
                                  "open_breached"}  # fmt: skip
            assert [t["metric"] for t in figures["times"]] == [
                "first_response", "next_update", "resolution"]  # fmt: skip
            for w in figures["worst"]:
                assert set(w) == {"ticket", "url", "metric", "priority", "state", "over_seconds"}
                assert w["state"] in {"breached", "open"}
            assert len(figures["worst"]) <= 5
        assert set(s["trend"]) == {"opened", "resolved", "clocks", "times"}


def test_markdown_tables(site: Sandbox) -> None:
    result = opskit("--period", "2026-11", "--now", NOW)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# Service review 2026-11\n")
    assert "## Harbor Dental Group (harbor-dental)" in out and "## Whole desk" in out
    assert "Tickets opened: 3 (+2 vs 2026-10); resolved: 2 (+1)." in out
    assert "| First response | P2 | 1 | 1 | 50.0% | 1 | ±0 | +1 | -50.0 pp | +1 |" in out
    assert "| Next update | P2 | 1 | 2 | 33.3% | 0 | ±0 | +2 | -66.7 pp | ±0 |" in out
    assert "| Next update | 3 | 3h | 10h50m | +2h | +9h50m |" in out
    assert "| Resolution | 2 | 8h15m | 14h | +6h55m | +12h40m |" in out
    assert (f"- [SUP-3]({site.url}/browse/SUP-3): next update, P2, 8h50m over target "
            "(stopped late)") in out  # fmt: skip
    assert "SUP-4" in out and "still open at the end" in out
    assert TOKEN not in out and "anna@" not in out


def test_an_iso_week(site: Sandbox) -> None:
    result = opskit("--period", "2026-W46", "--now", NOW, "-f", "json")  # 9-16 Nov
    doc = json.loads(result.stdout)
    assert doc["period"]["start"] == "2026-11-09T00:00:00Z" and doc["previous"]["label"] == (
        "2026-W45"
    )
    h = section(doc, "harbor-dental")
    assert (h["current"]["opened"], h["previous"]["opened"]) == (1, 1)  # SUP-3; SUP-2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-11", "--customer", "harbour-dental"], "no customer 'harbour-dental'"),
        (["--period", "2026-13"], "--period: '2026-13' is not a month"),
        (["--period", "November"], "--period: 'November' is not a month"),
        (["--period", "2026-W54"], "--period"),
        (["--period", "2027-01", "--now", NOW], "has not begun"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(site: Sandbox, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["sla", "report", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert result.stderr.count("\n") == 1


def test_a_real_process(site: Sandbox, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "opskit", "sla", "report", "--period", "2026-11", "--now", NOW,
         "--format", "json"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
        env={**os.environ, **env(site, tmp_path / "process-cache")},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert section(doc, "harbor-dental")["current"]["opened"] == 3
    assert TOKEN not in run.stdout + run.stderr


def test_html_scratch(site: Sandbox, tmp_path: Path) -> None:
    out = Path("/tmp/review.html")
    result = opskit("--period", "2026-11", "--now", NOW, "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
