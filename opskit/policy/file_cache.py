"""Results of the per-file stages, kept between runs for files that have not changed.

Loading and schema-checking are most of a run's work, and between two runs most
files are the same. A file is unchanged while its size, mtime and inode are, as
git's index decides; when they differ (a fresh checkout, a CI cache restored, a
touch) its content is compared by digest before it is parsed again. A stamp taken
in the two seconds after a write is not trusted: another write within the file
system's clock resolution would go unseen, so such a file is compared by content.

The cache is one marshal file per (working folder, policy paths), under the user's
cache folder (marshal is fast and reads plain data only; like any cache there, it
is trusted as much as the user's home is). It is thrown away whole when opskit,
its schemas or the format change. Anything unreadable is a cache miss, never an
error. A folder's file that no run has written or read for 30 days is deleted, so
folders validated once (a CI runner's checkouts, temporary copies) do not pile up.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opskit import __version__
from opskit.disk_cache import blake2b, cache_dir, mark_used, prune_stale, write_atomically
from opskit.policy.diagnostics import Diagnostic, Level, Position
from opskit.policy.documents import Checked
from opskit.policy.loader import Document, read_bounded
from opskit.policy.schemas import schema_dir

FORMAT = 2
RACY_NS = 2_000_000_000
NO_CACHE_ENV = "OPSKIT_NO_CACHE"
# Code whose change changes what a file's entry would hold.
_STAGES = (
    "config",
    "loader",
    "yaml_nodes",
    "documents",
    "schemas",
    "schema_errors",
    "diagnostics",
    "schema_cache",
    "validate",
    "file_cache",
)

Stamp = tuple[int, int, int]  # mtime_ns, size, inode


@dataclass(slots=True)
class FileResult:
    """What loading and schema-checking one file found: kept between runs, sent by workers."""

    checked: list[Checked]
    problems: list[Diagnostic]
    count: int  # documents in the file, checked or not
    digest: bytes | None = None  # of the bytes the result came from; None if unread
    stamp: Stamp | None = None  # of the file as it was read


def digest(raw: bytes) -> bytes:
    return blake2b(raw, digest_size=16).digest()


def _content_digest(file: str) -> bytes | None:
    """Of the bytes loading reads (the same bounded read), so the two always agree."""
    try:
        return digest(read_bounded(file)[0])
    except OSError:
        return None


def stamp(file: str) -> Stamp | None:
    try:
        info = os.stat(file)  # noqa: PTH116 - thousands of files: no Path objects
    except OSError:
        return None
    return stamp_of(info)


def stamp_of(info: os.stat_result) -> Stamp:
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def disabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "") not in ("", "0")


def _version() -> str:
    here = Path(__file__).parent
    code = [stamp(str(here / f"{name}.py")) for name in _STAGES]
    folder = schema_dir()
    shapes = [(p.name, stamp(str(p))) for p in sorted(folder.iterdir())]
    return repr((FORMAT, __version__, sys.version_info[:2], code, shapes))


def _position(position: Position) -> tuple[str, int, int]:
    return (position.path, position.line, position.column)


def _encode(result: FileResult) -> tuple[Any, ...]:
    checked = [
        (
            c.kind,
            c.document.path,
            c.document.index,
            c.document.data,
            _position(c.document.origin) if c.document.origin else None,
            c.document.file,
            c.schema_ok,
        )
        for c in result.checked
    ]
    problems = [
        (*_position(d.position), int(d.level), d.rule, d.message, d.hint) for d in result.problems
    ]
    return (checked, problems, result.count)


def _decode(entry: tuple[Any, ...]) -> FileResult:
    checked, problems, count = entry
    return FileResult(
        [
            Checked(kind, Document(path, index, data, None, Position(*origin) if origin else None, file), ok)
            for kind, path, index, data, origin, file, ok in checked
        ],
        [
            Diagnostic(Position(path, line, column), Level(level), rule, message, hint)
            for path, line, column, level, rule, message, hint in problems
        ],
        count,
    )  # fmt: skip


def pack(results: Sequence[FileResult]) -> bytes:
    """Results as one blob: what workers send back, cheaper than pickling the objects."""
    return marshal.dumps([(_encode(r), r.digest, r.stamp) for r in results])


def unpack(blob: bytes) -> list[FileResult]:
    out = []
    for encoded, content, stamp_then in marshal.loads(blob):
        result = _decode(encoded)
        result.digest, result.stamp = content, stamp_then
        out.append(result)
    return out


Entry = tuple[Stamp | None, str, bytes, tuple[Any, ...]]  # stamp, display, digest, result


class FileCache:
    def __init__(self, path: Path | None, version: str) -> None:
        self.path, self.version = path, version
        self.entries: dict[str, Entry] = {}
        self.changed = False
        self.started = time.time_ns()
        if path is None:
            return
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            stored = marshal.loads(path.read_bytes())
            entries = stored.get("entries") if isinstance(stored, dict) else None
            if isinstance(entries, dict) and stored.get("version") == version:
                self.entries = entries
                mark_used(path)

    @property
    def keeps(self) -> bool:
        """Whether results put here are kept (not with the cache off)."""
        return self.path is not None

    @classmethod
    def for_run(cls, paths: Sequence[Path], cwd: str, *, enabled: bool = True) -> FileCache:
        """The cache of this working folder's policy paths (or an inert one if disabled)."""
        if not enabled or disabled():
            return cls(None, "")
        version = _version()
        # the paths as given: entries are keyed by file names spelled the same way
        where = "\0".join([cwd, *map(str, paths)])
        name = blake2b(where.encode(), digest_size=8).hexdigest()
        cache = cls(cache_dir() / f"validate-{name}.marshal", version)
        # one file a folder ever validated: those long unused go, after this run's own is
        # read (and so marked as used), lest it go just when it is needed again
        prune_stale("validate-")
        return cache

    def get(self, file: str, display: str) -> FileResult | None:
        entry = self.entries.get(file)
        if entry is None:
            return None  # (a first run stats nothing: reading the file gives its stamp)
        now = stamp(file)
        if now is None:
            return None
        try:
            stamp_then, display_then, digest_then, result = entry
            if display_then != display:
                return None
            if stamp_then != now:
                if _content_digest(file) != digest_then:
                    return None
                self._keep(file, (self._trusted(now), display, digest_then, result))
            return _decode(result)
        except (TypeError, ValueError, IndexError):
            return None  # written by something else: parse the file instead

    def put(self, file: str, display: str, result: FileResult) -> None:
        now = result.stamp
        if self.path is None or now is None or result.digest is None:
            if self.entries.pop(file, None) is not None:
                self.changed = True
            return
        self._keep(file, (self._trusted(now), display, result.digest, _encode(result)))

    def _trusted(self, now: Stamp) -> Stamp | None:
        """The stamp, unless taken too soon after a write to vouch for the content."""
        return now if self.started - now[0] >= RACY_NS else None

    def _keep(self, file: str, entry: Entry) -> None:
        if self.entries.get(file) != entry:
            self.entries[file] = entry
            self.changed = True

    def save(self, files: Sequence[str]) -> None:
        """Keep entries for this run's files only, and write if anything changed."""
        if self.path is None:
            return
        if len(self.entries) != len(files):
            wanted = set(files)
            self.entries = {f: e for f, e in self.entries.items() if f in wanted}
            self.changed = True
        if not self.changed:
            return
        with contextlib.suppress(OSError):
            write_atomically(
                self.path, marshal.dumps({"version": self.version, "entries": self.entries})
            )
