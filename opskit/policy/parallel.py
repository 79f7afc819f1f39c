"""Per-file work shared by forked workers and the parent, balanced while it runs.

Files are cut into chunks. Workers take chunks from the front and the parent from
the back until they meet, so a busy core or a slow file shifts work to whoever is
free instead of leaving the others waiting. Workers pack their results as plain
data and send them when they run out of chunks (positions are found again only for
problems); the parent keeps its own results as they are, so its share costs nothing
to send. A worker that dies costs only time: the parent checks what it did not return.

Plain os.fork with a pipe a worker, not multiprocessing: its imports alone cost more
than a small run's whole share of the work.
"""

from __future__ import annotations

import fcntl
import marshal
import mmap
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from opskit.policy.file_cache import FileResult, pack, unpack

CHUNK = 64
Pairs = Sequence[tuple[str, str]]  # (file, name to show)
Check = Callable[[Pairs], list[FileResult]]


class _Board:
    """Two counters in memory the workers share: the next chunk from the front, and one
    past the next chunk from the back. A POSIX record lock guards them: it is held per
    process, and the kernel lets it go when its holder dies, so a killed worker cannot
    leave the others waiting."""

    def __init__(self, chunks: int) -> None:
        self._fd = os.memfd_create("opskit-board") if hasattr(os, "memfd_create") else _temp_fd()
        os.ftruncate(self._fd, 8)
        self._memory = mmap.mmap(self._fd, 8)  # MAP_SHARED: forked children see writes
        self._cells = memoryview(self._memory).cast("i")
        self._cells[0], self._cells[1] = 0, chunks

    @contextmanager
    def _held(self) -> Iterator[None]:
        fcntl.lockf(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def take(self, *, front: bool) -> int | None:
        with self._held():
            first, end = self._cells[0], self._cells[1]
            if first >= end:
                return None
            if front:
                self._cells[0] = first + 1
                return first
            self._cells[1] = end - 1
            return end - 1

    def close(self) -> None:
        self._cells.release()
        self._memory.close()
        os.close(self._fd)


def _temp_fd() -> int:
    import tempfile  # only where there is no memfd_create (macOS)
    from pathlib import Path

    fd, path = tempfile.mkstemp(prefix="opskit-board-")
    Path(path).unlink()
    return fd


@dataclass(slots=True)
class _Worker:
    """A forked worker process and the read end of the pipe it sends its results through."""

    pid: int
    pipe: int  # read end; the worker writes its results and exits
    reaped: bool = False

    def results(self) -> list[tuple[int, bytes]]:
        """What the worker sent; nothing if it failed (its chunks are done again)."""
        with open(self.pipe, "rb", closefd=False) as incoming:
            blob = incoming.read()
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not blob:
            return []
        try:
            done: list[tuple[int, bytes]] = marshal.loads(blob)
        except (EOFError, ValueError, TypeError):
            return []
        return done

    def stop(self) -> None:
        if not self.reaped:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # nothing it holds outlives it
            os.waitpid(self.pid, 0)
            self.reaped = True
        os.close(self.pipe)


def _work(board: _Board, chunks: list[Pairs], check: Check, pipe: int) -> int:
    done = []
    while (index := board.take(front=True)) is not None:
        done.append((index, pack(check(chunks[index]))))
    with open(pipe, "wb") as outgoing:
        outgoing.write(marshal.dumps(done))
    return 0


@contextmanager
def _interrupts_deferred() -> Iterator[Any]:
    """Ctrl-C waits until the block is done, then arrives as it would have. Between a fork
    and the worker's entry in the parent's list it would leave a worker nobody reaps; during
    the reaping, workers still running. A signal the kernel delivered before the block is
    still pending in Python, so blocking it in the kernel is not enough: the handler is
    swapped for one that notes it. Yields the handler from before, for a forked worker."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:  # set outside Python: it cannot be put back
        yield None
        return
    noted: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _: noted.append(number))
    try:
        yield previous
    finally:
        signal.signal(signal.SIGINT, previous)
        if noted:
            signal.raise_signal(signal.SIGINT)


def _start(board: _Board, chunks: list[Pairs], check: Check, handler: Any) -> _Worker:
    """Called with Ctrl-C deferred; the worker takes `handler` back at once."""
    incoming, outgoing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns into the caller's stack
        status = 1
        try:
            if handler is not None:
                signal.signal(signal.SIGINT, handler)
            os.close(incoming)
            status = _work(board, chunks, check, outgoing)
        except BaseException:  # Ctrl-C or a failure: the parent redoes its share
            pass
        finally:
            os._exit(status)  # no atexit, no flushing the parent's buffers twice
    os.close(outgoing)
    return _Worker(pid, incoming)


def check_in_parallel(pairs: Pairs, jobs: int, check: Check) -> list[FileResult]:
    """`check` over `pairs` in `jobs` processes; results in the order of `pairs`."""
    chunks = [pairs[i : i + CHUNK] for i in range(0, len(pairs), CHUNK)]
    results: list[list[FileResult] | None] = [None] * len(chunks)
    board = _Board(len(chunks))
    workers: list[_Worker] = []
    try:
        for _ in range(jobs - 1):
            with _interrupts_deferred() as handler:
                workers.append(_start(board, chunks, check, handler))
        while (index := board.take(front=False)) is not None:
            results[index] = check(chunks[index])
        for worker in workers:
            for index, blob in worker.results():
                results[index] = unpack(blob)
        for index, result in enumerate(results):
            if result is None:  # a worker died holding it
                results[index] = check(chunks[index])
    finally:
        with _interrupts_deferred():
            for worker in workers:
                worker.stop()
            board.close()
    return [result for chunk in results if chunk is not None for result in chunk]


def can_fork() -> bool:
    """Fork only a process with one thread: a thread holding a lock (imports, I/O) at
    that moment would leave the child waiting on it forever."""
    return hasattr(os, "fork") and threading.active_count() == 1
