"""`opskit sla enforce` as users run it: tickets with real histories, read by the SLA engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from opskit.cli.sla.enforce import enforce
from opskit.sandbox import Sandbox
from opskit.sla.enforce.markers import marker_of
from tests.sla.enforce_helpers import HARBOR, REPO, Site, gate, make_site, pd_env, writes
from tests.sla.site import env

NOW = "2026-12-01T16:00:00Z"
# A Premium P3 on storage-api with no answer for 3h: its 2h first response is breached.
SILENT = {"summary": "Bucket listing times out", "priority": "Medium",
          "organization": "Harbor Dental Group", "components": ["Storage API"],
          "reporter": HARBOR, "created": "2026-12-01T13:00:00+00:00", "events": []}  # fmt: skip


@pytest.fixture
def site(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Site:
    return make_site(sandbox, monkeypatch, tmp_path / "cache")


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["sla", "enforce", "--now", NOW, *args])


def test_dry_run_then_run_then_nothing(site: Site) -> None:
    key = site.new_ticket(**SILENT)
    mark = len(site.sandbox.log.snapshot())
    dry = run("--dry-run")
    assert dry.exit_code == 1, dry.output
    assert f"{key} first_response breached" in dry.output
    assert "+ page PagerDuty service storage-api" in dry.output
    assert writes(site.sandbox, mark) == []

    done = run("--format", "json")
    assert done.exit_code == 0, done.output
    document = json.loads(done.output)
    [entry] = [c for c in document["clocks"] if c["ticket"] == key]
    assert entry["metric"] == "first_response" and entry["state"] == "breached"
    assert {a["status"] for a in entry["actions"]} == {"done"}
    assert site.issue(key)["fields"]["priority"]["name"] == "High"
    assert secret_free(site, done.output)

    mark = len(site.sandbox.log.snapshot())
    again = run()
    assert again.exit_code == 0, again.output
    assert writes(site.sandbox, mark) == []


def secret_free(site: Site, output: str) -> bool:
    """Neither the REST token nor any routing key is printed."""
    keys = [i["integration_key"]
            for svc in site.pd.iter_all("services", params={"include[]": ["integrations"]})
            for i in svc["integrations"]]  # fmt: skip
    assert keys
    return all(secret not in output for secret in [os.environ["PAGERDUTY_API_KEY"], *keys])


def test_the_command_runs_alone(site: Site) -> None:
    site.new_ticket(**SILENT)
    alone = CliRunner().invoke(enforce, ["--now", NOW, "--dry-run"], standalone_mode=False)
    assert alone.exception is None and alone.return_value == 1


def test_a_refusal_midway_is_one_line_and_a_report(site: Site) -> None:
    key = site.new_ticket(**SILENT)
    door = gate(site.sandbox)
    door.allowed = 2  # the raise's record and the label; then Jira and PagerDuty answer 503
    broken = run()
    door.open()
    assert broken.exit_code == 3
    assert "Traceback" not in broken.output
    errors = [line for line in broken.output.splitlines() if line.startswith("opskit: error:")]
    assert len(errors) == 1 and "action(s) failed" in errors[0]
    assert "+ label sla-breached  (done)" in broken.output
    assert "x priority P3 -> P2  (FAILED: PUT /issue/" in broken.output
    assert "(not tried: an earlier step failed)" in broken.output
    fixed = run()
    assert fixed.exit_code == 0, fixed.output
    assert "= label sla-breached  (already done)" in fixed.output
    assert site.issue(key)["fields"]["priority"]["name"] == "High"


def test_two_processes_at_once_leave_one_comment_each(site: Site, tmp_path: Path) -> None:
    key = site.new_ticket(**SILENT)
    environ = {**os.environ, **env(site.sandbox, tmp_path / "cache"), **pd_env(site.sandbox),
               "OPSKIT_RETRY_BASE_SECONDS": "0.01"}  # fmt: skip
    command = [sys.executable, "-m", "opskit", "sla", "enforce", "--now", NOW, "--no-cache"]
    procs = [subprocess.Popen(command, cwd=REPO, env=environ, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(2)]  # fmt: skip
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    markers = [marker_of(c["body"]) for c in site.comments(key)]
    assert None not in markers and len(markers) == len(set(markers)) == 2
    assert len([i for i in site.incidents() if key in i["incident_key"]]) == 1
    assert site.issue(key)["fields"]["priority"]["name"] == "High"


def test_more_tickets_than_max_issues_stop_before_anything_is_done(site: Site) -> None:
    for _ in range(2):
        site.new_ticket(**SILENT)
    mark = len(site.sandbox.log.snapshot())
    bounded = run("--max-issues", "1")
    assert bounded.exit_code == 3, bounded.output  # as for any query Jira answers too big
    assert "more than 1 issues match; narrow --jql or raise --max-issues" in bounded.output
    assert writes(site.sandbox, mark) == []
