"""Small caches in the user's cache folder: facts that are slow to compute and never change.

Everything here can be deleted at any time; a cache that cannot be read or written
is simply not used.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV = "OPSKIT_CACHE_DIR"


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "opskit"


def write_atomically(path: Path, text: str) -> None:
    """Concurrent runs never see half a file: write aside, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as handle:
        handle.write(text)
    Path(handle.name).replace(path)


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
