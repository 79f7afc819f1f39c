"""opskit playbook postmortem: the write-up of a run, from its journal alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.playbooks.drill import DRILL, invoke

BERLIN = """\
kind: Calendar
name: berlin
timezone: Europe/Berlin
working_hours:
  monday: ["09:00-17:00"]
---
kind: Service
name: web
team: ops
ladder: main
tier: Gold
support_hours: berlin
"""
RUN_ID = "20261202T031500Z-outage-7f3a"


@pytest.fixture
def repo(make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_repo(DRILL)
    (root / "policies" / "berlin.yaml").write_text(BERLIN)
    monkeypatch.chdir(root)
    return root


def write_journal(runs: Path, entries: list[dict[str, Any]], run_id: str = RUN_ID) -> str:
    folder = runs / run_id
    folder.mkdir(parents=True)
    lines = [
        json.dumps({"seq": n, "at": at, "event": event, **fields})
        for n, (at, event, fields) in enumerate(
            ((e.pop("at"), e.pop("event"), e) for e in entries), 1
        )
    ]
    (folder / "journal.jsonl").write_text("\n".join(lines) + "\n")
    return run_id


def outage(note: str = "disk full on db-2") -> list[dict[str, Any]]:
    def step(at: str, sid: str, kind: str, outputs: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"at": at, "event": "step.started", "step": sid, "kind": kind, "attempt": 1,
             "in_flight": False},
            {"at": at, "event": "step.finished", "step": sid, "attempt": 1, "outcome": "done",
             "outputs": outputs, "adopted": False, "message": "", "next": None},
        ]  # fmt: skip

    return [
        {"at": "2026-12-02T03:15:00.000Z", "event": "run.started", "playbook": "outage",
         "title": "Web outage", "inputs": {"service": "web", "ticket": "OPS-7"},
         "user": "ada"},
        *step("2026-12-02T03:16:00.000Z", "page-web", "page",
              {"service": "web", "action": "trigger", "dedup_key": "opskit-x-page-web",
               "incident_id": "PX1", "incident_number": 42,
               "incident_url": "https://acme.pagerduty.com/incidents/PX1",
               "status": "triggered"}),
        *step("2026-12-02T03:17:00.000Z", "tell", "notify",
              {"service": "web", "action": "trigger", "dedup_key": "opskit-x-tell",
               "on_call": ["Ada Lovelace", "Grace Hopper"], "ladder": "main"}),
        *step("2026-12-02T03:20:00.000Z", "ack", "page",
              {"service": "web", "action": "acknowledge", "dedup_key": "opskit-x-page-web",
               "status": "acknowledged"}),
        *step("2026-12-02T03:21:00.000Z", "ticket", "jira",
              {"action": "create", "key": "OPS-99", "id": "10099",
               "url": "https://acme.atlassian.net/browse/OPS-99"}),
        *step("2026-12-02T03:22:00.000Z", "clocks", "sla",
              {"ticket": "OPS-7", "tier": "Gold", "priority": "P1",
               "clocks": {"first_response": {"state": "met", "remaining": 600,
                                             "deadline": None},
                          "resolution": {"state": "running", "remaining": 9000,
                                         "deadline": "2026-12-02T07:15:00Z"}}}),
        {"at": "2026-12-02T03:23:00.000Z", "event": "step.started", "step": "fix",
         "kind": "manual", "attempt": 1, "in_flight": False},
        {"at": "2026-12-02T03:24:00.000Z", "event": "step.answer", "step": "fix",
         "question": "Restart db-2", "answer": False},
        {"at": "2026-12-02T03:24:30.000Z", "event": "step.note", "step": "fix", "text": note},
        {"at": "2026-12-02T03:25:00.000Z", "event": "step.failed", "step": "fix", "attempt": 1,
         "message": "a checklist item was not done", "in_doubt": False},
    ]  # fmt: skip


def test_a_run_of_the_drill_written_up(repo: Path, runs: Path) -> None:
    (repo / "answers.yaml").write_text("scope: all\ncheck: {note: seen it}\n")
    code, out, err = invoke(
        "run", "drill", "--service", "api", "--yes", "--answers", "answers.yaml"
    )
    assert code == 0, err
    run_id = out.splitlines()[0].removeprefix("run ")
    code, out, err = invoke("postmortem", run_id)
    assert code == 0, err
    assert out.startswith("# Postmortem: A drill\n")
    assert f"- Run: `{run_id}`" in out and "- Inputs: service=api" in out
    assert "- Final state: finished" in out and "- Duration: " in out
    # api: a 24x7 service with no rotation: UTC, in one column
    assert "| # | UTC | Event | Step | Detail |" in out and "- Times: UTC\n" in out
    assert "- **probe** (run): done" in out
    assert "- **scope** (decide): done" in out and "  - Where? → all" in out
    assert "  - Note: seen it" in out
    assert "Nobody was paged by this run." in out and "No Jira issue was touched." in out
    assert "## Open follow-ups\n\n- [ ] Note on check: seen it\n" in out


def test_a_stopped_run_lists_the_steps_not_reached(repo: Path) -> None:
    code, out, _ = invoke("run", "drill", "--service", "api", "--yes")
    assert code == 1
    run_id = out.splitlines()[0].removeprefix("run ")
    code, out, err = invoke("postmortem", run_id, "--zone", "Asia/Tokyo")
    assert code == 0, err
    assert "- Final state: failed" in out and "| Asia/Tokyo |" in out and " JST |" in out
    assert "- [ ] Step scope failed: Where? needs an answer" in out
    assert "- [ ] Step last was not reached" in out


def test_pages_sla_jira_and_follow_ups_in_the_services_zone(repo: Path, runs: Path) -> None:
    run_id = write_journal(runs, outage())
    code, out, err = invoke("postmortem", run_id)
    assert code == 0, err
    assert "- Run by: ada" in out and "- Inputs: service=web, ticket=OPS-7" in out
    assert "- Started: 2026-12-02 03:15:00Z (2026-12-02 04:15:00 CET)" in out
    assert "- Ended: 2026-12-02 03:25:00Z (2026-12-02 04:25:00 CET)" in out
    assert "- Duration: 10m 0s" in out and "- Final state: failed" in out
    assert "| # | UTC | Europe/Berlin | Event | Step | Detail |" in out
    assert "| 1 | 2026-12-02 03:15:00Z | 2026-12-02 04:15:00 CET | run.started |" in out
    assert (
        "- 2026-12-02 03:16:00Z (2026-12-02 04:16:00 CET) page-web: trigger on web; "
        "incident #42 https://acme.pagerduty.com/incidents/PX1; "
        "dedup key `opskit-x-page-web`; status then triggered"
    ) in out
    assert (
        "tell: trigger on web; dedup key `opskit-x-tell`; on call: Ada Lovelace, Grace Hopper"
        in out
    )
    # no credentials here: the journal alone, and the postmortem says what it could not read
    assert "- Note: PagerDuty was not read (PAGERDUTY_API_KEY is not set)" in out
    assert "- Note: Jira was not read (JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN not set)" in out
    assert "Acknowledgements were not read from PagerDuty (see the notes above)." in out
    assert "- OPS-7 (tier Gold, P1), during the run (step clocks)" in out
    assert "  - first_response: met, remaining 10m" in out
    assert (
        "  - resolution: running, remaining 2h30m, deadline 2026-12-02 07:15:00Z "
        "(2026-12-02 08:15:00 CET)"
    ) in out
    assert "- [OPS-99](https://acme.atlassian.net/browse/OPS-99): create (ticket)" in out
    assert "- **fix** (manual): failed: a checklist item was not done" in out
    followups = out.split("## Open follow-ups\n\n")[1].splitlines()
    assert followups == [
        "- [ ] Step fix failed: a checklist item was not done",
        "- [ ] Note on fix: disk full on db-2",
        "- [ ] Not done (fix): Restart db-2",
    ]
    code, out, _ = invoke("postmortem", run_id, "--zone", "UTC", "--offline")
    assert "- Started: 2026-12-02 03:15:00Z\n" in out and "CET" not in out
    assert "| 1 | 2026-12-02 03:15:00Z | run.started |" in out and "- Note: PagerDuty" not in out


def test_no_policy_means_utc(tmp_path: Path, runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_id = write_journal(runs, outage()[:1])
    code, out, err = invoke("postmortem", run_id)
    assert code == 0, err
    assert "| # | UTC | Event |" in out and "- Final state: interrupted" in out


def test_html_is_escaped_and_written_atomically(repo: Path, runs: Path) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    run_id = write_journal(runs, outage(note=hostile))
    target = repo / "out" / "pm.html"
    code, out, err = invoke("postmortem", run_id, "--format", "html", "--output", str(target))
    assert code == 0, err
    assert out == ""
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert '<a href="https://acme.atlassian.net/browse/OPS-99">OPS-99</a>' in page
    assert "2026-12-02 04:15:00 CET" in page and "Ada Lovelace, Grace Hopper" in page
    assert not list(target.parent.glob("*.tmp"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["postmortem", "20261202T031500Z-drill-0000"], "no run '20261202T031500Z-drill-0000'"),
        (["postmortem", RUN_ID, "--zone", "Mars/Base"], "--zone: unknown time zone 'Mars/Base'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(repo: Path, args: list[str], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert err.startswith(f"opskit: error: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err
