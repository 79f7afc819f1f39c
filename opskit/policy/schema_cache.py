"""Compiled schema validators, cached on disk so each run need not compile them again.

fastjsonschema turns a schema into Python source; compiling that source is the
slow part, so the module is written once per schema version into the user's
cache folder and imported from there (Python keeps its bytecode). The source is
rewritten to take its names from `schema_failures`, so importing a cached module
loads neither fastjsonschema nor `decimal`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from opskit.disk_cache import CACHE_ENV, blake2b, cache_dir, write_atomically
from opskit.policy.schemas import KINDS, inlined, schema_dir

__all__ = ["CACHE_ENV", "validator", "warm"]

Validator = Callable[[Any], Any]

# Bumped when the rewrite below changes, so modules cached by an older opskit are not reused.
_REWRITE = b"schema_failures 1"
_IMPORTS = re.compile(r"^from (?:fastjsonschema|decimal) import .*$", re.MULTILINE)
_OWN_IMPORTS = (
    "from opskit.policy.schema_failures import JsonSchemaValueException, "
    "JsonSchemaValuesException, NotADecimal as Decimal"
)
_DECIMAL = "from decimal import Decimal  # computed with, not only tested for"


def _draft7(filename: str) -> dict[str, Any]:
    # Once inlined, our schemas use only keywords draft-07 already had, so the
    # compiled draft-07 check agrees with jsonschema on validity (a test holds
    # them to it); jsonschema then explains the failures.
    schema = inlined(filename)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return schema


def _compiler_version() -> bytes:
    # fastjsonschema's version file, read rather than imported: importing the package
    # loads the whole compiler, which a run whose validators are cached never needs.
    spec = importlib.util.find_spec("fastjsonschema")
    assert spec is not None and spec.origin is not None, "fastjsonschema is not installed"
    return Path(spec.origin).with_name("version.py").read_bytes()


@functools.cache
def _digest() -> str:
    # Of the files' bytes, so a run whose validators are cached parses no schema; every
    # file counts, since a kind's validator inlines the definitions of common.schema.json.
    digest = blake2b(_REWRITE + _compiler_version(), digest_size=8)
    for path in sorted(schema_dir().glob("*.schema.json")):
        digest.update(path.name.encode())
        digest.update(blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def source_of(schema: dict[str, Any]) -> str:
    """The validator module's source: fastjsonschema's code, ending `validate = ...`."""
    import fastjsonschema

    source = fastjsonschema.compile_to_code(schema)
    entry = re.search(r"^def (validate\w*)\(data", source, re.MULTILINE)
    assert entry is not None, "fastjsonschema generated no validate function"
    imports = f"{_OWN_IMPORTS}\n{_DECIMAL}" if "Decimal(" in source else _OWN_IMPORTS
    return f"{imports}\n{_IMPORTS.sub('', source)}\n\nvalidate = {entry.group(1)}\n"


def _import(path: Path) -> ModuleType:
    # Bytecode is written here even under PYTHONDONTWRITEBYTECODE: compiling these
    # modules again on every run costs more than the checks they make.
    if not Path(importlib.util.cache_from_source(str(path))).is_file():
        import py_compile  # only the first run after a change compiles

        # on failure: imported from source, compiled again next time
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
        source = source_of(_draft7(filename))
        write_atomically(path, f"# generated from opskit's {filename}; safe to delete\n{source}")
    validate: Validator = _import(path).validate
    return validate


@functools.cache
def validator(filename: str) -> Validator:
    try:
        return _load(cache_dir() / f"schemas-{_digest()}", filename)
    except OSError:  # read-only home, full disk: compile in memory instead
        return compiled(source_of(_draft7(filename)), filename)


def compiled(source: str, name: str) -> Validator:
    """The `validate` function of validator source, compiled in memory."""
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{name} validator>", "exec"), namespace)  # our generated code
    validate: Validator = namespace["validate"]
    return validate


def warm() -> None:
    """Compile every validator now (before forking workers, so they share the work)."""
    for filename in KINDS.values():
        validator(filename)
