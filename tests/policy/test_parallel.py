"""Large policy sets are checked in worker processes; the result must not change."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

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
