"""Small caches in the user's cache folder: facts that are slow to compute and never change.

Everything here can be deleted at any time; a cache that cannot be read or written
is simply not used.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

try:  # the same BLAKE2 hashlib gives, without loading OpenSSL (a few ms of every start-up)
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b as blake2b

CACHE_ENV = "OPSKIT_CACHE_DIR"


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "opskit"


def write_atomically(path: Path, content: str | bytes, *, shared: bool = False) -> None:
    """Concurrent runs never see half a file: write aside, then rename.

    The file is private to the user (a temporary file's mode) unless `shared`: then it
    gets the mode a plain new file would, under the umask (reports, pages).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as handle:
        handle.write(data)
    if shared:
        umask = os.umask(0)
        os.umask(umask)
        Path(handle.name).chmod(0o666 & ~umask)
    Path(handle.name).replace(path)


STALE_AFTER_DAYS = 30
_DAY = 86_400


def prune_stale(prefix: str, *, days: int = STALE_AFTER_DAYS, now: float | None = None) -> None:
    """Delete the cache folder's files named `prefix...` that nothing wrote or read for
    `days` (a folder validated once, and never again, leaves one behind), looking at
    most once a day. Like every cache problem, a failure only means nothing is deleted."""
    folder = cache_dir()
    stamp = folder / f".pruned-{prefix}"
    now = time.time() if now is None else now
    with contextlib.suppress(OSError):
        if now - stamp.stat().st_mtime < _DAY:
            return
    with contextlib.suppress(OSError):
        stamp.touch()  # fails where there is no folder yet: nothing to prune
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith(prefix) or not entry.is_file(follow_symlinks=False):
                    continue
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime > days * _DAY:
                        Path(entry.path).unlink()


def mark_used(path: Path, *, now: float | None = None) -> None:
    """Keep a cache file that is read but not rewritten from looking stale (once a day)."""
    now = time.time() if now is None else now
    with contextlib.suppress(OSError):
        if now - path.stat().st_mtime > _DAY:
            os.utime(path)


class JsonCache:
    """A JSON object in one file, keyed by name (include versions in the name)."""

    def __init__(self, name: str) -> None:
        self.path = cache_dir() / name
        try:
            self.data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def put(self, key: str, value: Any) -> None:
        self.data[key] = value
        with contextlib.suppress(OSError):
            write_atomically(self.path, json.dumps(self.data, sort_keys=True))


@functools.cache
def release(package: str) -> str:
    """An installed package's version, for cache keys, without importing it.

    Read from its dist-info folder's name: importlib.metadata takes longer to import
    than the lookups it would key. A package found no other way is known by the size
    and time of its code.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return "missing"
    origin = Path(spec.origin)
    found = sorted(origin.parent.parent.glob(f"{package}-*.dist-info"))
    if found:
        return found[-1].name.removeprefix(f"{package}-").removesuffix(".dist-info")
    info = origin.stat()
    return f"{info.st_size}-{info.st_mtime_ns}"
