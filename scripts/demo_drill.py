"""The incident drill of `make demo`: run p1-major-incident against the sandbox, let the
on-call responder acknowledge the page, kill the run with SIGKILL in the middle, resume it,
and write its postmortem."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

Step = Callable[..., None]
WAITING = "next-update (wait)"  # the step the run is killed in


def _lines_until(process: subprocess.Popen[str], wanted: str, seconds: float) -> str:
    """Echo the run's output until `wanted` shows (bounded), and return it."""
    assert process.stdout is not None
    seen, deadline = "", time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while wanted not in seen and (left := deadline - time.monotonic()) > 0:
            if not selector.select(left):
                break
            line = process.stdout.readline()
            if not line:
                break
            print(line, end="", flush=True)
            seen += line
    return seen


def _acknowledge(url: str, ca: str, dedup_key: str) -> str:
    """What the responder does on their phone: acknowledge the incident, as themselves."""
    import requests

    headers = {"Authorization": "Token token=demo-token",
               "Accept": "application/vnd.pagerduty+json;version=2"}  # fmt: skip
    found = requests.get(f"{url}/incidents", params={"incident_key": dedup_key},
                         headers=headers, verify=ca, timeout=30).json()["incidents"]  # fmt: skip
    incident = found[0]
    assignees = [a["assignee"]["id"] for a in incident.get("assignments") or []]
    if not assignees:
        return "nobody: the incident has no assignee"
    user = requests.get(f"{url}/users/{assignees[0]}", headers=headers, verify=ca,
                        timeout=30).json()["user"]  # fmt: skip
    answer = requests.put(f"{url}/incidents/{incident['id']}",
                          json={"incident": {"type": "incident", "status": "acknowledged"}},
                          headers={**headers, "From": user["email"]}, verify=ca, timeout=30)  # fmt: skip
    answer.raise_for_status()
    return str(user["name"])


def incident_drill(step: Step, env: dict[str, str], folder: Path, output: Path, repo: Path,
                   url: str, ca: str) -> list[Path]:  # fmt: skip
    env = {**env, "OPSKIT_RUNS_DIR": str(folder / "runs")}
    command = ["playbook", "run", "p1-major-incident", "--service", "storage-api", "--yes"]
    print("\n\033[1m== Incident drill: a P1 on storage-api, run from the playbook\033[0m\n"
          f"$ opskit {' '.join(command)}", flush=True)  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "opskit", *command], cwd=repo, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        shown = _lines_until(process, WAITING, 120)
        if WAITING not in shown:
            raise SystemExit("demo: the drill never reached its wait step")
        run_id = next(line.removeprefix("run ").strip() for line in shown.splitlines()
                      if line.startswith("run "))  # fmt: skip
        who = _acknowledge(url, ca, f"opskit-{run_id}-page-service".lower())
        print(f"\n(the responder on call, {who}, acknowledges the page on their phone)")
        os.kill(process.pid, signal.SIGKILL)
        print("(and the laptop running the playbook dies: kill -9)", flush=True)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    step("Where the runs stand: interrupted in the wait", "playbook", "status", env=env)
    answers = folder / "drill-answers.yaml"
    answers.write_text("# a drill: end the 30-minute wait now, and the service is back\n"
                       "next-update: end\nresolved: resolved\n")  # fmt: skip
    step("Resume it where it stopped: nothing is paged or posted twice",
         "playbook", "resume", run_id, "--yes", "--answers", str(answers), env=env)  # fmt: skip
    written = [output / "postmortem-p1-major-incident.md", output / "postmortem-p1-major-incident.html"]
    step("The postmortem: timeline, who was paged and acknowledged, Jira links",
         "playbook", "postmortem", run_id, "--output", str(written[0]), env=env)  # fmt: skip
    step("The same as a page", "playbook", "postmortem", run_id, "--format", "html",
         "--output", str(written[1]), env=env)  # fmt: skip
    return written


