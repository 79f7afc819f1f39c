"""Large policy sets are checked in worker processes; the result must not change."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml

from opskit.policy.file_cache import FileResult
from opskit.policy.validate import validate_files

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import generate


def _summary(path: Path, jobs: int) -> tuple[list[tuple[str, str, int, int]], int, int]:
    from opskit.policy.parallel import can_fork

    assert jobs == 1 or can_fork(), "a thread is running: the workers would not start"
    result = validate_files([path], jobs=jobs, cache=False)  # every file loaded, every time
    problems = [
        (d.rule, d.position.path, d.position.line, d.position.column)
        for d in result.diagnostics.sorted()
    ]
    return problems, result.policy.count(), result.documents


def test_parallel_and_sequential_agree_including_positions_found_later(tmp_path: Path) -> None:
    files = generate(tmp_path / "repo", 300)
    # Problems from every stage: schema (in the workers) and references and
    # semantics (in the parent, whose positions need the files parsed again).
    customer = next(
        f for f in files if f.parent.name == "customer" and "tier: standard" in f.read_text()
    )
    customer.write_text(customer.read_text().replace("tier: standard", "tier: standrd"))
    broken_ladder = next(f for f in files if f.parent.name == "escalationladder")
    broken_ladder.write_text(
        broken_ladder.read_text().replace("escalate_after: 10m", "escalate_after: 10 min")
    )
    person = next(f for f in files if f.parent.name == "person")
    person.write_text(
        person.read_text().replace("timezone: Europe/Berlin", "timezone: Europe/Berln")
    )
    sequential = _summary(tmp_path / "repo", jobs=1)
    parallel = _summary(tmp_path / "repo", jobs=2)
    assert parallel == sequential
    rules = {problem[0] for problem in sequential[0]}
    assert {"duration-invalid", "ref-unknown", "timezone-invalid"} <= rules
    assert sequential[1] > 250


def test_the_first_definition_is_the_first_in_file_order_however_work_is_shared(
    tmp_path: Path,
) -> None:
    """Which of two same-named objects is 'already defined' must not depend on which
    process loaded which file."""
    files = sorted(generate(tmp_path / "repo", 600))
    people = [f for f in files if f.parent.name == "person"]
    early, late = people[0], people[-1]
    name = yaml.safe_load(early.read_text())["name"]
    late.write_text(re.sub(r"(?m)^name: .*$", f"name: {name}", late.read_text()))
    for jobs in (1, 2, 3):
        problems, _, _ = _summary(tmp_path / "repo", jobs=jobs)
        duplicates = [p for p in problems if p[0] == "name-duplicate"]
        assert [(rule, path) for rule, path, _, _ in duplicates] == [
            (
                "name-duplicate",
                str(late.relative_to(Path.cwd())) if late.is_relative_to(Path.cwd()) else str(late),
            )
        ], jobs


def test_no_fork_while_another_thread_runs() -> None:
    """plan reads the targets in a thread while the policies are checked: forking then
    could leave a worker waiting forever on a lock that thread held."""
    import threading

    from opskit.policy.parallel import can_fork

    assert can_fork()
    release = threading.Event()
    reader = threading.Thread(target=release.wait)
    reader.start()
    try:
        assert not can_fork()
    finally:
        release.set()
        reader.join()
    assert can_fork()


def test_one_process_keeps_no_nodes_and_finds_the_same_positions_as_nodes_held(
    tmp_path: Path,
) -> None:
    # check_file drops each document's node graph; a problem found later composes its file
    # again. The positions must be those of documents that kept their nodes all along.
    from opskit.policy.diagnostics import Diagnostics
    from opskit.policy.loader import load_file
    from opskit.policy.validate import check_file, validate_documents

    files = generate(tmp_path / "repo", 60)
    customer = next(f for f in files if "tier: standard" in f.read_text())
    customer.write_text(customer.read_text().replace("tier: standard", "tier: standrd"))
    [checked] = check_file(str(customer), str(customer)).checked
    assert checked.document.node is None
    held = Diagnostics()
    documents = [d for f in files for d in load_file(f, held, display=str(f))]
    assert all(d.node is not None for d in documents)
    with_nodes = validate_documents(documents, held).diagnostics.sorted()
    policies = [Path(f) for f in files]
    without = validate_files(policies, jobs=1, cache=False).diagnostics.sorted()
    assert [(d.rule, d.position) for d in without] == [(d.rule, d.position) for d in with_nodes]
    assert any(d.rule == "ref-unknown" and d.position.path == str(customer) for d in without)


def _children() -> set[int]:
    """This process's child processes, from /proc (Linux)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


def _open_files() -> int:
    return sum(1 for _ in Path("/proc/self/fd").iterdir())


def _pairs(count: int) -> list[tuple[str, str]]:
    return [(f"file-{i}", f"shown-{i}") for i in range(count)]


def _echo(pairs: Sequence[tuple[str, str]]) -> list[FileResult]:
    """One result a file, naming the file and the process that checked it."""
    return [FileResult([], [], os.getpid(), digest=file.encode()) for file, _ in pairs]


def test_results_come_back_whole_and_in_order_from_every_process() -> None:
    from opskit.policy.parallel import CHUNK, check_in_parallel

    before, opened = _children(), _open_files()
    pairs = _pairs(CHUNK * 40 + 7)
    results = check_in_parallel(pairs, 3, _echo)
    assert [r.digest for r in results] == [file.encode() for file, _ in pairs]
    assert _children() == before  # every worker reaped: no zombies left behind
    assert _open_files() == opened  # every pipe and the board closed


def test_a_worker_that_dies_costs_only_time() -> None:
    from opskit.policy.parallel import CHUNK, check_in_parallel

    parent = os.getpid()

    class FailingInAWorker:
        """The parent's first chunk waits until a worker has taken one, so a worker always
        fails, however the machine schedules the processes."""

        def __init__(self, fail: Callable[[], None]) -> None:
            self.fail, self.waited = fail, False
            self.took, self.told = os.pipe()

        def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[FileResult]:
            if os.getpid() != parent:
                os.write(self.told, b"!")
                self.fail()
            elif not self.waited:
                self.waited = os.read(self.took, 1) == b"!"
            return _echo(pairs)

        def close(self) -> None:
            os.close(self.took)
            os.close(self.told)

    def killed() -> None:
        os._exit(9)  # as if killed: no result sent

    def raises() -> None:
        raise RuntimeError("broken worker")

    pairs = _pairs(CHUNK * 30)
    before = _children()
    for fail in (killed, raises):
        check = FailingInAWorker(fail)
        try:
            results = check_in_parallel(pairs, 2, check)
        finally:
            check.close()
        assert check.waited  # a worker took a chunk, and failed on it
        assert [r.digest for r in results] == [file.encode() for file, _ in pairs]
        assert {r.count for r in results} == {parent}  # the parent redid the worker's share
    assert _children() == before


def test_ctrl_c_in_the_parent_stops_and_reaps_every_worker(tmp_path: Path) -> None:
    """A real SIGINT to the parent, sent once by whichever process checks a chunk first
    (the parent or a worker, as the machine schedules them): wherever it lands, forking,
    checking or collecting, the parent stops and reaps every worker."""
    import signal

    from opskit.policy.parallel import CHUNK, check_in_parallel

    parent = os.getpid()
    once = tmp_path / "sent"

    def interrupting(pairs: Sequence[tuple[str, str]]) -> list[FileResult]:
        with contextlib.suppress(FileExistsError):
            os.close(os.open(once, os.O_CREAT | os.O_EXCL))  # only the first process gets here
            os.kill(parent, signal.SIGINT)
        return _echo(pairs)

    before = _children()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in the CLI
    try:
        with pytest.raises(KeyboardInterrupt):
            check_in_parallel(_pairs(CHUNK * 50), 3, interrupting)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert once.exists()
    assert _children() == before


def test_without_memfd_the_board_lives_in_an_unlinked_temporary_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """macOS has no memfd_create: the shared counters and their lock use a temporary file."""
    from opskit.policy.parallel import CHUNK, check_in_parallel

    monkeypatch.delattr(os, "memfd_create")
    pairs = _pairs(CHUNK * 12 + 1)
    opened = _open_files()
    results = check_in_parallel(pairs, 2, _echo)
    assert [r.digest for r in results] == [file.encode() for file, _ in pairs]
    assert _open_files() == opened  # the board's file closed, none leaked


def test_the_cli_forks_for_a_large_repository_and_says_what_one_process_says(
    tmp_path: Path,
) -> None:
    """As a user runs it: `opskit validate` on 300 files, enough to share out, in two
    processes (OPSKIT_JOBS=2, whatever the machine's cores) reports what one process does,
    a problem's file:line:col included."""
    import json
    import subprocess

    from opskit.policy.validate import PARALLEL_MIN_FILES

    files = generate(tmp_path / "repo", 300)
    assert len(files) >= PARALLEL_MIN_FILES
    customer = next(f for f in files if "tier: standard" in f.read_text())
    customer.write_text(customer.read_text().replace("tier: standard", "tier: standrd"))
    reports = {}
    for jobs in ("2", "1"):
        env = {**os.environ, "OPSKIT_JOBS": jobs, "OPSKIT_CACHE_DIR": str(tmp_path / "cache")}
        done = subprocess.run(
            [sys.executable, "-m", "opskit", "validate", "--no-cache", "--format", "json"],
            cwd=tmp_path / "repo", env=env, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
        reports[jobs] = json.loads(done.stdout)
    assert reports["2"] == reports["1"]
    [problem] = [p for p in reports["1"]["problems"] if p["rule"] == "ref-unknown"]
    assert problem["path"] == str(customer.relative_to(tmp_path / "repo"))
    assert problem["line"] > 0 and problem["column"] > 0
