"""A roster change continues the order: whoever is on call keeps the turn, the person
after them (in the old order) is next, and the new list deals from there."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.oncall import render, roster
from opskit.time import zones
from tests.oncall.helpers import policy

NAMES = ["lukas", "mehmet", "oliver", "sofia", "zofia", "ann"]
PEOPLE = "".join(
    f"kind: Person\nname: {n}\nemail: {n}@example.org\ntimezone: Europe/Berlin\n---\n"
    for n in NAMES
)
WEEK = 7 * zones.DAY


def rotation(members: list[str], changes: str = "", *, shift: str = "1w", start: str = "2026-01-05") -> str:
    return (
        PEOPLE + f'kind: Rotation\nname: r\ntimezone: Europe/Berlin\nstart: "{start}"\nlayers:\n'
        f"  - members: [{', '.join(members)}]\n    shift: {shift}\n    handoff: \"09:00\"\n" + changes
    )


def turns_of(text: str, since: dt.datetime, count: int, length: int = WEEK) -> list[str]:
    rot = policy(text, with_people=False).rotations["r"]
    lo = zones.from_datetime(since)
    shifts = render.render(rot, lo, lo + count * length)
    return [s.person for s in shifts for _ in range(max(1, (s.end - s.start) // length))]


def test_adding_sofia_while_zofia_is_on_call_continues_with_lukas() -> None:
    # the first handoff of 2026-12-07 is Monday 09:00; zofia's turn is the week before
    text = rotation(
        ["lukas", "mehmet", "oliver", "sofia", "zofia"],
        '    roster_changes:\n      - {at: "2026-12-07", before: [lukas, mehmet, oliver, zofia]}\n',
    )
    berlin = dt.timezone(dt.timedelta(hours=1))
    weeks = turns_of(text, dt.datetime(2026, 11, 30, 9, tzinfo=berlin), 7)
    assert weeks == ["zofia", "lukas", "mehmet", "oliver", "sofia", "zofia", "lukas"]
    # without the change kept, the new list re-deals from the rotation's start
    redealt = turns_of(
        rotation(["lukas", "mehmet", "oliver", "sofia", "zofia"]),
        dt.datetime(2026, 11, 30, 9, tzinfo=berlin), 3,
    )  # fmt: skip
    assert redealt != weeks[:3]


def test_the_order_after_a_change_is_what_the_plan_and_diff_show() -> None:
    text = rotation(
        ["lukas", "mehmet", "oliver", "sofia", "zofia"],
        '    roster_changes:\n      - {at: "2026-12-07", before: [lukas, mehmet, oliver, zofia]}\n',
    )
    rot = policy(text, with_people=False).rotations["r"]
    layer = rot.layers[0]
    *_, deal = roster.deals(rot, layer)
    assert deal.since == zones.wall_of(dt.date(2026, 12, 7), 9 * 60)
    order = roster.order_after(deal, deal.since, roster.turn_seconds(layer.shift))
    assert [p.name for p in order] == ["lukas", "mehmet", "oliver", "sofia", "zofia"]


lists = st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True)


@settings(max_examples=120, deadline=None)
@given(lists, lists, st.integers(10, 300), st.sampled_from(["1d", "1w", "12h"]))
def test_a_change_keeps_the_turn_and_continues_the_order(
    before: list[str], after: list[str], day: int, shift: str
) -> None:
    at = dt.date(2026, 1, 5) + dt.timedelta(days=day)
    change = f'    roster_changes:\n      - {{at: "{at}", before: [{", ".join(before)}]}}\n'
    rot = policy(rotation(after, change, shift=shift), with_people=False).rotations["r"]
    layer = rot.layers[0]
    old, new = roster.deals(rot, layer)
    zone = zones.get("Europe/Berlin")
    length = roster.turn_seconds(layer.shift)
    assert new.since is not None and new.since >= zones.wall_of(at, 9 * 60)
    assert new.since - zones.wall_of(at, 9 * 60) < length  # the first handoff on or after it
    handoff = zone.utc(new.since)
    people = render.render(rot, handoff - 2 * length, handoff + 2 * len(after) * length)
    # before the handoff the old list deals exactly as it did
    alone = policy(rotation(before, shift=shift), with_people=False).rotations["r"]
    upto = [(s.start, min(s.end, handoff), s.person) for s in people if s.start < handoff]
    assert upto == [
        (s.start, s.end, s.person) for s in render.render(alone, handoff - 2 * length, handoff)
    ]
    on_call = old.members[((new.since - old.origin) // length - 1) % len(old.members)].name
    first = next(s.person for s in people if s.end > handoff)
    if len(after) > 1:
        assert first != on_call  # nobody has two turns in a row
    stayed = [p for p in before if p in after]
    if len(after) > 1 and any(p != on_call for p in stayed):
        rest = before[before.index(on_call) + 1 :] + before[: before.index(on_call) + 1]
        assert first == next(p for p in rest if p in after and p != on_call)
    # from the handoff the new list deals in its own order
    dealt = [s.person for s in people if s.end > handoff]
    start = after.index(first)
    assert dealt[: len(after)] == (after[start:] + after[:start])[: len(dealt[: len(after)])]


def test_with_its_history_the_schedule_renders_as_the_policy_does() -> None:
    """Each earlier list becomes a layer ending where the next takes over, so PagerDuty's
    rendering (the sandbox's reference renderer) equals the policy's over the whole year."""
    from opskit.providers.pagerduty_schedule import schedule_payload
    from opskit.sandbox import schedule_render as sr

    text = rotation(
        ["sofia", "lukas", "zofia"],
        "    roster_changes:\n"
        '      - {at: "2026-03-25", before: [lukas, mehmet]}\n'
        '      - {at: "2026-10-26", before: [lukas, mehmet, oliver, zofia]}\n',
        shift="1d",
    )
    rot = policy(text, with_people=False).rotations["r"]
    payload, _ = schedule_payload(rot, lambda p: p.name, history=True)
    assert len(payload["schedule_layers"]) == 3
    since, until = dt.datetime(2026, 1, 5, tzinfo=dt.UTC), dt.datetime(2027, 1, 5, tzinfo=dt.UTC)
    tz = zones.get("Europe/Berlin").tz
    entries = sr.render_final(
        [sr.layer_from_api(x) for x in payload["schedule_layers"]], [], tz, since, until
    )
    theirs = [(e.user, zones.from_datetime(e.start), zones.from_datetime(e.end)) for e in entries]
    lo, hi = zones.from_datetime(since), zones.from_datetime(until)
    ours = [(s.person, s.start, s.end) for s in render.render(rot, lo, hi)]
    assert len(ours) > 300
    assert ours == theirs
