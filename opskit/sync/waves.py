"""Independent writes side by side: a plan's changes in waves, each wave on a bounded pool.

Changes of one type depend only on types before them (teams before their memberships,
schedules before the policies that page them), so each run of changes of one type is a
wave whose writes may go out together; the next wave starts when it is done. The target's
rate limiter, shared by every thread, paces them. After a failure, or on Ctrl-C, nothing
new starts and the writes in flight finish, so nothing is left half-written.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from opskit.sync.diff import Action, Change
from opskit.sync.errors import TargetError

WORKERS = 8  # writes in flight at most: enough to fill PagerDuty's 16 a second at 150 ms


def waves(changes: Iterable[Change]) -> Iterator[list[Change]]:
    """Runs of changes of one type (deletes apart from the rest), in plan order."""
    for _, wave in itertools.groupby(changes, key=lambda c: (c.type, c.action is Action.DELETE)):
        yield list(wave)


def run_wave(
    wave: list[Change],
    write: Callable[[Change], str],
    done: Callable[[Change, str], None],
    *,
    workers: int = WORKERS,
) -> tuple[Change, str] | None:
    """Write every change of the wave; the first failure (change, message), or None.

    `done` is called in this thread, in the order writes finish."""
    if workers <= 1 or len(wave) == 1:
        for change in wave:
            try:
                done(change, write(change))
            except TargetError as error:
                return change, str(error)
        return None
    failed: tuple[Change, str] | None = None
    pending = iter(wave)
    with ThreadPoolExecutor(max_workers=min(workers, len(wave))) as pool:
        flying: dict[Future[str], Change] = {
            pool.submit(write, change): change for change in itertools.islice(pending, workers)
        }
        try:
            while flying:
                finished, _ = wait(flying, return_when=FIRST_COMPLETED)
                for future in finished:
                    change = flying.pop(future)
                    try:
                        done(change, future.result())
                    except TargetError as error:
                        failed = failed or (change, str(error))
                if failed is None:
                    for change in itertools.islice(pending, len(finished)):
                        flying[pool.submit(write, change)] = change
        except BaseException:  # Ctrl-C, or a bug: let what is in flight land, start nothing
            _settle(flying, done)
            raise
    return failed


def _settle(flying: dict[Future[str], Change], done: Callable[[Change, str], None]) -> None:
    for future in list(flying):
        try:
            result = future.result()
        except BaseException:
            continue
        done(flying[future], result)
