"""The published schemas: valid, documented for editors, and found by the installed package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from opskit.policy import schemas

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILES = sorted((REPO / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12_with_an_id(path: Path) -> None:
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # relative ids: references resolve next to wherever the files are served from
    assert schema["$id"] == path.name


COMMON = json.loads((REPO / "schemas" / "common.schema.json").read_text())["$defs"]


def _described(prop: dict[str, Any]) -> bool:
    """Documented here, or by the shared definition it refers to (editors show either)."""
    ref = prop.get("$ref", "")
    shared = COMMON.get(ref.rsplit("/", 1)[-1], {}) if ref.startswith("common.schema.json#") else {}
    return "description" in prop or "description" in shared


def _undocumented(node: Any, where: str) -> list[str]:
    missing = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            if not _described(prop):
                missing.append(f"{where}.{name}")
        for key, child in node.items():
            missing += _undocumented(child, f"{where}.{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            missing += _undocumented(child, f"{where}[{index}]")
    return missing


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_a_description_for_editors(path: Path) -> None:
    assert _undocumented(json.loads(path.read_text()), path.name) == []


def test_every_kind_has_a_schema() -> None:
    names = {p.name for p in SCHEMA_FILES}
    assert set(schemas.KINDS.values()) | {schemas.CONFIG_SCHEMA} <= names


def test_example_files_name_their_schema_for_editors() -> None:
    files = [REPO / "opskit.yaml", *sorted((REPO / "policies").glob("*.yaml"))]
    files += sorted((REPO / "playbooks").glob("*.yaml"))
    assert len(files) > 3
    for path in files:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: schema {target} not found"


def test_package_reads_the_one_copy_of_the_schemas() -> None:
    # In a source checkout the package uses schemas/ itself; wheels carry it as opskit/schemas.
    assert schemas.schema_dir().resolve() == (REPO / "schemas").resolve()
