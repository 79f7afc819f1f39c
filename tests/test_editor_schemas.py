"""The published schemas work outside opskit: offline, from any folder, on every document."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from opskit.policy import schema_publish
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import load_file
from tests.schema_tools import (
    EXAMPLE_POLICIES,
    REPO,
    SCHEMAS,
    check_jsonschema,
    split_documents,
    write_documents,
)

PUBLISHED = sorted(SCHEMAS.glob("*.schema.json"))
# Invalid examples whose one problem is the schema's to find (the rest pass it).
SCHEMA_RULES = ("schema--", "kind-missing--", "kind-unknown--")
SCHEMA_INVALID = sorted(
    path
    for path in (REPO / "tests" / "data" / "invalid").glob("*.yaml")
    if path.name.startswith(SCHEMA_RULES)
)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _references(node: Any, base: str) -> Iterator[tuple[str, str]]:
    """Every ($ref, base URI it is resolved against) in a schema document."""
    if isinstance(node, list):
        for item in node:
            yield from _references(item, base)
    elif isinstance(node, dict):
        if isinstance(node.get("$id"), str):
            base = urljoin(base, node["$id"])
        if isinstance(node.get("$ref"), str):
            yield node["$ref"], base
        for value in node.values():
            yield from _references(value, base)


def _sealed(schema: dict[str, Any]) -> Registry[Any]:
    """A registry holding only `schema`: looking up anything outside it fails."""

    def refuse(uri: str) -> Resource[Any]:
        raise LookupError(f"{schema['$id']} needs {uri} from outside the file")

    resource: Resource[Any] = Resource.from_contents(schema, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry(retrieve=refuse)  # type: ignore[call-arg]
    sealed: Registry[Any] = registry.with_resource(schema["$id"], resource)
    return sealed


def _documents(paths: list[Path]) -> list[tuple[str, Any]]:
    return [
        (f"{path.name}#{index}", yaml.safe_load(text))
        for path in paths
        for index, text in enumerate(split_documents(path.read_text(encoding="utf-8")))
    ]


def test_the_examples_are_many_files_of_many_documents() -> None:
    assert len(EXAMPLE_POLICIES) >= 20
    assert sum(len(split_documents(p.read_text())) > 1 for p in EXAMPLE_POLICIES) >= 10


@pytest.mark.parametrize("path", EXAMPLE_POLICIES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_splitting_yields_exactly_the_documents_opskit_reads(path: Path) -> None:
    documents = load_file(path, Diagnostics())
    parts = split_documents(path.read_text(encoding="utf-8"))
    assert [yaml.safe_load(part) for part in parts] == [d.data for d in documents]


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda p: p.name)
def test_every_reference_resolves_inside_its_own_file(path: Path) -> None:
    schema = _load(path)
    registry = _sealed(schema)
    references = list(_references(schema, schema["$id"]))
    for ref, base in references:
        registry.resolver(base_uri=base).lookup(ref)  # raises if it would leave the file
    if path.name != "common.schema.json":
        assert any(not ref.startswith("#") for ref, _ in references)  # one to another file


def test_a_sealed_registry_really_refuses_what_is_not_in_the_file() -> None:
    source = schema_publish.sources(SCHEMAS)["policy.schema.json"]  # without embedded copies
    registry = _sealed(source)
    with pytest.raises(Unresolvable) as caught:
        registry.resolver(base_uri=source["$id"]).lookup("calendar.schema.json")
    causes = []
    error: BaseException | None = caught.value
    while error is not None:
        causes.append(str(error))
        error = error.__cause__
    assert any("needs" in cause and "calendar.schema.json" in cause for cause in causes)


def test_every_example_document_is_valid_against_policy_schema_alone() -> None:
    schema = _load(SCHEMAS / "policy.schema.json")
    validator = Draft202012Validator(schema, registry=_sealed(schema))
    documents = _documents(EXAMPLE_POLICIES)
    assert len(documents) > 100
    failures = {name: [e.message for e in validator.iter_errors(data)] for name, data in documents}
    assert {name: errors for name, errors in failures.items() if errors} == {}


@pytest.mark.parametrize("path", SCHEMA_INVALID, ids=lambda p: p.name)
def test_policy_schema_alone_rejects_each_schema_invalid_example(path: Path) -> None:
    schema = _load(SCHEMAS / "policy.schema.json")
    validator = Draft202012Validator(schema, registry=_sealed(schema))
    assert any(not validator.is_valid(data) for _, data in _documents([path]))


def test_check_jsonschema_from_another_folder_validates_every_example_document(
    tmp_path: Path,
) -> None:
    split = write_documents(EXAMPLE_POLICIES, tmp_path / "documents")
    files = [file for parts in split.values() for file in parts]
    assert len(files) == sum(len(load_file(p, Diagnostics())) for p in EXAMPLE_POLICIES)
    code, report, output = check_jsonschema(SCHEMAS / "policy.schema.json", files, tmp_path)
    assert (code, report.get("status")) == (0, "ok"), output


def test_check_jsonschema_rejects_every_schema_invalid_example(tmp_path: Path) -> None:
    split = write_documents(SCHEMA_INVALID, tmp_path / "documents")
    files = [file for parts in split.values() for file in parts]
    code, report, output = check_jsonschema(SCHEMAS / "policy.schema.json", files, tmp_path)
    assert code == 1 and report["parse_errors"] == [], output
    failed = {Path(error["filename"]) for error in report["errors"]}
    assert [source for source, parts in split.items() if not failed & set(parts)] == []


def test_check_jsonschema_validates_the_repository_settings(tmp_path: Path) -> None:
    code, report, output = check_jsonschema(
        SCHEMAS / "opskit.schema.json", [REPO / "opskit.yaml"], tmp_path
    )
    assert (code, report.get("status")) == (0, "ok"), output


def test_without_the_embedded_copies_check_jsonschema_would_need_the_network(
    tmp_path: Path,
) -> None:
    # The control for the tests above: relative references under an absolute $id are
    # fetched from the web, which check_jsonschema refuses.
    source = schema_publish.sources(SCHEMAS)["policy.schema.json"]
    (tmp_path / "policy.schema.json").write_text(json.dumps(source))
    [document, *_] = write_documents([REPO / "policies" / "people.yaml"], tmp_path / "doc")[
        REPO / "policies" / "people.yaml"
    ]
    code, _, output = check_jsonschema(tmp_path / "policy.schema.json", [document], tmp_path)
    assert code != 0
    assert "raw.githubusercontent.com" in output and "person.schema.json" in output


def _readme_yaml_schemas() -> dict[str, Any]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    editors = readme[readme.index("**Editors.**") :]
    block = editors[editors.index("```json") + len("```json") : editors.index("```\n", 8)]
    settings: dict[str, Any] = json.loads(block)["yaml.schemas"]
    return settings


def test_readme_yaml_schemas_setting_maps_every_example_file_to_an_existing_schema() -> None:
    settings = _readme_yaml_schemas()
    assert all((REPO / schema).is_file() for schema in settings)
    globs = settings["./schemas/policy.schema.json"]
    # yaml-language-server's matching has changed between releases ('*' across folders
    # or not): the patterns must cover the files either way.
    strict = {path for pattern in globs for path in REPO.glob(pattern)}
    loose = {
        path
        for path in REPO.rglob("*.yaml")
        if any(fnmatch.fnmatch(path.relative_to(REPO).as_posix(), p) for p in globs)
    }
    examples = {
        p for p in EXAMPLE_POLICIES if p.parts[len(REPO.parts)] in ("policies", "playbooks")
    }
    assert len(examples) > 10
    assert examples <= strict and examples <= loose
    assert settings["./schemas/opskit.schema.json"] == "opskit.yaml"
