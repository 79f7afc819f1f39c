"""Pytest fixtures for the sandbox, with every exchange contract-checked.

Use from a conftest: ``from opskit.sandbox.pytest_plugin import *`` (or list the module in a
top-level ``pytest_plugins``). Any test that uses ``sandbox`` (or ``watch_sandbox``) fails if a
request it sent or a response it got does not match the vendor's OpenAPI document.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from opskit.sandbox.server import Sandbox

__all__ = [
    "pytest_runtest_call",
    "sandbox",
    "sandbox_contract",
    "sandbox_factory",
    "sandbox_spec_checker",
    "watch_sandbox",
]


def spec_dir() -> Path:
    """``shared/specs`` beside the repository (the specs are reference data, not source).

    OPSKIT_SPECS names another folder; otherwise the folder beside the source tree,
    or beside the working folder when opskit runs from an installed copy.
    """
    if os.environ.get("OPSKIT_SPECS"):
        return Path(os.environ["OPSKIT_SPECS"])
    candidates = [Path(__file__).resolve().parents[3], Path.cwd().resolve().parent]
    for root in candidates:
        if (root / "shared" / "specs").is_dir():
            return root / "shared" / "specs"
    return candidates[0] / "shared" / "specs"


class ContractWatch:
    def __init__(self, checker: Any) -> None:
        self.checker = checker
        self.watched: list[tuple[Sandbox, int]] = []

    def watch(self, sb: Sandbox) -> Sandbox:
        self.watched.append((sb, len(sb.log.snapshot())))
        return sb

    def problems(self) -> list[str]:
        found: list[str] = []
        for sb, start in self.watched:
            for exchange in sb.log.snapshot()[start:]:
                found.extend(self.checker.problems(exchange))
        return found


@pytest.fixture(scope="session")
def sandbox_spec_checker() -> Any:
    from opskit.sandbox.contract import ContractChecker

    return ContractChecker(spec_dir())


@pytest.fixture
def sandbox_contract(sandbox_spec_checker: Any) -> ContractWatch:
    return ContractWatch(sandbox_spec_checker)


@pytest.fixture
def watch_sandbox(sandbox_contract: ContractWatch) -> Any:
    """Register a longer-lived sandbox (e.g. module-scoped) for this test's contract check."""
    return sandbox_contract.watch


@pytest.fixture
def sandbox(tmp_path: Path, sandbox_contract: ContractWatch) -> Iterator[Sandbox]:
    with Sandbox(db=tmp_path / "sandbox.db") as sb:
        sandbox_contract.watch(sb)
        yield sb


@pytest.fixture
def sandbox_factory(tmp_path: Path, sandbox_contract: ContractWatch) -> Iterator[Any]:
    """``make(**options)`` starts a contract-checked sandbox with custom options (clock,
    faults, rate limits, seed); all are stopped after the test."""
    started: list[Sandbox] = []

    def make(**options: Any) -> Sandbox:
        options.setdefault("db", tmp_path / f"sandbox-{len(started)}.db")
        sb = Sandbox(**options).start()
        started.append(sb)
        return sandbox_contract.watch(sb)

    yield make
    for sb in started:
        sb.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    result = yield
    watch = getattr(item, "funcargs", {}).get("sandbox_contract")
    if isinstance(watch, ContractWatch):
        problems = watch.problems()
        if problems:
            shown = problems[:10]
            if len(problems) > len(shown):
                shown.append(f"... and {len(problems) - len(shown)} more")
            raise AssertionError(
                "sandbox traffic breaks the vendor contract:\n  " + "\n  ".join(shown)
            )
    return result
