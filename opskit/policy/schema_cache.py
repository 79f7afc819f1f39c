"""Compiled schema validators, cached on disk so each run need not compile them again.

fastjsonschema turns a schema into Python source; compiling that source is the
slow part, so the module is written once per schema version into the user's
cache folder and imported from there (Python keeps its bytecode).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import py_compile
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import fastjsonschema

from opskit.disk_cache import CACHE_ENV, cache_dir, write_atomically
from opskit.policy.schemas import KINDS, inlined, schema_dir

__all__ = ["CACHE_ENV", "validator", "warm"]

Validator = Callable[[Any], Any]


def _draft7(filename: str) -> dict[str, Any]:
    # Once inlined, our schemas use only keywords draft-07 already had, so the
    # compiled draft-07 check agrees with jsonschema on validity (a test holds
    # them to it); jsonschema then explains the failures.
    schema = inlined(filename)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return schema


@functools.cache
def _digest() -> str:
    # Of the files' bytes, so a run whose validators are cached parses no schema; every
    # file counts, since a kind's validator inlines the definitions of common.schema.json.
    digest = hashlib.sha256(fastjsonschema.VERSION.encode())
    for path in sorted(schema_dir().glob("*.schema.json")):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _import(path: Path) -> ModuleType:
    # Bytecode is written here even under PYTHONDONTWRITEBYTECODE: compiling these
    # modules again on every run costs more than the checks they make.
    if not Path(importlib.util.cache_from_source(str(path))).is_file():
        with contextlib.suppress(OSError, py_compile.PyCompileError):
            py_compile.compile(str(path), doraise=True)
    spec = importlib.util.spec_from_file_location(
        f"opskit_schema_{path.parent.name}_{path.stem}", path
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load(folder: Path, filename: str) -> Validator:
    path = folder / (filename.removesuffix(".schema.json") + ".py")
    if not path.is_file():
        source = fastjsonschema.compile_to_code(_draft7(filename))
        entry = re.search(r"^def (validate\w*)\(data", source, re.MULTILINE)
        assert entry is not None, "fastjsonschema generated no validate function"
        source += f"\n\nvalidate = {entry.group(1)}\n"
        write_atomically(path, f"# generated from opskit's {filename}; safe to delete\n{source}")
    validate: Validator = _import(path).validate
    return validate


@functools.cache
def validator(filename: str) -> Validator:
    try:
        return _load(cache_dir() / f"schemas-{_digest()}", filename)
    except OSError:  # read-only home, full disk: compile in memory instead
        compiled: Validator = fastjsonschema.compile(_draft7(filename))
        return compiled


def warm() -> None:
    """Compile every validator now (before forking workers, so they share the work)."""
    for filename in KINDS.values():
        validator(filename)
