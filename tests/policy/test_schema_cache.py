"""Compiled validators are written once, reused, and never required."""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.policy import schema_cache
from opskit.policy.schema_failures import SchemaFailure


def test_validators_are_cached_on_disk_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(schema_cache.CACHE_ENV, str(tmp_path))
    schema_cache.validator.cache_clear()
    check = schema_cache.validator("person.schema.json")
    [folder] = tmp_path.iterdir()
    module = folder / "person.py"
    assert module.is_file()
    written = module.stat().st_mtime_ns
    check({"kind": "Person", "name": "a", "email": "a@x.example", "timezone": "UTC"})
    schema_cache.validator.cache_clear()
    schema_cache.validator("person.schema.json")
    assert module.stat().st_mtime_ns == written  # imported, not generated again
    schema_cache.validator.cache_clear()


def test_unwritable_cache_falls_back_to_compiling_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    monkeypatch.setenv(schema_cache.CACHE_ENV, str(blocker / "cache"))
    schema_cache.validator.cache_clear()
    check = schema_cache.validator("team.schema.json")
    with pytest.raises(SchemaFailure, match="must contain"):
        check({"kind": "Team", "name": "t"})
    schema_cache.validator.cache_clear()


def test_cached_validators_raise_opskits_failure_and_test_numbers_without_decimal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(schema_cache.CACHE_ENV, str(tmp_path))
    schema_cache.validator.cache_clear()
    check = schema_cache.validator("slatier.schema.json")  # minimum/maximum: Decimal tests
    [module] = tmp_path.glob("*/slatier.py")
    source = module.read_text()
    assert "fastjsonschema" not in source and "from decimal" not in source
    assert "isinstance" in source and "Decimal)" in source
    with pytest.raises(SchemaFailure, match="must contain"):
        check({"kind": "SLATier", "name": "gold"})
    schema_cache.validator.cache_clear()


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        ({"type": "number", "minimum": 0.5}, 0.5, 0.25),
        ({"type": "number", "multipleOf": 0.1}, 0.3, 0.35),  # computes with Decimal
        ({"type": "integer", "maximum": 3}, 3, 4),
    ],
)
def test_rewritten_validators_judge_numbers_as_fastjsonschemas_own(
    schema: dict[str, object], good: float, bad: float
) -> None:
    import fastjsonschema

    ours = schema_cache.compiled(schema_cache.source_of(schema), "number")
    theirs = fastjsonschema.compile(schema)
    assert ours(good) == theirs(good) == good
    with pytest.raises(SchemaFailure):
        ours(bad)
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        theirs(bad)
    assert ("from decimal import Decimal" in schema_cache.source_of(schema)) == (
        "multipleOf" in schema
    )
