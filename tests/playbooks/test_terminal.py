"""The runner on a real terminal (a pseudo-terminal): Ctrl-C ends a wait, not the run."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from opskit.playbooks.journal import read_events

WAIT_PLAYBOOK = {
    "name": "hold",
    "steps": [
        {"id": "hold", "kind": "wait", "duration": "10m"},
        {"id": "after", "kind": "run", "argv": [sys.executable, "-c", "print('after the wait')"],
         "timeout": "30s"},
    ],
}  # fmt: skip


def read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    """What the terminal shows until `wanted` appears (or the time is up, or it closes)."""
    seen, deadline = b"", time.monotonic() + seconds
    while wanted not in seen and (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_ctrl_c_on_a_terminal_ends_the_wait_and_the_run_goes_on(
    make_repo: Callable[..., Path], runs: Path
) -> None:
    root = make_repo(WAIT_PLAYBOOK)
    controller, terminal = os.openpty()
    env = {**os.environ, "OPSKIT_RUNS_DIR": str(runs), "COLUMNS": "100", "TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "opskit", "playbook", "run", "hold", "--yes"],
        cwd=root, env=env, stdin=terminal, stdout=terminal, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    try:
        shown = read_until(controller, b"waiting until", 60)
        assert b"waiting until" in shown, shown.decode(errors="replace")
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        shown += read_until(controller, b"finished", 60)
        assert process.wait(timeout=60) == 0, shown.decode(errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    [folder] = list(runs.iterdir())
    events = read_events(folder / "journal.jsonl")
    finished = {e["step"]: e for e in events if e["event"] == "step.finished"}
    assert finished["hold"]["outputs"]["ended_early"] is True
    assert finished["hold"]["outputs"]["waited"] < 600
    assert "Ctrl-C" in finished["hold"]["message"] and "after" in finished
    assert events[-1]["event"] == "run.finished" and b"after the wait" in shown
