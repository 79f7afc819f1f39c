"""Compiled validators are written once, reused, and never required."""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.policy import schema_cache


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
    with pytest.raises(Exception, match="must contain"):
        check({"kind": "Team", "name": "t"})
    schema_cache.validator.cache_clear()
