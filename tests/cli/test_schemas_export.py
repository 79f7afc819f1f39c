"""opskit schemas export: the schemas for users of the wheel, written where they choose."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from opskit.cli import cli
from opskit.policy.schemas import schema_dir
from tests.schema_tools import EXAMPLE_POLICIES, check_jsonschema, write_documents

PACKAGED = {path.name: path.read_bytes() for path in schema_dir().glob("*.schema.json")}


def _export(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["schemas", "export", *args], catch_exceptions=False)
    return result.exit_code, result.output


def _exported(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.glob("*.schema.json")}


def test_export_writes_every_schema_into_a_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    code, output = _export(str(target))
    assert code == 0, output
    assert len(PACKAGED) >= 13
    assert _exported(target) == PACKAGED
    assert f"{len(PACKAGED)} written, 0 already up to date" in output


def test_export_again_writes_nothing(tmp_path: Path) -> None:
    _export(str(tmp_path))
    before = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    code, output = _export(str(tmp_path))
    assert code == 0
    assert f"0 written, {len(PACKAGED)} already up to date" in output
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == before


def test_export_refuses_to_replace_a_differing_file_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "team.schema.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("mine")
    code, output = _export(str(tmp_path))
    assert code == 2
    assert "team.schema.json" in output and "--force" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "team.schema.json"]
    assert (tmp_path / "team.schema.json").read_text() == "{}"


def test_export_with_force_replaces_differing_files_and_leaves_others_alone(
    tmp_path: Path,
) -> None:
    (tmp_path / "team.schema.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("mine")
    code, output = _export(str(tmp_path), "--force")
    assert code == 0, output
    assert _exported(tmp_path) == PACKAGED
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_export_to_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("")
    code, _ = _export(str(target))
    assert code == 2
    assert target.read_text() == ""


def test_exported_copy_checks_every_example_document_from_another_folder(tmp_path: Path) -> None:
    # A real process, as a user runs it; then the copy alone, away from the repository.
    target = tmp_path / "exported"
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "schemas", "export", str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert _exported(target) == PACKAGED
    split = write_documents(EXAMPLE_POLICIES, tmp_path / "documents")
    files = [file for parts in split.values() for file in parts]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, report, output = check_jsonschema(target / "policy.schema.json", files, elsewhere)
    assert (code, report.get("status")) == (0, "ok"), output
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Person\nname: ana\nemail: ana@example.org\ntimezone: UTC\nphone: 1\n")
    code, report, output = check_jsonschema(target / "policy.schema.json", [bad], elsewhere)
    assert code == 1 and "phone" in output, output
