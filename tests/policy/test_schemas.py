"""The published schemas: valid, documented for editors, and found by the installed package."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from opskit import __version__
from opskit.policy import schema_publish, schemas

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILES = sorted((REPO / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12_with_an_id(path: Path) -> None:
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (
        schema["$id"]
        == f"https://raw.githubusercontent.com/opskit/opskit/v{__version__}/schemas/{path.name}"
    )
    assert schemas.schema_id(path.name) == schema["$id"]


def test_published_files_are_up_to_date() -> None:
    stale = schema_publish.stale(REPO / "schemas")
    assert list(stale) == [], "run: .venv/bin/python -m opskit.policy.schema_publish"


def test_references_stay_relative_so_editors_also_find_the_sibling_files() -> None:
    for path in SCHEMA_FILES:
        refs = re.findall(r'"\$ref": "([^"]*)"', path.read_text())
        assert refs and all("://" not in ref for ref in refs), path.name
        for ref in refs:
            target = ref.partition("#")[0]
            assert not target or (path.parent / target).is_file(), f"{path.name}: {ref}"


def test_regenerating_embeds_every_schema_referred_to_directly_or_not(tmp_path: Path) -> None:
    for path in SCHEMA_FILES:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    common = tmp_path / "common.schema.json"
    edited = json.loads(common.read_text())
    edited["$defs"]["name"]["pattern"] = "^[a-z]+$"
    common.write_text(json.dumps(edited))
    assert set(schema_publish.regenerate(tmp_path)) == {p.name for p in SCHEMA_FILES}
    assert schema_publish.stale(tmp_path) == {}
    policy = json.loads((tmp_path / "policy.schema.json").read_text())
    embedded = {key.rsplit("/", 1)[-1] for key in policy["$defs"]}
    assert embedded == {p.name for p in SCHEMA_FILES} - {"policy.schema.json", "opskit.schema.json"}
    common_copy = policy["$defs"][schemas.schema_id("common.schema.json")]  # via the kinds only
    assert common_copy["$defs"]["name"]["pattern"] == "^[a-z]+$"
    team = json.loads((tmp_path / "team.schema.json").read_text())
    assert list(team["$defs"]) == [schemas.schema_id("common.schema.json")]


def test_a_reference_outside_the_published_schemas_is_refused(tmp_path: Path) -> None:
    (tmp_path / "odd.schema.json").write_text(
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$ref": "https://example.com/x.json",
            }
        )
    )
    with pytest.raises(ValueError, match="outside the published schemas"):
        schema_publish.rendered(tmp_path)


def test_opskit_reads_each_file_without_its_embedded_copies_and_resolves_nothing() -> None:
    for filename, schema in schemas.by_file().items():
        assert all("://" not in key for key in schema.get("$defs", {})), filename
    for filename in [*schemas.KINDS.values(), schemas.CONFIG_SCHEMA]:
        assert "$ref" not in json.dumps(schemas.inlined(filename)), filename


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
