"""Which files make up a policy set."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


def policy_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and YAML files under folders (hidden folders skipped), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root, f) for f in sorted(files) if f.endswith(SUFFIXES))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def display_path(path: Path, base: str | None = None) -> str:
    """Paths relative to the working folder when inside it, as editors and CI annotations expect.

    String operations only: resolving symlinks for every file costs more than parsing it.
    """
    base = base or os.getcwd()  # noqa: PTH109
    absolute = os.path.abspath(path)  # noqa: PTH100
    if absolute.startswith(base.rstrip(os.sep) + os.sep):
        return absolute[len(base.rstrip(os.sep)) + 1 :]
    return str(path)
