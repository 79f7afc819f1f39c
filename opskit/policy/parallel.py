"""Per-file work shared by forked workers and the parent, balanced while it runs.

Files are cut into chunks. Workers take chunks from the front and the parent from
the back until they meet, so a busy core or a slow file shifts work to whoever is
free instead of leaving the others waiting. Workers pack their results as plain
data as they go (positions are found again only for problems); the parent keeps
its own results as they are, so its share costs nothing to send.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from opskit.policy.file_cache import FileResult, pack, unpack

CHUNK = 64
Pairs = Sequence[tuple[str, str]]  # (file, name to show)
Check = Callable[[Pairs], list[FileResult]]


@dataclass(slots=True)
class _Board:
    """What the workers inherit when they are forked."""

    chunks: list[Pairs]
    check: Check
    lock: Any
    front: Any  # the next chunk a worker takes
    back: Any  # one past the next chunk the parent takes


_BOARD: _Board | None = None


def _take_front(board: _Board) -> int | None:
    with board.lock:
        if board.front.value >= board.back.value:
            return None
        board.front.value += 1
        return int(board.front.value) - 1


def _take_back(board: _Board) -> int | None:
    with board.lock:
        if board.back.value <= board.front.value:
            return None
        board.back.value -= 1
        return int(board.back.value)


def _work(_: int) -> list[tuple[int, bytes]]:
    board = _BOARD
    assert board is not None, "workers are forked after the board is set"
    done = []
    while (index := _take_front(board)) is not None:
        done.append((index, pack(board.check(board.chunks[index]))))
    return done


def check_in_parallel(pairs: Pairs, jobs: int, check: Check) -> list[FileResult]:
    """`check` over `pairs` in `jobs` processes; results in the order of `pairs`."""
    import multiprocessing  # only now: a run with every file cached needs none of it

    global _BOARD
    context = multiprocessing.get_context("fork")
    chunks = [pairs[i : i + CHUNK] for i in range(0, len(pairs), CHUNK)]
    front, back = context.RawValue("i", 0), context.RawValue("i", len(chunks))
    board = _BOARD = _Board(chunks, check, context.Lock(), front, back)
    results: list[list[FileResult]] = [[] for _ in chunks]
    try:
        with context.Pool(jobs - 1) as pool:
            pending = pool.map_async(_work, range(jobs - 1))
            while (index := _take_back(board)) is not None:
                results[index] = check(chunks[index])
            for part in pending.get():
                for index, blob in part:
                    results[index] = unpack(blob)
    finally:
        _BOARD = None
    return [result for chunk in results for result in chunk]


def can_fork() -> bool:
    """Fork only a process with one thread: a thread holding a lock (imports, I/O) at
    that moment would leave the child waiting on it forever."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
