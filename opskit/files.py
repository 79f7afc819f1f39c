"""Reading a file someone names, never more of it than a limit: it can be any size, or
endless (/dev/zero, a pipe that never closes its end)."""

from __future__ import annotations

from pathlib import Path


def read_at_most(path: Path | str, limit: int) -> bytes:
    """The file's first `limit` + 1 bytes: one more than allowed, so that a caller can tell
    a file of exactly `limit` bytes from a larger one."""
    with open(path, "rb") as stream:  # noqa: PTH123 - one read of a bounded size
        return stream.read(limit + 1)
