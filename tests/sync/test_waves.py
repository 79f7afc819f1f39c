"""Writes of one wave go out side by side; a failure or Ctrl-C starts nothing new and lets
what is in flight land."""

from __future__ import annotations

import threading

import pytest

from opskit.sync.diff import Action, Change
from opskit.sync.errors import TargetError
from opskit.sync.waves import run_wave, waves


def change(kind: str, key: str, action: Action = Action.CREATE) -> Change:
    return Change(action, kind, key)


def test_waves_are_runs_of_one_type_with_deletes_apart() -> None:
    plan = [
        change("team", "a"), change("team", "b"), change("membership", "a/x"),
        change("schedule", "s"), change("schedule", "t", Action.UPDATE),
        change("schedule", "old", Action.DELETE), change("team", "c", Action.DELETE),
    ]  # fmt: skip
    assert [[c.key for c in w] for w in waves(plan)] == [
        ["a", "b"], ["a/x"], ["s", "t"], ["old"], ["c"]
    ]


def test_the_writes_of_a_wave_are_in_flight_together() -> None:
    # three writes that each wait for the other two: one at a time, the barrier breaks
    barrier = threading.Barrier(3, timeout=10)
    finished: list[str] = []

    def write(c: Change) -> str:
        barrier.wait()
        return f"id-{c.key}"

    wave = [change("schedule", k) for k in "abc"]
    assert run_wave(wave, write, lambda c, rid: finished.append(rid), workers=3) is None
    assert sorted(finished) == ["id-a", "id-b", "id-c"]


def test_after_a_failure_nothing_new_starts_and_what_flies_lands() -> None:
    first_failed = threading.Event()
    started: list[str] = []
    finished: list[str] = []

    def write(c: Change) -> str:
        started.append(c.key)
        if c.key == "a":
            first_failed.set()
            raise TargetError("refused")
        assert first_failed.wait(10)  # in flight while "a" fails
        return c.key

    wave = [change("service", k) for k in "abcde"]
    failed = run_wave(wave, write, lambda c, rid: finished.append(rid), workers=2)
    assert failed is not None and failed[0].key == "a" and failed[1] == "refused"
    assert sorted(started) == ["a", "b"] and finished == ["b"]


def test_ctrl_c_lets_the_writes_in_flight_finish_and_starts_no_more() -> None:
    release = threading.Event()
    started: list[str] = []
    finished: list[str] = []

    def write(c: Change) -> str:
        started.append(c.key)
        if c.key != "a":
            assert release.wait(10)
        return c.key

    def done(c: Change, remote_id: str) -> None:
        if c.key == "a":  # Ctrl-C arrives as the first write lands
            release.set()
            raise KeyboardInterrupt
        finished.append(remote_id)

    wave = [change("service", k) for k in "abcdef"]
    with pytest.raises(KeyboardInterrupt):
        run_wave(wave, write, done, workers=3)
    assert sorted(started) == ["a", "b", "c"]  # nothing after the interrupt
    assert sorted(finished) == ["b", "c"]  # the two in flight landed and were recorded
