"""A run whose steps act on PagerDuty, Jira and an HTTP server, killed with SIGKILL after
every journal entry and at seeded random moments, then resumed: each effect happens once
in the target, and the journal loses and repeats nothing.

The kills at boundaries are exact (OPSKIT_PLAYBOOK_PAUSE_AFTER=N: the runner kills itself
right after fsyncing entry N); the random ones land anywhere, inside a request included.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from opskit.playbooks.journal import read_events
from opskit.playbooks.runs import summarize
from opskit.playbooks.steps.jira import marker
from opskit.sandbox import Sandbox
from opskit.sandbox.pytest_plugin import *  # noqa: F403
from tests.playbooks.kinds_helpers import Received, loopback
from tests.sla.enforce_helpers import Site, make_site
from tests.sla.site import admin, copy_example

SEED = 20261203
STEPS = ("page", "ticket", "comment", "status", "resolve", "progress")


def effects_playbook(url: str) -> dict[str, Any]:
    return {
        "kind": "Playbook", "name": "effects", "title": "Every kind of effect",
        "steps": [
            {"id": "page", "kind": "page", "action": "trigger", "service": "storage-api",
             "summary": "Storage down"},
            {"id": "ticket", "kind": "jira", "action": "create", "project": "OPS",
             "summary": "Storage down", "priority": "P1"},
            {"id": "comment", "kind": "jira", "action": "comment", "body": "Investigating."},
            {"id": "status", "kind": "http", "method": "POST", "url": f"{url}/incidents",
             "json": {"status": "investigating"}, "idempotent": True},
            {"id": "resolve", "kind": "page", "action": "resolve", "service": "storage-api",
             "of": "page"},
            {"id": "progress", "kind": "jira", "action": "transition", "transition": "In Progress"},
        ],
    }  # fmt: skip


class Drill:
    def __init__(self, site: Site, root: Path, runs: Path, received: Received) -> None:
        self.site, self.root, self.runs, self.received = site, root, runs, received

    def env(self, pause: int | None) -> dict[str, str]:
        env = {**os.environ, "OPSKIT_RUNS_DIR": str(self.runs), "NO_COLOR": "1"}
        env.pop("OPSKIT_PLAYBOOK_PAUSE_AFTER", None)
        if pause is not None:
            env["OPSKIT_PLAYBOOK_PAUSE_AFTER"] = str(pause)
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "opskit", "playbook", *args, "--yes"]

    def new_runs(self, before: set[str]) -> list[str]:
        return [f.name for f in self.runs.iterdir() if f.name not in before
                and read_events(f / "journal.jsonl")] if self.runs.exists() else []  # fmt: skip

    def start(self, *, pause: int | None = None) -> str:
        """A new run, killed by itself after journal entry `pause` (None: not killed)."""
        done = subprocess.run(self.command("run", "effects"), cwd=self.root,
                              env=self.env(pause), capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip
        first = done.stdout.splitlines()[0] if done.stdout else ""
        assert first.startswith("run "), done.stderr
        return first.removeprefix("run ")

    def start_killed_at(self, delay: float) -> str | None:
        """A new run, killed from outside after `delay` seconds; its id (None: killed before
        its first entry). Only one such run at a time: it is found by its folder."""
        before = {f.name for f in self.runs.iterdir()} if self.runs.exists() else set()
        process = subprocess.Popen(self.command("run", "effects"), cwd=self.root,
                                   env=self.env(None), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        started = self.new_runs(before)
        assert len(started) <= 1
        return started[0] if started else None

    def finish(self, run_id: str) -> None:
        for _ in range(4):
            if summarize(self.runs / run_id).state == "finished":
                return
            done = subprocess.run(self.command("resume", run_id), cwd=self.root,
                                  env=self.env(None), capture_output=True, text=True,
                                  timeout=120, check=False)  # fmt: skip
            assert done.returncode in (0, 1), done.stderr
        assert summarize(self.runs / run_id).state == "finished"

    def check(self, run_id: str) -> None:
        events = read_events(self.runs / run_id / "journal.jsonl")
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        finished = Counter(e["step"] for e in events if e["event"] == "step.finished")
        assert finished == Counter(STEPS), finished
        assert [e["event"] for e in events].count("run.finished") == 1
        mark = {step: f"opskit-{run_id}-{step}".lower() for step in STEPS}
        # PagerDuty: one incident, resolved
        incidents = [i for i in self.site.pd.iter_all("incidents", params={"date_range": "all"})
                     if i.get("incident_key") == mark["page"]]  # fmt: skip
        assert [i["status"] for i in incidents] == ["resolved"]
        # Jira: one issue, one comment, moved
        found = admin(self.site.sandbox, "POST", "/rest/api/3/search/jql",
                      {"jql": f'labels = "{mark["ticket"]}"', "fields": ["status"]}).json()  # fmt: skip
        [issue] = found["issues"]
        comments = [c for c in self.site.comments(issue["key"]) if marker(mark["comment"]) in c["body"]]
        assert len(comments) == 1
        assert self.site.issue(issue["key"])["fields"]["status"]["name"] == "In Progress"
        # HTTP: one key for this run (an idempotent resend carries the same key)
        keys = [k for k in self.received.keys if run_id.lower() in k]
        assert keys == [mark["status"]]


@pytest.fixture
def drill(sandbox: Sandbox, sandbox_contract: Any, monkeypatch: pytest.MonkeyPatch,
          tmp_path: Path) -> Iterator[Drill]:  # fmt: skip
    site = make_site(sandbox, monkeypatch, tmp_path / "cache")
    root = copy_example(tmp_path / "repo")
    with loopback() as (url, received):
        text = yaml.safe_dump(effects_playbook(url), sort_keys=False)
        (root / "playbooks" / "effects.yaml").write_text(text)
        yield Drill(site, root, tmp_path / "runs", received)
    problems = sandbox_contract.problems()
    assert not problems, "sandbox traffic breaks the vendor contract:\n  " + "\n  ".join(
        problems[:10]
    )


def test_killed_after_every_entry_and_at_random_each_effect_happens_once(drill: Drill) -> None:
    clean = drill.start()
    drill.check(clean)
    entries = len(read_events(drill.runs / clean / "journal.jsonl"))
    assert entries == 2 + 2 * len(STEPS)

    def killed_at(boundary: int) -> None:
        run_id = drill.start(pause=boundary)
        assert len(read_events(drill.runs / run_id / "journal.jsonl")) == boundary
        drill.finish(run_id)
        drill.check(run_id)

    # runs are independent (their own ids and marks): two at a time
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(killed_at, range(1, entries)))
    rng = random.Random(SEED)
    for _ in range(4):
        run_id = drill.start_killed_at(rng.uniform(0.3, 2.5))
        if run_id is None:
            continue  # killed before the run began: nothing happened, nothing to resume
        drill.finish(run_id)
        drill.check(run_id)
