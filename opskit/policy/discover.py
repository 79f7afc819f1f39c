"""Which files make up a policy set."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


def policy_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and YAML files under folders (hidden folders skipped), sorted."""
    return [Path(f) for f in policy_file_names(paths)]


def policy_file_names(paths: Iterable[Path]) -> list[str]:
    """policy_files as strings, for callers handling thousands of them."""
    found: list[str] = []
    for path in paths:
        if path.is_dir():
            _walk(str(path), found)
        else:
            found.append(str(path))
    return list(dict.fromkeys(found))


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


def display_path(path: Path | str, base: str | None = None) -> str:
    """Paths relative to the working folder when inside it, as editors and CI annotations expect.

    String operations only: resolving symlinks for every file costs more than parsing it,
    and a relative path that is already clean is returned as it is.
    """
    text = os.fspath(path)
    if not os.path.isabs(text) and _clean(text):  # noqa: PTH117
        return text
    prefix = (base or os.getcwd()).rstrip(os.sep) + os.sep  # noqa: PTH109
    absolute = text if _clean(text) else os.path.abspath(text)  # noqa: PTH100
    if absolute.startswith(prefix):
        return absolute[len(prefix) :]
    return text


def _clean(text: str) -> bool:
    """No '.', '..' or empty parts, so normalising would not change it."""
    return not (text.startswith(".") or "/." in text or "//" in text or text.endswith("/"))
