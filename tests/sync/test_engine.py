"""The generic engine: diff, plan files, ordered idempotent apply."""

from __future__ import annotations

import json
from typing import Any

import pytest

from opskit.sync.apply import IdMap, TargetError, UnclearWrite, apply_plan
from opskit.sync.diff import Action, Change, diff
from opskit.sync.ownership import owner, strip_marker, with_marker
from opskit.sync.plan import Plan, fingerprint, make_plan
from opskit.sync.render import plan_lines
from opskit.sync.resources import Desired, Live, make_ref

ORDER = ["team", "schedule", "policy"]


def live(kind: str, key: str, rid: str, managed: bool = True, **fields: Any) -> Live:
    return Live(kind, key, rid, fields, managed)


def test_diff_orders_by_dependency_and_deletes_in_reverse() -> None:
    desired = [
        Desired("policy", "p", {"rules": [make_ref("schedule", "s")]}),
        Desired("schedule", "s", {"name": "s", "tz": "UTC"}),
        Desired("team", "t", {"name": "t"}),
    ]
    current = [
        live("team", "t", "T1", name="t"),
        live("schedule", "s", "S1", name="s", tz="Europe/Berlin"),
        live("schedule", "old", "S2", name="old"),
        live("team", "gone", "T2", name="gone"),
        live("policy", "hand-made", "P9", managed=False),
    ]
    changes, others = diff(ORDER, desired, current)
    assert [(c.action, c.type, c.key) for c in changes] == [
        (Action.UNCHANGED, "team", "t"),
        (Action.UPDATE, "schedule", "s"),
        (Action.CREATE, "policy", "p"),
        (Action.DELETE, "schedule", "old"),
        (Action.DELETE, "team", "gone"),
    ]
    update = changes[1]
    assert [(f.name, f.before, f.after) for f in update.changes] == [("tz", "Europe/Berlin", "UTC")]
    assert [o.key for o in others] == ["hand-made"]


def test_plan_round_trips_through_json_and_renders() -> None:
    changes, _ = diff(ORDER, [Desired("team", "t", {"name": "t"})], [live("team", "x", "T9")])
    plan = Plan("pagerduty", "w", changes, fingerprint([]), {"team": {"x": "T9"}})
    again = Plan.from_json(json.loads(json.dumps(plan.to_json())))
    assert again.to_json() == plan.to_json()
    text = [line for _, line in plan_lines(again, prune=False)]
    assert text[0] == "+ team 't'"
    assert "- team 'x'  [kept: run with --prune to delete]" in text
    assert (
        text[-1]
        == "Plan for pagerduty: 1 to create, 0 to update, 0 to delete (1 kept without --prune), 0 unchanged."
    )


def test_fingerprint_sees_managed_edits_but_not_hand_made_ones() -> None:
    base = [live("team", "t", "T1", name="t"), live("team", "h", "H1", managed=False, name="h")]
    edited_ours = [live("team", "t", "T1", name="t2"), base[1]]
    edited_theirs = [base[0], live("team", "h", "H1", managed=False, name="h2")]
    assert fingerprint(base) != fingerprint(edited_ours)
    assert fingerprint(base) == fingerprint(edited_theirs)


class Recorder:
    """An in-memory target: the engine's side of the contract, nothing vendor-specific."""

    def __init__(
        self, existing: dict[tuple[str, str], str] | None = None, fail_on: str = ""
    ) -> None:
        self.objects = dict(existing or {})
        self.calls: list[tuple[str, str, Any]] = []
        self.fail_on = fail_on

    def find_managed(self, type: str, key: str) -> str | None:
        return self.objects.get((type, key))

    def create(self, change: Change, ids: IdMap) -> str:
        if change.key == self.fail_on:
            raise TargetError(f"{change.type} {change.key!r}: refused")
        remote = f"{change.type[0].upper()}{len(self.objects) + 1}"
        self.objects[(change.type, change.key)] = remote
        self.calls.append(("create", change.key, ids.resolve(change.fields)))
        return remote

    def update(self, change: Change, ids: IdMap) -> None:
        self.calls.append(("update", change.key, ids.resolve(change.fields)))

    def delete(self, change: Change) -> None:
        self.objects.pop((change.type, change.key), None)
        self.calls.append(("delete", change.key, None))


def _plan(existing: list[Live]) -> Plan:
    desired = [
        Desired("schedule", "s", {"name": "s"}),
        Desired("policy", "p", {"targets": [make_ref("schedule", "s")]}),
    ]
    return make_plan("t", "w", ORDER, desired, existing)


def test_apply_resolves_references_to_objects_created_in_the_same_run() -> None:
    target = Recorder()
    outcome = apply_plan(_plan([]), target)
    assert target.calls == [("create", "s", {"name": "s"}), ("create", "p", {"targets": ["S1"]})]
    assert outcome.failed is None and len(outcome.done) == 2


class LosesAnswers(Recorder):
    """Creates the object, then the answer is lost on the way back (a dropped connection)."""

    def __init__(self, lose: int) -> None:
        super().__init__()
        self.lose = lose

    def create(self, change: Change, ids: IdMap) -> str:
        made = super().create(change, ids)
        if self.lose:
            self.lose -= 1
            raise UnclearWrite(f"{change.key}: connection lost")
        return made


def test_a_create_whose_answer_was_lost_is_found_not_repeated() -> None:
    target = LosesAnswers(lose=1)
    outcome = apply_plan(_plan([]), target)
    assert outcome.failed is None
    assert [c[:2] for c in target.calls] == [("create", "s"), ("update", "s"), ("create", "p")]
    assert target.calls[2] == ("create", "p", {"targets": ["S1"]})
    assert len(target.objects) == 2


class Refuses(Recorder):
    def create(self, change: Change, ids: IdMap) -> str:
        raise UnclearWrite(f"{change.key}: 502")


def test_unclear_creates_are_tried_a_bounded_number_of_times() -> None:
    outcome = apply_plan(_plan([]), Refuses())
    assert outcome.failed is not None and outcome.error == "s: 502"


def test_deletes_need_prune() -> None:
    plan = _plan([live("schedule", "s", "S1", name="s"), live("schedule", "old", "S2")])
    target = Recorder({("schedule", "s"): "S1", ("schedule", "old"): "S2"})
    kept = apply_plan(plan, target)
    assert kept.skipped == 1 and ("schedule", "old") in target.objects
    apply_plan(plan, target, prune=True)
    assert ("schedule", "old") not in target.objects


def test_apply_stops_at_the_first_failure_and_says_which() -> None:
    target = Recorder(fail_on="s")
    outcome = apply_plan(_plan([]), target)
    assert outcome.failed is not None and outcome.failed.key == "s"
    assert outcome.error == "schedule 's': refused"
    assert target.calls == []


def test_unresolvable_reference_is_a_target_error() -> None:
    with pytest.raises(TargetError, match="schedule 'nope' has no remote id"):
        IdMap({}).resolve({"a": [make_ref("schedule", "nope")]})


@pytest.mark.parametrize(
    "description", ["", "Primary on-call", "Line one\n\nmanaged-by: opskit/other"]
)
def test_ownership_marker_round_trip(description: str) -> None:
    marked = with_marker(description, "northwind")
    assert owner(marked) == "northwind"
    assert strip_marker(marked) == strip_marker(description)
    assert owner("made by hand") is None
