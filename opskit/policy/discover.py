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
    return list(dict.fromkeys(file for file, _ in _found(paths, None)))


def policy_file_pairs(paths: Iterable[Path], base: str) -> list[tuple[str, str]]:
    """(file, display_path(file, base)) for policy_files: a folder's display name is
    worked out once, and its files' names are joined onto it."""
    return list(dict(_found(paths, base)).items())


def _found(paths: Iterable[Path], base: str | None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in paths:
        if not path.is_dir():
            found.append((str(path), display_path(path, base) if base is not None else ""))
            continue
        shown = display_path(path, base) if base is not None else ""
        if base is not None and os.path.abspath(path) == base.rstrip(os.sep):  # noqa: PTH100
            shown = ""  # the working folder itself: its files go by their own names
        elif base is not None and (os.path.isabs(shown) or not _clean(shown)):  # noqa: PTH117
            # a folder around the working folder: some files are inside it, some not
            inner: list[tuple[str, str]] = []
            _walk(str(path), "", inner)
            found += [(file, display_path(file, base)) for file, _ in inner]
            continue
        _walk(str(path), shown, found)
    return found


def _walk(folder: str, shown: str, found: list[tuple[str, str]]) -> None:
    # scandir and strings: a repository of thousands of files is listed in milliseconds
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        if entry.name.startswith("."):
            continue
        name = f"{shown}{os.sep}{entry.name}" if shown not in ("", ".") else entry.name
        if entry.is_dir():
            _walk(entry.path, name, found)
        elif entry.name.endswith(SUFFIXES):
            found.append((entry.path, name))


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
