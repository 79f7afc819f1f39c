"""The published schema files: each one self-contained, and copies of them for users.

Every file in schemas/ is written by hand except for what this module keeps up to
date: its `$id` (under ID_BASE, at this release) and a copy of every schema it refers
to, embedded under `$defs` by that schema's `$id` (a draft 2020-12 compound
document). References stay relative, so a validator resolves them against the
`$id` to the embedded copy, offline and from any folder, while editors that resolve
them beside the file find the sibling file. After editing a schema, run
`python -m opskit.policy.schema_publish`; the test suite fails until then.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

from opskit.disk_cache import write_atomically
from opskit.policy.schemas import ID_BASE, SOURCE_TREE, resource, schema_dir, schema_id

PATTERN = "*.schema.json"


class ExportRefused(Exception):
    """Nothing was written: the folder holds different files by those names, or is no folder."""

    def __init__(self, message: str, differing: list[Path] | None = None) -> None:
        super().__init__(message)
        self.differing = differing or []


@dataclass(frozen=True, slots=True)
class Exported:
    """What exporting the schemas did: the files written, and those already the same."""

    written: list[Path]
    unchanged: list[Path]


def _referenced(node: Any, base: str) -> set[str]:
    """Names of the published files that the references in `node` lead to."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _referenced(item, base)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            target, _ = urldefrag(urljoin(base, ref))
            if not target.startswith(ID_BASE):
                raise ValueError(f"{base}: $ref {ref!r} leads outside the published schemas")
            if target != base:
                found.add(target.removeprefix(ID_BASE))
        for value in node.values():
            found |= _referenced(value, base)
    return found


def sources(folder: Path) -> dict[str, dict[str, Any]]:
    """Each file's own schema, by file name, with its absolute `$id`."""
    result = {}
    for path in sorted(folder.glob(PATTERN)):
        own = resource(json.loads(path.read_text(encoding="utf-8")))
        # $id second, after $schema, wherever the file had it
        rest = {key: value for key, value in own.items() if key not in ("$schema", "$id")}
        result[path.name] = {"$schema": own["$schema"], "$id": schema_id(path.name), **rest}
    return result


def bundle(filename: str, schemas: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """`filename`'s schema with every schema it refers to, directly or not, embedded."""
    needed: set[str] = set()
    pending = [filename]
    while pending:
        name = pending.pop()
        if name not in schemas:
            raise ValueError(f"a $ref leads to {name}, which is not among the schemas")
        for found in _referenced(schemas[name], schema_id(name)) - needed - {filename}:
            needed.add(found)
            pending.append(found)
    result = dict(schemas[filename])
    if needed:
        defs = dict(result.get("$defs", {}))
        defs |= {schema_id(name): schemas[name] for name in sorted(needed)}
        result["$defs"] = defs
    return result


def rendered(folder: Path) -> dict[str, str]:
    """What each file in `folder` should hold."""
    schemas = sources(folder)
    return {
        name: json.dumps(bundle(name, schemas), indent=2, ensure_ascii=False) + "\n"
        for name in schemas
    }


def stale(folder: Path) -> dict[str, str]:
    """The files whose `$id`, embedded copies or layout are out of date, with their due text."""
    return {
        name: text
        for name, text in rendered(folder).items()
        if (folder / name).read_text(encoding="utf-8") != text
    }


def regenerate(folder: Path) -> list[str]:
    """Bring every file in `folder` up to date; the names of those that changed."""
    changed = stale(folder)
    for name, text in changed.items():
        write_atomically(folder / name, text)
    return list(changed)


def export(target: Path, *, force: bool = False) -> Exported:
    """Copy the schemas opskit uses into `target`, made if missing.

    A file there that differs is replaced only with `force`; without it nothing is
    written at all. Other files in `target` are left alone.
    """
    if target.exists() and not target.is_dir():
        raise ExportRefused(f"{target} is not a folder")
    files = {path.name: path.read_bytes() for path in sorted(schema_dir().glob(PATTERN))}
    present = {name: target / name for name in files if (target / name).is_file()}
    unchanged = [path for name, path in present.items() if path.read_bytes() == files[name]]
    differing = sorted(set(present.values()) - set(unchanged))
    if differing and not force:
        names = ", ".join(path.name for path in differing)
        raise ExportRefused(f"{target} already has different {names}", differing)
    written = [target / name for name in files if target / name not in unchanged]
    for path in written:
        write_atomically(path, files[path.name])
    return Exported(written, unchanged)


def main() -> int:
    if not SOURCE_TREE.is_dir():
        print(f"no {SOURCE_TREE}: regenerate the schemas in a source checkout", file=sys.stderr)
        return 2
    changed = regenerate(SOURCE_TREE)
    for name in changed:
        print(f"updated {SOURCE_TREE / name}")
    print(f"{len(changed)} of {len(list(SOURCE_TREE.glob(PATTERN)))} schema files changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
