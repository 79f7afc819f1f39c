"""SQLite document store: every emulated object is a JSON document keyed by kind and id.

A document store keeps the emulators small (each API shapes its own JSON) while the
state still lives in a real database file that survives restarts.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Doc = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class Store:
    """Thread-safe access to one SQLite file (the HTTP server is threaded)."""

    def __init__(self, path: Path | str, *, reset: bool = False) -> None:
        self.path = Path(path)
        if reset:
            # The write-ahead log belongs to the old file; a stale one must not outlive it.
            for stale in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
                stale.unlink(missing_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)
        self._depth = 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes; nested use joins the outer transaction."""
        with self._lock:
            if self._depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT")

    def hold(self) -> None:
        """Block other threads' access until ``release`` (one writing request at a time, so
        check-then-write steps such as uniqueness checks stay atomic)."""
        self._lock.acquire()

    def release(self) -> None:
        self._lock.release()

    def next_number(self, name: str) -> int:
        with self.transaction():
            row = self._conn.execute("SELECT value FROM counters WHERE name=?", (name,)).fetchone()
            value = (row[0] if row else 0) + 1
            self._conn.execute(
                "INSERT INTO counters(name, value) VALUES(?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value=excluded.value",
                (name, value),
            )
            return value

    def get(self, kind: str, doc_id: str) -> Doc | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT body FROM docs WHERE kind=? AND id=?", (kind, doc_id)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, doc_id: str, body: Doc) -> Doc:
        text = json.dumps(body, sort_keys=True)
        with self._lock:
            self._conn.execute(
                "INSERT INTO docs(kind, id, body) VALUES(?, ?, ?) "
                "ON CONFLICT(kind, id) DO UPDATE SET body=excluded.body",
                (kind, doc_id, text),
            )
        return body

    def delete(self, kind: str, doc_id: str) -> bool:
        with self._lock:
            cur = self._conn.execute("DELETE FROM docs WHERE kind=? AND id=?", (kind, doc_id))
        return cur.rowcount > 0

    def all(self, kind: str) -> list[Doc]:
        """All documents of a kind in creation order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT body FROM docs WHERE kind=? ORDER BY seq", (kind,)
            ).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def generation(self) -> tuple[int, int]:
        """A value that changes whenever anything is written, through this store or by another
        connection to its file: what a cache of query results is valid for."""
        with self._lock:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            return self._conn.total_changes, int(version)

    def count(self, kind: str) -> int:
        with self._lock:
            row = self._conn.execute("SELECT COUNT(*) FROM docs WHERE kind=?", (kind,)).fetchone()
        return int(row[0])
