"""Process-level tuning shared by the batch commands."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_process_ends_with_command = False


def command_process() -> None:
    """Say the process ends when its command does, as the CLI's does."""
    global _process_ends_with_command
    _process_ends_with_command = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a batch of work.

    Loading keeps a YAML node graph per document for positions, and plans hold every
    remote object: hundreds of thousands of objects that the collector would scan again
    and again to find no garbage, since all of it is acyclic and short-lived.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Everything made meanwhile sits in the youngest generation; the first
            # collection after enabling would scan it all at once (a quarter second for
            # a large repository). In a process about to end, freezing moves it out of
            # the collector's sight; a long-lived one pays instead of keeping cycles.
            if _process_ends_with_command:
                gc.freeze()
            gc.enable()
