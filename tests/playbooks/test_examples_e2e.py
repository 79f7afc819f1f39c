"""The example playbooks run end to end against the sandbox, as a new user runs them: in a
real process, answered by a drill's answers file; p1-major-incident is killed with SIGKILL
in its wait, resumed, and written up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from opskit.playbooks.journal import read_events
from opskit.sandbox import Sandbox
from opskit.sandbox.pytest_plugin import *  # noqa: F403
from tests.sla.enforce_helpers import Site, make_site
from tests.sla.site import copy_example


@pytest.fixture
def site(sandbox: Sandbox, sandbox_contract: Any, monkeypatch: pytest.MonkeyPatch,
         tmp_path: Path) -> Iterator[tuple[Site, Path]]:  # fmt: skip
    found = make_site(sandbox, monkeypatch, tmp_path / "cache")
    root = copy_example(tmp_path / "repo")
    monkeypatch.setenv("OPSKIT_RUNS_DIR", str(tmp_path / "runs"))
    yield found, root
    problems = sandbox_contract.problems()
    assert not problems, "sandbox traffic breaks the vendor contract:\n  " + "\n  ".join(
        problems[:10]
    )


def opskit(root: Path, *args: str, answers: dict[str, Any] | None = None) -> Any:
    if answers is not None:
        (root / "answers.yaml").write_text(yaml.safe_dump(answers))
        args = (*args, "--answers", "answers.yaml")
    return subprocess.run([sys.executable, "-m", "opskit", *args], cwd=root, text=True,
                          capture_output=True, timeout=120, check=False,
                          env={**os.environ, "NO_COLOR": "1"})  # fmt: skip


def finished_steps(root: Path, run_id: str) -> list[str]:
    events = read_events(Path(os.environ["OPSKIT_RUNS_DIR"]) / run_id / "journal.jsonl")
    assert events[-1]["event"] == "run.finished"
    return [e["step"] for e in events if e["event"] in ("step.finished", "step.skipped")]


def test_storage_outage_one_region(site: tuple[Site, Path]) -> None:
    found, root = site
    ticket = found.new_ticket()
    production_only = ("cluster-health", "gateway-health", "status-page", "failover-plan",
                       "failover", "status-page-resolved")  # fmt: skip
    drill: dict[str, Any] = dict.fromkeys(production_only, "drill-skip")
    drill.update({"scope": "one-region", "observe": "end", "recovered": "recovered"})
    done = opskit(root, "playbook", "run", "storage-outage", "--service", "storage-api",
                  "--ticket", ticket, "--yes", answers=drill)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    run_id = done.stdout.splitlines()[0].removeprefix("run ")
    steps = finished_steps(root, run_id)
    assert "declare-major" not in steps and "stand-down-major" in steps  # skipped: when
    assert "skipped by the answers file (drill)" in done.stdout
    assert list(found.pd.iter_all("incidents")) == []  # one region: nobody was paged


def test_customer_escalation(site: tuple[Site, Path]) -> None:
    found, root = site
    ticket = found.new_ticket()
    drill = {"sla-at-risk": "drill-skip", "severity": "other", "next-update": "end",
             "resolved": "solved"}  # fmt: skip
    done = opskit(root, "playbook", "run", "customer-escalation", "--ticket", ticket,
                  "--customer", "harbor-dental", "--yes", answers=drill)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    run_id = done.stdout.splitlines()[0].removeprefix("run ")
    assert "close-out" in finished_steps(root, run_id)
    assert any("opskit playbook" in c["body"] for c in found.comments(ticket))


def test_the_p1_drill_run_killed_resumed_and_written_up(site: tuple[Site, Path]) -> None:
    found, root = site
    command = [sys.executable, "-m", "opskit", "playbook", "run", "p1-major-incident",
               "--service", "storage-api", "--yes"]  # fmt: skip
    process = subprocess.Popen(command, cwd=root, text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"})  # fmt: skip
    guard = threading.Timer(120, process.kill)  # the wait is 30 minutes: never that long
    guard.start()
    try:
        assert process.stdout is not None
        shown = ""
        while "next-update (wait)" not in shown and (line := process.stdout.readline()):
            shown += line
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        guard.cancel()
    assert "next-update (wait)" in shown, shown
    run_id = shown.splitlines()[0].removeprefix("run ")
    status = opskit(root, "playbook", "status")
    assert f"{run_id}  p1-major-incident" in status.stdout and "interrupted at next-update" in status.stdout
    resumed = opskit(root, "playbook", "resume", run_id, "--yes",
                     answers={"next-update": "end", "resolved": "resolved"})  # fmt: skip
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    incidents = [i for i in found.pd.iter_all("incidents", params={"date_range": "all"})
                 if run_id.lower() in str(i.get("incident_key"))]  # fmt: skip
    assert sorted(i["status"] for i in incidents) == ["resolved", "resolved"]  # page + commander
    postmortem = opskit(root, "playbook", "postmortem", run_id)
    out = postmortem.stdout
    assert postmortem.returncode == 0 and out.startswith("# Postmortem: P1 major incident")
    assert "- Final state: finished" in out and "| step.finished | next-update |" in out
    assert "assigned: Anna\n  - " in out and "notified: Anna" in out and "resolved: " in out
    assert "- [OPS-" in out and "create (open-incident), comment (record-customers)" in out
