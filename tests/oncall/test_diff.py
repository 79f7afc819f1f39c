"""opskit oncall diff: a ref against the working tree, in a throwaway git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from opskit.oncall import diff_report
from tests.oncall.helpers import PEOPLE, policy, t

BASE = (
    PEOPLE
    + """kind: Calendar
name: office
timezone: UTC
working_hours: {monday: ["09:00-17:00"], tuesday: ["09:00-17:00"], wednesday: ["09:00-17:00"], thursday: ["09:00-17:00"], friday: ["09:00-17:00"]}
holidays: {extra: [{date: "2026-12-25", name: Christmas Day}]}
---
kind: Team
name: ops
members: [ann, dan]
---
kind: Priority
name: P2
level: 1
title: High
urgency: high
---
kind: SlaTier
name: Business
calendar: office
targets: {P2: {first_response: 4h, resolution: 3bd}}
---
kind: Rotation
name: duty
timezone: UTC
start: "2026-12-14"
layers:
  - members: [dan, ann]
    shift: 1w
    handoff: "00:00"
---
kind: EscalationLadder
name: main
steps: [{notify: [{rotation: duty}], escalate_after: 10m}, {notify: [{person: ann}, {person: dan}], escalate_after: 10m}]
---
kind: Service
name: api
team: ops
ladder: main
tier: Business
support_hours: 24x7
"""
)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "all.yaml").write_text(BASE)
    (tmp_path / "opskit.yaml").write_text(
        "workspace: t\npolicies: [policies]\nvalidate: {horizon: 3w}\n"
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    changed = (
        BASE.replace("members: [dan, ann]", "members: [ann, dan]")
        .replace("first_response: 4h", "first_response: 8h")
        .replace(
            '    handoff: "00:00"\n',
            '    handoff: "00:00"\n    restrictions: [{hours: "06:00-24:00"}]\n',
        )
    )
    (tmp_path / "policies" / "all.yaml").write_text(changed)
    return tmp_path


def diff(repo: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["oncall", "diff", *args, "--from", "2026-12-14", "--config", str(repo / "opskit.yaml")],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_diff_speaks_in_peoples_terms(repo: Path) -> None:
    text = diff(repo)  # the merge base with main: the commit
    duty = "in duty (step 1 of main)"
    assert f"  dan gains 126h {duty}, one weekend: 21–27 Dec, 06:00–24:00 daily (Christmas Day)\n" in text
    assert f"  dan loses 336h {duty}, two weekends: 14–20 Dec; 28 Dec – 3 Jan\n" in text
    assert f"  ann loses 168h {duty}, one weekend: 21–28 Dec\n" in text  # ann lives in Berlin
    assert "  new gap 14 Dec – 3 Jan, 00:00–06:00 daily UTC in api\n" in text
    assert "P2 first response for Business moves 4h business hours → 8h business hours" in text
    before = (repo / "policies" / "all.yaml").read_text()
    assert git(repo, "status", "--porcelain") == " M policies/all.yaml\n"  # the tree is untouched
    assert (repo / "policies" / "all.yaml").read_text() == before


def test_diff_as_markdown_and_json(repo: Path) -> None:
    markdown = diff(repo, "main", "--format", "markdown")
    assert markdown.startswith("### On-call changes")
    assert "**Promises**\n\n- P2 first response for Business moves" in markdown
    found = json.loads(diff(repo, "HEAD", "--format", "json"))
    dan = next(p for p in found["people"] if p["person"] == "dan")
    assert dan["gained"][0] == {"start": "2026-12-21T06:00:00Z", "end": "2026-12-22T00:00:00Z"}
    assert (dan["gained_hours"], dan["lost_hours"]) == (126, 336)
    (change,) = dan["changes"]
    assert (change["rotation"], change["ladder"], change["feeds"]) == (
        "duty", None, [{"ladder": "main", "step": 1}]
    )
    assert found["double_bookings"] == []
    assert found["gaps"][0]["service"] == "api" and len(found["gaps"][0]["opened"]) == 21


def test_no_changes_and_bad_refs(repo: Path) -> None:
    git(repo, "commit", "-q", "-am", "head")
    assert "no changes" in diff(repo, "HEAD")
    result = CliRunner().invoke(
        cli, ["oncall", "diff", "nope", "--config", str(repo / "opskit.yaml")]
    )
    assert result.exit_code == 2 and "git:" in result.output


# Changes per rotation and per ladder step, on policies in memory.

SWAP = """kind: Team
name: ops
members: [ann, bob, cat, dan]
---
kind: Rotation
name: primary
timezone: UTC
start: "2027-01-04"
layers:
  - {members: [ann, bob, cat], shift: 1w, handoff: "00:00"}
---
kind: Rotation
name: secondary
timezone: UTC
start: "2027-01-04"
layers:
  - {members: [bob, cat, ann], shift: 1w, handoff: "00:00"}
---
kind: EscalationLadder
name: main
steps:
  - notify: [{rotation: primary}]
    escalate_after: 10m
  - notify: [{rotation: secondary}]
    escalate_after: 10m
  - notify: [{person: dan}]
    escalate_after: 10m
"""
LO, HI = t("2027-01-04T00:00"), t("2027-01-25T00:00")  # three weeks: 4-10, 11-17, 18-24 Jan


def compare(base: str, head: str) -> dict[str, Any]:
    return diff_report.report(policy(base), policy(head), LO, HI, "base")


def summary(found: dict[str, Any], person: str) -> list[str]:
    return next(p["summary"] for p in found["people"] if p["person"] == person)


def test_a_member_swap_shows_the_week_gained_where_someone_was_already_secondary() -> None:
    # before: primary ann, bob, cat and secondary bob, cat, ann; after: primary bob, ann, cat
    found = compare(SWAP, SWAP.replace("members: [ann, bob, cat]", "members: [bob, ann, cat]"))
    # bob was on call in week 1 already (secondary): a total per person would hide his primary week
    # (each on their own clock: bob lives in New York, ann in Berlin)
    assert summary(found, "bob") == [
        "bob gains 168h in primary (step 1 of main), two weekends: 3–10 Jan",
        "bob loses 168h in primary (step 1 of main), two weekends: 10–17 Jan",
    ]
    assert summary(found, "ann") == [
        "ann gains 168h in primary (step 1 of main), one weekend: 11–18 Jan",
        "ann loses 168h in primary (step 1 of main), one weekend: 4–11 Jan",
    ]
    assert "cat" not in [p["person"] for p in found["people"]]  # cat's weeks did not move
    ((booking),) = found["double_bookings"]
    assert booking["summary"] == [
        "new double-booking in main: bob is on call in primary (step 1) and secondary (step 2) "
        "at once for 168h, two weekends: 3–10 Jan"
    ]
    assert (booking["first"], booking["second"]) == (
        {"step": 1, "rotation": "primary"}, {"step": 2, "rotation": "secondary"},
    )  # fmt: skip
    assert booking["opened"] == [{"start": "2027-01-04T00:00:00Z", "end": "2027-01-11T00:00:00Z"}]
    text = diff_report.as_text(found)
    assert "\n  new double-booking in main: bob is on call" in text
    markdown = diff_report.as_markdown(found)
    assert "**Double-bookings**\n\n- new double-booking in main: bob" in markdown
    # and swapping back ends it
    back = compare(SWAP.replace("members: [ann, bob, cat]", "members: [bob, ann, cat]"), SWAP)
    (ended,) = back["double_bookings"]
    assert ended["summary"][0].startswith("double-booking ends in main: bob is on call in primary")
    assert ended["closed"] == booking["opened"] and ended["opened"] == []


def test_per_person_totals_keep_each_rotations_gain() -> None:
    found = compare(SWAP, SWAP.replace("members: [ann, bob, cat]", "members: [bob, ann, cat]"))
    bob = next(p for p in found["people"] if p["person"] == "bob")
    assert (bob["gained_hours"], bob["lost_hours"]) == (168, 168)
    assert [(c["rotation"], c["gained_hours"], c["lost_hours"]) for c in bob["changes"]] == [
        ("primary", 168, 168)
    ]


def test_a_step_whose_targets_change_has_changes_of_its_own() -> None:
    head = SWAP.replace("[{person: dan}]", "[{person: cat}]")
    found = compare(SWAP, head)
    assert summary(found, "cat") == ["cat gains 504h at step 3 of main (directly), three weekends: 4–25 Jan"]
    assert summary(found, "dan") == ["dan loses 504h at step 3 of main (directly), three weekends: 4–24 Jan"]
    (cat,) = next(p for p in found["people"] if p["person"] == "cat")["changes"]
    assert (cat["rotation"], cat["ladder"], cat["step"]) == (None, "main", 3)
    assert (cat["gained_via"], cat["lost_via"]) == (["directly"], [])
    # a step that pages another rotation: its people gain and lose through those rotations
    other = SWAP.replace("[{rotation: secondary}]", "[{rotation: primary}, {person: dan}]")
    moved = compare(SWAP, other)
    assert summary(moved, "dan")[0].startswith("dan gains 504h at step 2 of main (directly)")
    assert summary(moved, "ann") == [
        "ann gains 168h at step 2 of main (through primary), one weekend: 4–11 Jan",
        "ann loses 168h at step 2 of main (through secondary), one weekend: 18–25 Jan",
    ]
    # the rotations themselves did not change, so nobody has a rotation line
    assert all(c["rotation"] is None for p in moved["people"] for c in p["changes"])


def test_a_rotation_change_is_not_told_again_at_the_steps_it_feeds() -> None:
    head = SWAP.replace("members: [bob, cat, ann]", "members: [bob, dan, ann]")
    found = compare(SWAP, head)
    roles = [(p["person"], c["rotation"], c["ladder"]) for p in found["people"] for c in p["changes"]]
    assert roles == [("cat", "secondary", None), ("dan", "secondary", None)]


def test_a_roster_change_shows_the_order_from_its_handoff(repo: Path) -> None:
    text = diff(repo)
    assert "  rotation duty layer layer-1: its members change without roster_changes" in text
    (repo / "policies" / "all.yaml").write_text(
        BASE.replace(
            "  - members: [dan, ann]\n",
            '  - members: [dan, ann, bob]\n    roster_changes: [{at: "2026-12-21", before: [dan, ann]}]\n',
        )
    )
    text = diff(repo)
    # ann keeps her week from 21 Dec; bob joins after her, where dan had his turn
    assert "  rotation duty layer layer-1 after 12-21 00:00: ann, bob, dan\n" in text
    assert "  bob gains 168h in duty (step 1 of main)" in text
    assert "  dan loses 168h in duty (step 1 of main)" in text
    assert "ann gains" not in text and "ann loses" not in text
