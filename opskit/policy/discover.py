"""Which files make up a policy set."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


def policy_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and YAML files under folders (hidden folders skipped), sorted."""
    return [Path(f) for f in policy_file_names(paths)]


def policy_file_names(paths: Iterable[Path]) -> list[str]:
    """policy_files as strings, for callers handling thousands of them."""
    return list(dict.fromkeys(file for file, _ in _found(paths, None)))


def policy_file_pairs(
    paths: Iterable[Path], base: str, *, root: str | None = None,
    refused: list[Refused] | None = None,
) -> list[tuple[str, str]]:  # fmt: skip
    """(file, display_path(file, base)) for policy_files: a folder's display name is
    worked out once, and its files' names are joined onto it.

    With `root`, only regular files inside the repository at `root` are listed; every
    other path found (a symlink out of it, a FIFO or device, a loop) goes to `refused`
    and is never opened.
    """
    return list(dict(_found(paths, base, root, refused)).items())


@dataclass(frozen=True, slots=True)
class Refused:
    """A path that is not read, and why (shown at the path, as a problem)."""

    path: str
    rule: str
    message: str


class _Fence:
    """Keeps a walk inside the repository: only symlinks cost a lookup, since a plain entry
    of a folder inside the root is inside it too."""

    def __init__(self, root: str, refused: list[Refused]) -> None:
        self.root = os.path.realpath(root)
        self.prefix = self.root.rstrip(os.sep) + os.sep
        self.refused = refused
        self.walking: set[str] = set()  # real folders being walked: a link back is a loop
        self.seen: set[str] = set()  # real folders walked: reached again, they add nothing

    def inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.prefix)

    def refuse(self, shown: str, rule: str, message: str) -> None:
        self.refused.append(Refused(shown, rule, message))

    def admit(self, path: str, shown: str) -> str | None:
        """'dir' or 'file' when `path` may be read, else None (and the reason recorded)."""
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError):  # a NUL byte in the name, say
            self.refuse(shown, "path-unreadable", f"{shown!r} is not a usable file name")
            return None
        if not self.inside(real):
            self.refuse(shown, "path-outside-repository",
                        f"{shown} resolves outside the repository ({self.root}); policies are "
                        "read only from inside it")  # fmt: skip
            return None
        try:
            mode = Path(real).stat().st_mode
        except OSError as error:  # a symlink loop, a dangling link, no permission
            reason = "a symlink loop" if error.errno == errno.ELOOP else error.strerror
            self.refuse(shown, "path-unreadable", f"{shown} cannot be read: {reason}")
            return None
        if stat.S_ISDIR(mode):
            return "dir"
        if not stat.S_ISREG(mode):
            self.refuse(shown, "path-unreadable",
                        f"{shown} is not a regular file (a FIFO, device or socket)")  # fmt: skip
            return None
        return "file"

    def enter(self, folder: str, shown: str) -> str | None:
        """The folder's real path if it is to be walked now; None if it was walked already
        or is being walked (a link back up: a loop, refused)."""
        real = os.path.realpath(folder)
        if real in self.walking:
            self.refuse(shown or ".", "path-unreadable",
                        f"{shown or '.'} links back to a folder it is inside (a symlink loop)")  # fmt: skip
            return None
        if real in self.seen:
            return None
        self.seen.add(real)
        self.walking.add(real)
        return real


def _found(
    paths: Iterable[Path], base: str | None, root: str | None = None,
    refused: list[Refused] | None = None,
) -> list[tuple[str, str]]:  # fmt: skip
    fence = _Fence(root, refused if refused is not None else []) if root is not None else None
    found: list[tuple[str, str]] = []
    for path in paths:
        if fence is not None:
            kind = fence.admit(str(path), display_path(path, base))
            if kind is None:
                continue
            is_dir = kind == "dir"
        else:
            is_dir = path.is_dir()
        if not is_dir:
            found.append((str(path), display_path(path, base) if base is not None else ""))
            continue
        shown = display_path(path, base) if base is not None else ""
        if base is not None and os.path.abspath(path) == base.rstrip(os.sep):  # noqa: PTH100
            shown = ""  # the working folder itself: its files go by their own names
        elif base is not None and (os.path.isabs(shown) or not _clean(shown)):  # noqa: PTH117
            # a folder around the working folder: some files are inside it, some not
            inner: list[tuple[str, str]] = []
            _walk(str(path), "", inner, fence)
            found += [(file, display_path(file, base)) for file, _ in inner]
            continue
        _walk(str(path), shown, found, fence)
    return found


def _walk(folder: str, shown: str, found: list[tuple[str, str]], fence: _Fence | None) -> None:
    # scandir and strings: a repository of thousands of files is listed in milliseconds
    real = fence.enter(folder, shown) if fence is not None else None
    if fence is not None and real is None:
        return
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        if entry.name.startswith("."):
            continue
        name = f"{shown}{os.sep}{entry.name}" if shown not in ("", ".") else entry.name
        policy_name = entry.name.endswith(SUFFIXES)
        if fence is None:
            if entry.is_dir():
                _walk(entry.path, name, found, None)
            elif policy_name:
                found.append((entry.path, name))
            continue
        if entry.is_symlink():
            kind = fence.admit(entry.path, name)
            if kind == "dir":
                _walk(entry.path, name, found, fence)
            elif kind == "file" and policy_name:
                found.append((entry.path, name))
        elif entry.is_dir(follow_symlinks=False):
            if policy_name:
                fence.refuse(name, "path-unreadable",
                             f"{name} is a folder, not a policy file; rename it")  # fmt: skip
            else:
                _walk(entry.path, name, found, fence)
        elif policy_name:
            if entry.is_file(follow_symlinks=False):
                found.append((entry.path, name))
            else:
                fence.refuse(name, "path-unreadable",
                             f"{name} is not a regular file (a FIFO, device or socket)")  # fmt: skip
    if fence is not None and real is not None:
        fence.walking.discard(real)


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
