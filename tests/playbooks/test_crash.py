"""A run killed with SIGKILL anywhere resumes to the end: nothing lost or twice in the
journal, every step finished once, every effect once, except the documented rule for a
command in flight at the kill (at least once: it may have happened, and it is run again
only when answered `rerun`; `skip` finishes it without running it).

Kills at step boundaries are exact: OPSKIT_PLAYBOOK_PAUSE_AFTER makes the runner SIGKILL
itself right after fsyncing journal entry N (or right after a command exited, before
anything of it is journaled: `run:<step>`). Kills at random moments are seeded.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from opskit.playbooks.journal import read_events
from opskit.playbooks.runs import summarize

APPEND = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + '\\n'); print('did', sys.argv[2])"
RUN_STEPS = ("a", "c", "e")
STEPS = ("a", "b", "c", "d", "e")
FULL_RUN_ENTRIES = 18
SEED = 20261202
DATA = Path(__file__).resolve().parents[1] / "data"


def crash_playbook(counter: Path) -> dict[str, Any]:
    def command(step: str) -> dict[str, Any]:
        argv = [sys.executable, "-c", APPEND, str(counter), step]
        return {"id": step, "kind": "run", "argv": argv, "timeout": "30s"}

    return {
        "name": "crash",
        "steps": [
            command("a"),
            {"id": "b", "kind": "manual", "checklist": ["first", "second"]},
            command("c"),
            {
                "id": "d",
                "kind": "decide",
                "question": "Go on?",
                "options": {"go": "e", "later": "e"},
            },
            command("e"),
        ],
    }


class Drill:
    def __init__(self, root: Path, runs: Path, counter: Path, answers: str) -> None:
        self.root, self.runs, self.counter = root, runs, counter
        (root / "answers.yaml").write_text(answers)
        self.kills: list[tuple[str, int]] = []  # (step in flight or "", effects it had made)
        self.timed_in_flight: Counter[str] = Counter()
        self.killed = 0

    def command(self, *args: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "opskit",
            "playbook",
            *args,
            "--yes",
            "--answers",
            "answers.yaml",
        ]

    def env(self, pause: str | None) -> dict[str, str]:
        env = {**os.environ, "OPSKIT_RUNS_DIR": str(self.runs), "NO_COLOR": "1"}
        env.pop("OPSKIT_PLAYBOOK_PAUSE_AFTER", None)
        if pause is not None:
            env["OPSKIT_PLAYBOOK_PAUSE_AFTER"] = pause
        return env

    def started(self) -> list[Path]:
        """The runs with a run.started entry (a kill can come before it)."""
        folders = list(self.runs.iterdir()) if self.runs.exists() else []
        return [f for f in folders if read_events(f / "journal.jsonl")]

    @property
    def run_id(self) -> str:
        (folder,) = self.started()
        return folder.name

    @property
    def journal(self) -> Path:
        return self.runs / self.run_id / "journal.jsonl"

    def _lock_released(self) -> None:
        """Wait until nothing holds the run's lock. A kill at a random moment can land
        while the runner is forking a command: the child holds the lock from fork to exec
        (then it is closed) or until it dies with its parent. Blocking on the lock waits for
        exactly that, bounded so a lock that is never released fails the test."""
        import fcntl
        import threading

        def take() -> None:
            with (self.journal.parent / "lock").open("rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                fcntl.flock(handle, fcntl.LOCK_UN)

        waiter = threading.Thread(target=take, daemon=True)
        waiter.start()
        waiter.join(timeout=30)
        assert not waiter.is_alive(), "the run's lock outlived the killed runner"

    def counts(self) -> Counter[str]:
        text = self.counter.read_text() if self.counter.exists() else ""
        return Counter(text.split())

    def launch(self, pause: str | float | None) -> int:
        args = ("resume", self.run_id) if self.started() else ("run", "crash")
        if isinstance(pause, float):  # a kill at a random moment
            process = subprocess.Popen(
                self.command(*args), cwd=self.root, env=self.env(None),
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            try:
                process.wait(timeout=pause)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
            code = process.wait()
            assert process.stderr is not None
            stderr = process.stderr.read().decode()
            process.stderr.close()
        else:
            done = subprocess.run(
                self.command(*args), cwd=self.root, env=self.env(pause),
                capture_output=True, text=True, check=False, timeout=60,
            )  # fmt: skip
            code, stderr = done.returncode, done.stderr
        if code == -signal.SIGKILL:
            self.killed += 1
            self._killed(
                timed=isinstance(pause, float),
                checkpoint=isinstance(pause, str) and pause.startswith("run:"),
            )
        else:
            assert code in (0, 1), stderr
        return code

    def _killed(self, *, timed: bool, checkpoint: bool) -> None:
        if not self.started():
            return  # killed before the run started
        if timed:
            self._lock_released()
        finished = read_events(self.journal)[-1]["event"] == "run.finished"
        assert summarize(self.journal.parent).state == ("finished" if finished else "interrupted")
        events = read_events(self.journal)
        open_step, had_output = None, False
        for event in events:
            if event["event"] == "step.started":
                open_step, had_output = event["step"], False
            elif event["event"] == "step.output":
                had_output = True
            elif event["event"] in {"step.finished", "step.failed", "step.skipped"}:
                open_step = None
        if open_step in RUN_STEPS:
            if timed and not had_output:
                self.timed_in_flight[open_step] += 1  # the command may or may not have run
            else:
                self.kills.append((open_step, int(had_output or checkpoint)))
        self.prefix = self.journal.read_text()

    def drive(self, plan: list[str | float]) -> None:
        for pause in plan:
            if self.launch(pause) == 0:
                break
        assert self.launch(None) == 0

    def check(self, *, rerun: bool = True) -> None:
        text = self.journal.read_text()
        assert text.endswith("\n")
        if hasattr(self, "prefix"):
            assert text.startswith(self.prefix)  # nothing written before a kill is lost
        events = read_events(self.journal)
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        names = Counter((e["event"], e.get("step")) for e in events)
        assert names[("run.started", None)] == 1 and names[("run.finished", None)] == 1
        assert all(names[("step.finished", s)] == 1 for s in STEPS), names
        answers = Counter((e["step"], e["question"]) for e in events if e["event"] == "step.answer")
        assert answers[("b", "first")] == answers[("b", "second")] == answers[("d", "Go on?")] == 1
        counts = self.counts()
        for step in RUN_STEPS:
            happened_at_kills = sum(ran for s, ran in self.kills if s == step)
            least = 1 + happened_at_kills if rerun else 1
            assert least <= counts[step] <= least + self.timed_in_flight[step], (
                step,
                counts,
                self.kills,
            )


def make_drill(base: Path, answers: str = "a: rerun\nc: rerun\ne: rerun\nd: go\n") -> Drill:
    """A policy repository with the crash playbook, its own runs folder and counter file."""
    base.mkdir(parents=True)
    root, counter = base / "repo", base / "counter"
    (root / "policies").mkdir(parents=True)
    (root / "playbooks").mkdir()
    shutil.copy(DATA / "valid" / "minimal-service.yaml", root / "policies" / "minimal.yaml")
    (root / "opskit.yaml").write_text("workspace: w\npolicies: [policies, playbooks]\n")
    document = {"kind": "Playbook", **crash_playbook(counter)}
    (root / "playbooks" / "crash.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return Drill(root, base / "runs", counter, answers)


def in_parallel(tmp_path: Path, plans: dict[str, list[str | float]]) -> int:
    """Each plan on its own drill, a few at a time (the work is in subprocesses)."""

    def one(name: str) -> int:
        drill = make_drill(tmp_path / name)
        drill.drive(plans[name])
        drill.check()
        return drill.killed

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(one, name) for name in plans}
    failed = {name: repr(f.exception()) for name, f in futures.items() if f.exception()}
    assert not failed, failed
    return sum(f.result() for f in futures.values())


def test_an_uninterrupted_run(tmp_path: Path) -> None:
    drill = make_drill(tmp_path / "d")
    assert drill.launch(None) == 0
    assert len(read_events(drill.journal)) == FULL_RUN_ENTRIES
    assert drill.counts() == Counter({"a": 1, "c": 1, "e": 1})
    drill.check()


def test_killed_after_each_journal_entry(tmp_path: Path) -> None:
    plans: dict[str, list[str | float]] = {
        f"seq-{n}": [str(n)] for n in range(1, FULL_RUN_ENTRIES + 1)
    }
    assert in_parallel(tmp_path, plans) == FULL_RUN_ENTRIES


def test_killed_after_a_command_ran_before_it_was_journaled(tmp_path: Path) -> None:
    for step in RUN_STEPS:
        drill = make_drill(tmp_path / step)
        drill.drive([f"run:{step}"])
        assert drill.kills == [(step, 1)]
        drill.check()  # answered rerun: the command ran twice, as the rule says
        assert drill.counts() == Counter({"a": 1, "c": 1, "e": 1, step: 2})


def test_skip_finishes_a_command_that_had_run_without_running_it_again(tmp_path: Path) -> None:
    drill = make_drill(tmp_path / "d", "c: skip\nd: go\n")
    drill.drive(["run:c"])
    drill.check(rerun=False)
    assert drill.counts() == Counter({"a": 1, "c": 1, "e": 1})  # exactly once


def test_yes_alone_stops_at_a_command_in_doubt(tmp_path: Path) -> None:
    drill = make_drill(tmp_path / "d", "d: go\n")
    assert drill.launch("run:a") == -signal.SIGKILL
    assert drill.launch(None) == 1  # nobody said whether to run it again
    assert drill.launch(None) == 1  # still in doubt, still not run again
    assert drill.counts() == Counter({"a": 1})
    (drill.root / "answers.yaml").write_text("a: skip\nd: go\n")
    assert drill.launch(None) == 0
    drill.check(rerun=False)


def test_killed_again_while_resuming(tmp_path: Path) -> None:
    plans: dict[str, list[str | float]] = {}
    for chain in range(4):
        rng = random.Random(SEED + chain)
        plan: list[str | float] = [
            str(p) for p in sorted(rng.sample(range(1, FULL_RUN_ENTRIES + 6), 3))
        ]
        plan.insert(rng.randrange(len(plan) + 1), f"run:{rng.choice(RUN_STEPS)}")
        plans[f"chain-{chain}"] = plan
    in_parallel(tmp_path, plans)


def test_killed_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(SEED * 7)
    plans: dict[str, list[str | float]] = {
        f"random-{n}": [round(rng.uniform(0.25, 0.8), 3) for _ in range(2)] for n in range(4)
    }
    assert in_parallel(tmp_path, plans) >= 1
