"""The CLI's process freezes what a paused batch made; a library caller's keeps collecting it."""

from __future__ import annotations

import subprocess
import sys


def _frozen_after_batch(prelude: str) -> int:
    code = f"""
import gc
from opskit import runtime
{prelude}
before = gc.get_freeze_count()
with runtime.collector_paused():
    junk = [[i] for i in range(50_000)]
print(gc.get_freeze_count() - before)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_a_library_caller_keeps_its_garbage_collectable() -> None:
    assert _frozen_after_batch("") == 0


def test_the_command_process_freezes_the_batch() -> None:
    assert _frozen_after_batch("runtime.command_process()") >= 50_000
