"""The journal of a run: one JSON object a line, appended and fsynced before the next action.

Each entry is `{"seq": n, "at": "<ISO UTC>", "event": "<name>", ...}` with `seq` counting
from 1 without gaps. An entry is written with a single `os.write` and the file fsynced
(the folder too, when the file is created) before `append` returns: what the journal
says happened is what happened, up to the last entry, even after `kill -9`.

A kill in the middle of a write leaves a torn last line (no newline). Reading ignores it;
opening the journal to write cuts it off, so the next entry starts on a fresh line and
takes the torn entry's `seq` (the torn entry never happened: nothing after it ran). A
complete line that is not JSON anywhere else is corruption: a clear error.

Events: run.started, step.started, step.output, step.answer, step.note, step.finished,
step.skipped, step.failed, run.aborted, run.finished (engine.py says what each holds).

Testing hook: OPSKIT_PLAYBOOK_PAUSE_AFTER, a comma-separated list of entry seqs and
named checkpoints (`run:<step-id>`: a `run` step's command has exited, nothing of it
journaled yet). On reaching one the process SIGKILLs itself, after the fsync, so the
crash tests stop a run exactly there without racing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from opskit.errors import OpskitError
from opskit.files import read_at_most

PAUSE_ENV = "OPSKIT_PLAYBOOK_PAUSE_AFTER"
JOURNAL = "journal.jsonl"
MAX_JOURNAL_BYTES = 64 * 1024 * 1024  # far beyond a run's entries, each bounded (MAX_ENTRY)
MAX_ENTRY = 256 * 1024  # an entry larger than this is a bug of the caller (outputs are bounded)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_stamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def checkpoint(name: str) -> None:
    """Die here when the tests asked for it (see the module's docstring)."""
    wanted = os.environ.get(PAUSE_ENV)
    if wanted and name in wanted.split(","):
        os.kill(os.getpid(), signal.SIGKILL)


def read_events(path: Path) -> list[dict[str, Any]]:
    """The entries of a journal, a torn last line left out."""
    try:
        data = read_at_most(path, MAX_JOURNAL_BYTES)
    except FileNotFoundError:
        return []
    except OSError as error:
        raise OpskitError(f"cannot read the journal {path}: {error.strerror}") from None
    if len(data) > MAX_JOURNAL_BYTES:
        raise OpskitError(
            f"{path}:1: the journal is larger than {MAX_JOURNAL_BYTES >> 20} MiB: not one opskit wrote"
        )
    return list(_entries(data, path))


def _entries(data: bytes, path: Path) -> Iterator[dict[str, Any]]:
    lines = data.split(b"\n")
    complete = lines[:-1]  # the last piece is "" or a torn line
    for number, line in enumerate(complete, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            raise OpskitError(f"{path}:{number}: the journal is damaged (not JSON)") from None
        if not isinstance(entry, dict) or not isinstance(entry.get("seq"), int):
            raise OpskitError(f"{path}:{number}: the journal is damaged (not an entry)")
        yield entry


class Journal:
    """Appending to one run's journal (the caller holds the run's lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        created = not path.exists()
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        if created:
            fsync_dir(path.parent)
        self._cut_torn_tail()
        events = read_events(path)
        self.events: list[dict[str, Any]] = events
        self.seq = events[-1]["seq"] if events else 0

    def _cut_torn_tail(self) -> None:
        size = os.fstat(self._fd).st_size
        if size == 0:
            return
        data = os.pread(self._fd, size, 0)
        if data.endswith(b"\n"):
            return
        keep = data.rfind(b"\n") + 1
        os.ftruncate(self._fd, keep)
        os.fsync(self._fd)

    def append(self, event: str, **fields: Any) -> dict[str, Any]:
        entry = {"seq": self.seq + 1, "at": stamp(now()), "event": event, **fields}
        line = json.dumps(entry, ensure_ascii=False, sort_keys=False, default=str) + "\n"
        data = line.encode()
        if len(data) > MAX_ENTRY:
            raise OpskitError(f"journal entry {event} is too large ({len(data)} bytes)")
        written = os.write(self._fd, data)
        if written != len(data):  # a full disk: the entry is torn, stop before acting on it
            raise OpskitError(f"cannot write the journal {self.path}: short write")
        os.fsync(self._fd)
        self.seq += 1
        self.events.append(entry)
        checkpoint(str(self.seq))
        return entry

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def fsync_dir(folder: Path) -> None:
    """A new entry in the folder (a file, a run's folder) survives a crash once this returns."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
