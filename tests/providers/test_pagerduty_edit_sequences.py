"""Any sequence of rotation edits, each applied to the sandbox, pages whom the policy says.

A hypothesis state machine adds, removes and reorders members, moves handoffs and edits
descriptions of a two-layer rotation whose layers overlap (as the example's EMEA and
Americas desks do), applying after each edit. After every apply: the plan is empty,
whoever was on call keeps their turn until the changed layers hand over, and from the
last handoff on PagerDuty's final schedule is the policy's own rendering.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from opskit.cli import cli
from opskit.oncall import render
from opskit.policy.config import load_config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.validate import validate_files
from opskit.providers.pagerduty.times import parse, utc_text
from opskit.sandbox import Sandbox
from opskit.time import zones
from tests.providers.test_pagerduty_sync import sandbox_account

PEOPLE = ["ann", "bob", "cat", "dan", "eve"]
HANDOFFS = ["08:00", "09:30", "15:00", "23:00"]
LOOK = dt.timedelta(weeks=3)  # checked after the last handoff


def people_yaml() -> str:
    return "---\n".join(
        f"kind: Person\nname: {n}\nfull_name: {n.title()} Example\n"
        f"email: {n}@example.org\ntimezone: Europe/Berlin\n"
        for n in PEOPLE
    )


def rotation_yaml(name: str, description: str, layers: list[dict[str, Any]]) -> str:
    # weekly turns handing over three days from now: an edit always has days of overlap
    # between the desks before its handoff, whenever the test runs
    start = dt.date.today() - dt.timedelta(days=4)
    text = (
        f"kind: Rotation\nname: {name}\ndescription: {description}\n"
        f'timezone: Europe/Berlin\nstart: "{start.isoformat()}"\nlayers:\n'
    )
    for layer in layers:
        text += (
            f"  - name: {layer['name']}\n    members: [{', '.join(layer['members'])}]\n"
            f"    shift: {layer['shift']}\n    handoff: \"{layer['handoff']}\"\n"
            f"    restrictions: [{{hours: \"{layer['hours']}\"}}]\n"
        )
    return text


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def final_schedule(client: Any, schedule_id: str, since: int, until: int) -> list[tuple[int, int, str]]:
    params = {"since": utc_text(zones.to_datetime(since)), "until": utc_text(zones.to_datetime(until))}
    schedule = client.get(f"/schedules/{schedule_id}", params=params).json()["schedule"]
    emails = {u["id"]: u["email"].split("@")[0] for u in client.get("/users").json()["users"]}
    return [
        (zones.from_datetime(parse(e["start"])), zones.from_datetime(parse(e["end"])), emails[e["user"]["id"]])
        for e in schedule["final_schedule"]["rendered_schedule_entries"]
    ]  # fmt: skip


def joined(entries: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, who in entries:
        if out and out[-1][2] == who and out[-1][1] == start:
            out[-1] = (out[-1][0], end, who)
        else:
            out.append((start, end, who))
    return out


def test_every_edit_sequence_pages_whom_the_policy_says(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = sandbox_account(sandbox, monkeypatch)
    for name in PEOPLE:
        user = {"type": "user", "name": name.title(), "email": f"{name}@example.org", "time_zone": "Europe/Berlin"}
        assert client.post("/users", json={"user": user}).status_code == 201
    runs = itertools.count()

    class Edits(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            run = next(runs)
            self.repo = tmp_path / f"repo-{run}"
            (self.repo / "policies").mkdir(parents=True)
            # a workspace and a schedule of its own for each run: they share one account
            (self.repo / "opskit.yaml").write_text(
                f"workspace: w{run}\npolicies: [policies]\ntargets:\n  pagerduty:\n    enabled: true\n"
            )
            (self.repo / "policies" / "people.yaml").write_text(people_yaml())
            self.name, self.description = f"desk-{run}", "Two desks"
            self.layers = [
                {"name": "early", "members": ["ann", "bob"], "shift": "1w", "handoff": "08:00", "hours": "08:00-18:00"},
                {"name": "late", "members": ["cat", "dan"], "shift": "1w", "handoff": "15:00", "hours": "15:00-23:00"},
            ]  # fmt: skip
            self.schedule_id = self.apply()

        def apply(self) -> str:
            (self.repo / "policies" / "rotation.yaml").write_text(
                rotation_yaml(self.name, self.description, self.layers)
            )
            monkeypatch.chdir(self.repo)
            before = getattr(self, "schedule_id", None)
            now = zones.from_datetime(dt.datetime.now(dt.UTC))
            was = final_schedule(client, before, now, now + zones.DAY * 21) if before else []
            result = invoke("apply", "--target", "pagerduty", "--yes")
            assert result.exit_code == 0, result.output
            plan = invoke("plan", "--target", "pagerduty", "--detailed-exitcode")
            assert plan.exit_code == 0, plan.output
            [schedule] = [
                s for s in client.get("/schedules", params={"query": self.name}).json()["schedules"]
                if s["name"] == self.name
            ]
            layers = client.get(f"/schedules/{schedule['id']}").json()["schedule"]["schedule_layers"]
            ends = [zones.from_datetime(parse(x["end"])) for x in layers if x.get("end")]
            # PagerDuty starts an edited layer at the edit: compare from after the apply
            applied = zones.from_datetime(dt.datetime.now(dt.UTC)) + 1
            handing = [end for end in ends if end > applied]
            if before and handing:
                # nobody's turn changes before the first changed layer hands over
                first = min(handing)

                def cut(entries: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
                    return joined([(max(a, applied), min(b, first), w) for a, b, w in entries
                                   if a < first and b > applied])  # fmt: skip

                assert cut(final_schedule(client, schedule["id"], applied, first)) == cut(was)
            self.check_after(schedule["id"], max([applied, *handing]))
            return str(schedule["id"])

        def check_after(self, schedule_id: str, since: int) -> None:
            config = load_config(self.repo / "opskit.yaml", Diagnostics())
            rotation = validate_files(config.policy_paths, config).policy.rotations[self.name]
            until = since + int(LOOK.total_seconds())
            policy = joined([(s.start, s.end, s.person) for s in render.render(rotation, since, until)])
            assert joined(final_schedule(client, schedule_id, since, until)) == policy

        @rule(layer=st.integers(0, 1), person=st.sampled_from(PEOPLE), at=st.integers(0, 4))
        def add_member(self, layer: int, person: str, at: int) -> None:
            members = self.layers[layer]["members"]
            if person not in members:
                members.insert(at % (len(members) + 1), person)
                self.apply()

        @precondition(lambda self: any(len(x["members"]) > 1 for x in self.layers))
        @rule(layer=st.integers(0, 1), at=st.integers(0, 4))
        def remove_member(self, layer: int, at: int) -> None:
            members = self.layers[layer]["members"]
            if len(members) > 1:
                members.pop(at % len(members))
                self.apply()

        @rule(layer=st.integers(0, 1), by=st.integers(1, 3))
        def reorder_members(self, layer: int, by: int) -> None:
            members = self.layers[layer]["members"]
            members[:] = members[by % len(members):] + members[: by % len(members)]
            self.apply()

        @rule(layer=st.integers(0, 1), handoff=st.sampled_from(HANDOFFS))
        def move_handoff(self, layer: int, handoff: str) -> None:
            self.layers[layer]["handoff"] = handoff
            self.apply()

        @rule(text=st.sampled_from(["Two desks", "Desks, edited", "Early and late desk"]))
        def edit_description(self, text: str) -> None:
            self.description = text
            self.apply()

    run_state_machine_as_test(
        Edits,
        settings=settings(
            max_examples=5, stateful_step_count=4, deadline=None,
            suppress_health_check=[HealthCheck.too_slow], database=None,
        ),
    )  # fmt: skip
