"""The site folder: what the build owns (its manifest), what would change, atomic writes.

Only files listed in the manifest are ever replaced or removed; a folder with other
files and no manifest is refused, so a wrong --out cannot wipe someone's work.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from opskit.errors import UsageError

MANIFEST = ".opskit-site.json"


@dataclass(frozen=True, slots=True)
class Owned:
    """What the site manifest says the last build wrote, and the instant it was built for."""

    files: list[str]  # relative paths the last build wrote
    now: str | None  # the instant it was built for


def _safe(entry: object) -> bool:
    if not isinstance(entry, str) or not entry or "\\" in entry:
        return False
    path = PurePosixPath(entry)
    return not path.is_absolute() and ".." not in path.parts and entry != MANIFEST


def read_manifest(out: Path) -> Owned:
    """What `out` holds of ours; an empty or missing folder holds nothing. UsageError
    for a folder with files and no manifest, or a manifest that is not ours."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is not a folder")
    manifest = out / MANIFEST
    if not manifest.is_file():
        if out.is_dir() and any(out.iterdir()):
            raise UsageError(
                f"{out} has files and no {MANIFEST}, so it was not built by opskit docs "
                "build; choose an empty or new folder with --out"
            )
        return Owned([], None)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files, now = data["files"], data.get("now")
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"{manifest} is not an opskit site manifest; remove it or "
                         "choose another --out") from None  # fmt: skip
    if not isinstance(files, list) or not all(_safe(f) for f in files):
        raise UsageError(f"{manifest} lists paths outside {out}; remove it or choose another --out")
    return Owned(sorted(files), now if isinstance(now, str) else None)


def manifest_text(pages: dict[str, bytes], now: str) -> bytes:
    body = {"generator": "opskit docs build", "now": now, "files": sorted(pages)}
    return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode()


APPEAR, CHANGE, DISAPPEAR = "appear", "change", "disappear"


def changes(out: Path, pages: dict[str, bytes], owned: Owned) -> list[tuple[str, str]]:
    """(what, path) for each file that would appear, change or disappear, by path."""
    found = []
    for path in sorted(set(pages) | set(owned.files)):
        target = out / path
        if path not in pages:
            if target.is_file():
                found.append((DISAPPEAR, path))
        elif not target.is_file():
            found.append((APPEAR, path))
        elif target.read_bytes() != pages[path]:
            found.append((CHANGE, path))
    return found


def write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        Path(temporary).chmod(0o666 & ~_umask())  # mkstemp's 0600 would hide pages from a server
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write(out: Path, pages: dict[str, bytes], owned: Owned, now: str) -> list[tuple[str, str]]:
    """Write what changed, remove what the build no longer makes; the lines of `changes`."""
    done = changes(out, pages, owned)
    for path, content in pages.items():
        target = out / path
        if not target.is_file() or target.read_bytes() != content:
            write_atomically(target, content)
    for path in owned.files:
        if path not in pages:
            (out / path).unlink(missing_ok=True)
            _prune(out, (out / path).parent)
    write_atomically(out / MANIFEST, manifest_text(pages, now))
    return done


def _prune(out: Path, folder: Path) -> None:
    """Remove folders the removal emptied, up to (not including) `out`."""
    while folder != out and out in folder.parents and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
