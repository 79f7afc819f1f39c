"""Which files make up a policy set."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


def policy_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and YAML files under folders (hidden folders skipped), sorted."""
    found: list[str] = []
    for path in paths:
        if path.is_dir():
            _walk(str(path), found)
        else:
            found.append(str(path))
    return [Path(f) for f in dict.fromkeys(found)]


def _walk(folder: str, found: list[str]) -> None:
    # scandir and strings: a repository of thousands of files is listed in milliseconds
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            _walk(entry.path, found)
        elif entry.name.endswith(SUFFIXES):
            found.append(entry.path)


def display_path(path: Path, base: str | None = None) -> str:
    """Paths relative to the working folder when inside it, as editors and CI annotations expect.

    String operations only: resolving symlinks for every file costs more than parsing it.
    """
    base = base or os.getcwd()  # noqa: PTH109
    absolute = os.path.abspath(path)  # noqa: PTH100
    if absolute.startswith(base.rstrip(os.sep) + os.sep):
        return absolute[len(base.rstrip(os.sep)) + 1 :]
    return str(path)
