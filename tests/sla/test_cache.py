"""The SLA cache: what goes in comes out, it stays bounded, and a bad file is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.sla import cache
from opskit.sla.history import from_json, to_json
from tests.sla.helpers import Story, berlin


def _issue(key: str, day: int, done: bool = False) -> object:
    story = Story(berlin(f"2026-11-{day:02d}T09:00"), key=key).reply(
        berlin(f"2026-11-{day:02d}T10:00")
    )
    if done:
        story.status(berlin(f"2026-11-{day:02d}T11:00"), "Resolved")
    return story.issue()


def test_an_issue_round_trips_through_json() -> None:
    issue = _issue("SUP-1", 2, done=True)
    assert from_json(to_json(issue)) == issue  # type: ignore[arg-type]


def test_the_cache_keeps_open_tickets_first_then_the_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ISSUES", 2)
    store = cache.Store(tmp_path / "c.json")
    for key, day, done in (("SUP-1", 2, False), ("SUP-2", 20, True), ("SUP-3", 3, False)):
        store.issues[key] = _issue(key, day, done)  # type: ignore[assignment]
    cache.save(store)
    assert set(cache.load(tmp_path / "c.json").issues) == {"SUP-1", "SUP-3"}


@pytest.mark.parametrize("content", ["{", "[]", '{"format": 99}', '{"format": 1, "issues": 3}'])
def test_an_unreadable_cache_is_rebuilt(tmp_path: Path, content: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(content)
    store = cache.load(path)
    assert store.issues == {} and store.read_at is None and "rebuilt" in store.note
