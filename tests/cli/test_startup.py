"""Start-up: `opskit --help` imports no command, and `validate` of a small repository none
of the targets' clients, the sandbox, the page renderer, the template engine, and once its
files are in the cache neither the YAML parser nor the schema validators."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from opskit.cli.app import COMMANDS, cli

REPO = Path(__file__).resolve().parents[2]
NEVER = ("jira", "pagerduty", "requests", "urllib3", "flask", "werkzeug", "rich.table",
         "jinja2", "jsonschema", "fastjsonschema", "yaml", "hashlib", "holidays.countries",
         "icalendar", "opskit.sandbox", "opskit.sync.apply",
         # too few files to share: no worker processes, nor what starts them
         "opskit.policy.parallel", "multiprocessing", "fcntl", "mmap")  # fmt: skip


def client_side(module: str) -> bool:
    """A target's modules beyond the package and its natural keys (which validate reads)."""
    parts = module.split(".")
    return parts[:2] == ["opskit", "providers"] and len(parts) > 3 and parts[-1] != "keys"


def imported(argv: list[str], cwd: Path) -> set[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "opskit", *argv],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def forbidden(modules: set[str], extra: tuple[str, ...] = ()) -> list[str]:
    named = {m for m in modules for n in (*NEVER, *extra) if m == n or m.startswith(f"{n}.")}
    return sorted(named | {m for m in modules if client_side(m)})


def test_the_command_table_says_what_each_command_says() -> None:
    ctx = click.Context(cli)
    for name, (_, text) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None, name
        assert command.get_short_help_str(limit=10**6) == text, name


def test_help_lists_every_command_and_imports_none() -> None:
    modules = imported(["--help"], REPO)
    assert "opskit.cli.app" in modules
    commands = tuple(target.partition(":")[0] for target, _ in COMMANDS.values())
    assert forbidden(modules, commands) == []
    shown = subprocess.run(
        [sys.executable, "-m", "opskit", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert all(f"\n  {name} " in shown for name in COMMANDS)


def test_validate_of_a_small_repository_imports_no_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "policy.yaml").write_text(
        (REPO / "tests" / "data" / "valid" / "minimal-service.yaml").read_text()
    )
    (tmp_path / "opskit.yaml").write_text("workspace: t\npolicies: [policy.yaml]\n")
    env = {**os.environ, "OPSKIT_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "opskit", "validate"], cwd=tmp_path, env=env, check=True,
                   capture_output=True)  # fmt: skip
    # set back afterwards, not removed: the session's own private cache folder is in it
    monkeypatch.setenv("OPSKIT_CACHE_DIR", env["OPSKIT_CACHE_DIR"])
    modules = imported(["validate"], tmp_path)
    assert "opskit.policy.validate" in modules
    assert forbidden(modules) == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_still_loads_on_use(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opskit", name, "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: ") and f" {name} " in done.stdout.splitlines()[0]


def _example_copy(tmp_path: Path) -> Path:
    """The example repository (policies, playbooks, opskit.yaml) in a folder of its own."""
    import shutil

    repo = tmp_path / "repo"
    for name in ("policies", "playbooks"):
        shutil.copytree(REPO / name, repo / name)
    shutil.copy(REPO / "opskit.yaml", repo / "opskit.yaml")
    return repo


def _validate(repo: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPSKIT_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "opskit", "validate", *extra],
                          cwd=repo, env=env, capture_output=True, text=True, check=False,
                          timeout=60)  # fmt: skip


def _loaded(done: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}  # fmt: skip


def test_validate_of_unchanged_playbooks_reads_their_templates_from_the_cache(
    tmp_path: Path,
) -> None:
    """The pre-commit case with playbooks: the second run needs no template engine, and
    says the same, a template's syntax error included; an edited template is read again."""
    repo, cache = _example_copy(tmp_path), tmp_path / "cache"
    book = repo / "playbooks" / "storage-outage.yaml"
    text = book.read_text()
    assert text.count("{{") > 2
    book.write_text(text.replace("{{", "{{ (", 1))  # an unclosed parenthesis
    first, second = _validate(repo, cache), _validate(repo, cache)
    assert first.returncode == second.returncode == 1
    assert "syntax error" in first.stdout and first.stdout == second.stdout
    assert "jinja2" in _loaded(first) and "jinja2" not in _loaded(second)
    book.write_text(text)  # mended: the new text is parsed, the old facts are not used
    mended = _validate(repo, cache)
    assert mended.returncode == 0 and "jinja2" in _loaded(mended), mended.stdout
    assert "jinja2" not in _loaded(_validate(repo, cache))


def test_a_damaged_template_cache_is_a_miss_and_no_cache_writes_none(tmp_path: Path) -> None:
    repo, cache = _example_copy(tmp_path), tmp_path / "cache"
    cache.mkdir()
    (cache / "template-facts.marshal").write_bytes(b"\x00not marshal")
    done = _validate(repo, cache)
    assert done.returncode == 0 and "jinja2" in _loaded(done), done.stdout + done.stderr
    assert (cache / "template-facts.marshal").read_bytes() != b"\x00not marshal"
    other = tmp_path / "other"
    again = _validate(repo, other, "--no-cache")
    assert again.returncode == 0 and "jinja2" in _loaded(again)
    assert not (other / "template-facts.marshal").exists()


def test_an_unchanged_opskit_yaml_is_read_from_the_cache_and_an_edited_one_again(
    tmp_path: Path,
) -> None:
    """The pre-commit case: a second run needs no schema validator (fastjsonschema) or
    OpenSSL's hashes for opskit.yaml; its problems are the same from the cache, and an
    edit is read."""
    repo, cache = _example_copy(tmp_path), tmp_path / "cache"
    config = repo / "opskit.yaml"
    text = config.read_text()
    config.write_text(text + "validate: {horizon: soon}\n")
    first, second = _validate(repo, cache), _validate(repo, cache)
    assert first.returncode == second.returncode == 1
    assert "opskit.yaml:" in first.stdout and first.stdout == second.stdout
    assert "fastjsonschema" in _loaded(first)
    assert not {"fastjsonschema", "hashlib", "jinja2"} & _loaded(second), second.stdout
    config.write_text(text)
    mended = _validate(repo, cache)
    assert mended.returncode == 0, mended.stdout


def test_checking_every_file_with_cached_validators_loads_no_schema_compiler(
    tmp_path: Path,
) -> None:
    """`--no-cache` schema-checks every document; once the validators are compiled and on
    disk, that needs neither fastjsonschema nor what only it uses (decimal, py_compile),
    nor difflib while nothing is misspelt. (OpenSSL's hashes come with the playbooks'
    template engine here, which --no-cache loads.)"""
    repo, cache = _example_copy(tmp_path), tmp_path / "cache"
    first, second = _validate(repo, cache, "--no-cache"), _validate(repo, cache, "--no-cache")
    assert first.returncode == second.returncode == 0, first.stdout + first.stderr
    assert "fastjsonschema" in _loaded(first) and "opskit.policy.schema_cache" in _loaded(second)
    unneeded = {"fastjsonschema", "decimal", "py_compile", "difflib"}
    assert not unneeded & _loaded(second), second.stdout


def test_every_dataclass_has_a_docstring() -> None:
    """Python 3.11 builds a missing one from inspect.signature when the class is made: a
    third of a millisecond a class, paid by every command's start-up."""
    package = REPO / "opskit"
    missing = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and ast.get_docstring(node) is None:
                decorators = [ast.unparse(d) for d in node.decorator_list]
                if any(d.split("(")[0].endswith("dataclass") for d in decorators):
                    missing.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert not missing, "dataclasses without a docstring:\n" + "\n".join(missing)
