"""Nothing outside the repository is read: every way out is one positioned error, and the
place it leads to is never opened."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from opskit.cli import cli

SECRET = "ghp_do-not-echo-this-token-0123456789"
PERSON = "kind: Person\nname: ada\nemail: ada@example.com\ntimezone: UTC\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one valid policy, and a secret just outside it."""
    root = tmp_path / "repo"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "people.yaml").write_text(PERSON)
    (root / "opskit.yaml").write_text("workspace: t\npolicies: [policies]\n")
    (tmp_path / "secret.yaml").write_text(SECRET + "\n")
    monkeypatch.chdir(root)
    return root


def validate(*args: str) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(cli, ["validate", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert SECRET not in result.output
    return result.exit_code, json.loads(result.stdout)["problems"]


def rules_at(problems: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(p["rule"], p["path"]) for p in problems]


def _link_out(root: Path) -> str:
    (root / "policies" / "leak.yaml").symlink_to(root.parent / "secret.yaml")
    return "policies/leak.yaml"


def _link_folder_out(root: Path) -> str:
    (root / "policies" / "etc").symlink_to("/etc")
    return "policies/etc"


def _fifo(root: Path) -> str:
    os.mkfifo(root / "policies" / "pipe.yaml")
    return "policies/pipe.yaml"


def _socket(root: Path) -> str:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "policies" / "sock.yaml"))
    server.close()
    return "policies/sock.yaml"


def _folder_named_yaml(root: Path) -> str:
    (root / "policies" / "more.yaml").mkdir()
    (root / "policies" / "more.yaml" / "x.yaml").write_text(PERSON.replace("ada", "bob"))
    return "policies/more.yaml"


def _loop(root: Path) -> str:
    (root / "policies" / "again").symlink_to(root / "policies")
    return "policies/again"


def _self_loop(root: Path) -> str:
    (root / "policies" / "self.yaml").symlink_to("self.yaml")
    return "policies/self.yaml"


def _dangling(root: Path) -> str:
    (root / "policies" / "gone.yaml").symlink_to("nowhere.yaml")
    return "policies/gone.yaml"


def _device(root: Path) -> str:
    (root / "policies" / "zero.yaml").symlink_to("/dev/zero")
    return "policies/zero.yaml"


HOSTILE: dict[str, tuple[Callable[[Path], str], str]] = {
    "symlink to a file outside": (_link_out, "path-outside-repository"),
    "symlink to a folder outside": (_link_folder_out, "path-outside-repository"),
    "a FIFO": (_fifo, "path-unreadable"),
    "a socket": (_socket, "path-unreadable"),
    "a folder named x.yaml": (_folder_named_yaml, "path-unreadable"),
    "a symlink loop of folders": (_loop, "path-unreadable"),
    "a symlink to itself": (_self_loop, "path-unreadable"),
    "a dangling symlink": (_dangling, "path-unreadable"),
    "a device": (_device, "path-outside-repository"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_each_way_out_is_one_error_at_the_path(repo: Path, case: str) -> None:
    make, rule = HOSTILE[case]
    shown = make(repo)
    code, problems = validate()
    assert code == 1
    assert rules_at(problems) == [(rule, shown)]


@pytest.mark.parametrize(
    ("entry", "column"), [("/etc", 22), ("../secret.yaml", 22), ("/proc", 22), ("/", 22)]
)
def test_config_entries_leaving_the_repository(repo: Path, entry: str, column: int) -> None:
    (repo / "opskit.yaml").write_text(f"workspace: t\npolicies: [policies, {entry}]\n")
    code, problems = validate()
    assert code == 1
    assert [(p["rule"], p["path"], p["line"], p["column"]) for p in problems] == [
        ("path-outside-repository", "opskit.yaml", 2, column)
    ]


def test_paths_named_on_the_command_line_stay_inside(repo: Path) -> None:
    code, problems = validate(str(repo.parent / "secret.yaml"))
    assert code == 1
    assert [p["rule"] for p in problems] == ["path-outside-repository"]
    code, problems = validate("policies")  # inside: fine
    assert (code, problems) == (0, [])


def test_the_target_of_a_link_out_is_never_opened(repo: Path, tmp_path: Path) -> None:
    """Opening a FIFO with no writer blocks: a run that finishes never opened it."""
    os.mkfifo(tmp_path / "trap.fifo")
    (repo / "policies" / "trap.yaml").symlink_to(tmp_path / "trap.fifo")
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "validate", "--no-cache"],
        cwd=repo, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "policies/trap.yaml: error:" in done.stdout and "[path-outside-repository]" in done.stdout


def test_symlinks_inside_the_repository_are_followed(repo: Path) -> None:
    shared = repo / "shared"
    shared.mkdir()
    (shared / "team.yaml").write_text("kind: Team\nname: ops\nmembers: [ada]\n")
    (repo / "policies" / "shared").symlink_to(shared)
    code, problems = validate()
    assert (code, problems) == (0, [])


def _every_command() -> Iterator[list[str]]:
    yield ["validate"]
    yield ["test"]
    yield ["summary"]
    yield ["oncall", "who"]
    yield ["oncall", "gaps"]


@pytest.mark.parametrize("argv", list(_every_command()), ids=" ".join)
def test_every_command_refuses_and_names_the_path(repo: Path, argv: list[str]) -> None:
    _link_out(repo)
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1, result.output
    assert "policies/leak.yaml" in result.output and SECRET not in result.output
