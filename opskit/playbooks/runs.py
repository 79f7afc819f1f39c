"""Where runs live: one folder per run, named by its id, holding its journal and lock.

The runs folder is $OPSKIT_RUNS_DIR, else $XDG_STATE_HOME/opskit/runs, else
~/.local/state/opskit/runs. A run id is `<UTC stamp>-<playbook>-<4 hex>`, e.g.
`20261202T031500Z-storage-outage-7f3a`: sorted by name, runs are sorted by start.

The lock file (`lock`) is held with a non-blocking `fcntl.flock` by the one process that
runs or resumes the run; the kernel drops it when that process dies, even by kill -9, so
a lock never outlives its holder. `status` probes it to tell "running" from "interrupted".
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opskit.errors import ExitCode, OpskitError, UsageError
from opskit.playbooks.journal import JOURNAL, Journal, fsync_dir, read_events

RUNS_ENV = "OPSKIT_RUNS_DIR"
LOCK = "lock"
RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[a-z0-9][a-z0-9_-]*-[0-9a-f]{4}$")


def runs_dir() -> Path:
    if os.environ.get(RUNS_ENV):
        return Path(os.environ[RUNS_ENV])
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state) / "opskit" / "runs"


def new_run_id(playbook: str, at: dt.datetime) -> str:
    return f"{at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{playbook}-{secrets.token_hex(2)}"


class RunLock:
    """The run's lock, held until `release` (or the process's end)."""

    def __init__(self, folder: Path) -> None:
        self._fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise OpskitError(
                f"run {folder.name} is in progress in another process; "
                "wait for it, or stop that process first",
                exit_code=ExitCode.USAGE,
            ) from None

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1



def _held(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@dataclass(slots=True)
class OpenRun:
    """A run this process holds: its folder, its journal open for writing, and its lock."""

    run_id: str
    folder: Path
    journal: Journal
    lock: RunLock

    def close(self) -> None:
        self.journal.close()
        self.lock.release()


def create_run(playbook: str, at: dt.datetime) -> OpenRun:
    base = runs_dir()
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        for _ in range(20):
            run_id = new_run_id(playbook, at)
            folder = base / run_id
            try:
                folder.mkdir(mode=0o700)
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - 20 collisions of 4 random hex digits in one second
            raise OpskitError(f"cannot find a free run id in {base}")
        fsync_dir(base)  # the run's folder survives a crash as soon as it is made
        lock = RunLock(folder)
        return OpenRun(run_id, folder, Journal(folder / JOURNAL), lock)
    except OSError as error:
        raise OpskitError(f"cannot create a run in {base}: {error.strerror}") from None


def find_run(run_id: str) -> Path:
    base = runs_dir()
    folder = base / run_id
    if not RUN_ID.match(run_id) or not (folder / JOURNAL).is_file():
        known = [p.name for p in list_run_folders()]
        from opskit.policy.schemas import suggest

        raise UsageError(f"no run {run_id!r} in {base}{suggest(run_id, known)}")
    return folder


def open_run(run_id: str) -> OpenRun:
    folder = find_run(run_id)
    lock = RunLock(folder)
    try:
        journal = Journal(folder / JOURNAL)
    except BaseException:
        lock.release()
        raise
    return OpenRun(run_id, folder, journal, lock)


def list_run_folders() -> list[Path]:
    base = runs_dir()
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if RUN_ID.match(p.name) and (p / JOURNAL).is_file())


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A run as `playbook status` lists it: playbook, start, state, and the step it is at."""

    run_id: str
    playbook: str
    started: str
    state: str  # running | finished | failed | interrupted
    step: str | None  # the step it is at (None when finished)
    folder: Path

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.run_id, "playbook": self.playbook, "started": self.started,
            "state": self.state, "step": self.step, "path": str(self.folder),
        }  # fmt: skip


def summarize(folder: Path) -> RunSummary:
    events = read_events(folder / JOURNAL)
    first = events[0] if events else {}
    playbook = str(first.get("playbook", "?"))
    started = str(first.get("at", "?"))
    state, step = ("interrupted" if events else "not started"), None
    for event in events:
        name = event["event"]
        if name == "step.started":
            state, step = "interrupted", event.get("step")
        elif name == "step.failed":
            state, step = "failed", event.get("step")
        elif name in {"step.finished", "step.skipped"}:
            state, step = "interrupted", event.get("next")
        elif name == "run.finished":
            state, step = "finished", None
    if state != "finished" and _held(folder):
        state = "running"
    return RunSummary(folder.name, playbook, started, state, step, folder)
