"""The clocks of in-memory histories against hand-computed numbers.

Standard tier: berlin-office (Mon-Fri 08:00-18:00 Europe/Berlin, Berlin public holidays),
at risk from 80%, pauses in "Waiting for customer" and "Pending release"; P1 4h/8h/3bd,
P2 8h/2bd/5bd, P3 2bd/5bd/10bd. Premium: 24x7, at risk from 60%; P1 15m/30m/4h,
P2 30m/2h/12h, P3 2h/1d/3d.
"""

from __future__ import annotations

import copy

from opskit.sla.history import Person
from opskit.sla.model import Metric, SegmentKind, State
from tests.sla.helpers import H, Story, berlin, clock, evaluate_story, load_policy, untracked, utc

FR, NU, RES = Metric.FIRST_RESPONSE, Metric.NEXT_UPDATE, Metric.RESOLUTION
HARBOR = "Harbor Dental Group"  # Premium


def test_a_weekend_does_not_count_on_office_hours() -> None:
    story = Story(berlin("2026-11-27T16:00"), "P2").reply(berlin("2026-11-30T10:00"))
    ticket = evaluate_story(story, berlin("2026-12-01T17:00"))
    assert (ticket.tier, ticket.tier_source, ticket.priority) == (
        "Standard", "customer tidewater-books", "P2")  # fmt: skip
    fr = clock(ticket, FR)
    # Fri 16-18 (2h) + Mon 08-10 (2h) = 4h of 8h; met by the reply
    assert (fr.state, fr.elapsed, fr.remaining) == (State.MET, 4 * H, 4 * H)
    assert fr.stop == berlin("2026-11-30T10:00")
    nu = clock(ticket, NU)
    # 2bd from Mon 10:00 is Wed 10:00: Mon 8h + Tue 10h + Wed 2h = 20h budget;
    # Mon 10-18 (8h) + Tue 08-17 (9h) = 17h = 85% >= 80%: at risk, 3h left:
    # Tue 17-18 (1h) + Wed 08-10 (2h) -> due Wed 10:00 Berlin
    assert (nu.state, nu.elapsed, nu.remaining, nu.budget) == (State.AT_RISK, 17 * H, 3 * H, 20 * H)
    assert nu.deadline == berlin("2026-12-02T10:00")
    res = clock(ticket, RES)
    # 5bd = 50h budget; Fri 2h + Mon 10h + Tue 9h = 21h; due Fri 4 Dec 16:00
    assert (res.state, res.elapsed, res.remaining) == (State.RUNNING, 21 * H, 29 * H)
    assert res.deadline == berlin("2026-12-04T16:00")


def test_berlin_public_holidays_are_closed() -> None:
    story = Story(berlin("2026-04-02T16:00"), "P1")  # Thursday before Easter
    ticket = evaluate_story(story, berlin("2026-04-07T09:30"))
    fr = clock(ticket, FR)
    # Thu 16-18 (2h); Good Friday, the weekend and Easter Monday closed; Tue 08-09:30 (1.5h)
    # = 3.5h of 4h = 87.5%: at risk, due Tue 10:00 CEST = 08:00 UTC
    assert (fr.state, fr.elapsed, fr.remaining) == (State.AT_RISK, int(3.5 * H), H // 2)
    assert fr.deadline == utc("2026-04-07T08:00")


def test_the_spring_clock_change_shortens_the_wall_time_not_the_business_time() -> None:
    story = Story(berlin("2026-03-27T17:00"), "P1")  # Friday, CET (UTC+1)
    ticket = evaluate_story(story, berlin("2026-03-30T09:00"))
    fr = clock(ticket, FR)
    # Fri 17-18 (1h) + Mon 08-09 CEST (1h) = 2h of 4h; due Mon 11:00 CEST = 09:00 UTC,
    # 65h of wall time after the start at 16:00 UTC Friday (one hour lost on Sunday)
    assert (fr.state, fr.elapsed) == (State.RUNNING, 2 * H)
    assert fr.deadline == utc("2026-03-30T09:00")
    assert fr.deadline is not None and (fr.deadline - fr.start).total_seconds() == 65 * H


def test_a_pause_holds_every_clock() -> None:
    story = (
        Story(berlin("2026-11-09T09:00"), "P2")  # Monday
        .reply(berlin("2026-11-09T10:00"))
        .status(berlin("2026-11-09T12:00"), "Waiting for customer")
        .status(berlin("2026-11-10T14:00"), "In Progress")
    )
    ticket = evaluate_story(story, berlin("2026-11-11T10:00"))
    res = clock(ticket, RES)
    # Mon 09-12 (3h), paused Mon 12:00-Tue 14:00, Tue 14-18 (4h), Wed 08-10 (2h) = 9h of 50h;
    # 41h left: Wed 8h, Thu 10h, Fri 10h, Mon 10h, Tue 08-11 (3h) -> Tue 17 Nov 11:00
    assert (res.state, res.elapsed, res.remaining) == (State.RUNNING, 9 * H, 41 * H)
    assert res.deadline == berlin("2026-11-17T11:00")
    kinds = [(s.kind, s.start, s.end, s.reason) for s in res.segments]
    assert kinds == [
        (SegmentKind.COUNTING, berlin("2026-11-09T09:00"), berlin("2026-11-09T12:00"), ""),
        (SegmentKind.PAUSED, berlin("2026-11-09T12:00"), berlin("2026-11-10T14:00"),
         "Waiting for customer"),
        (SegmentKind.COUNTING, berlin("2026-11-10T14:00"), None, ""),
    ]  # fmt: skip
    nu = clock(ticket, NU)
    # from the reply Mon 10:00: Mon 10-12 (2h) + Tue 14-18 (4h) + Wed 08-10 (2h) = 8h of 20h
    assert (nu.state, nu.elapsed, nu.remaining) == (State.RUNNING, 8 * H, 12 * H)


def test_while_paused_a_clock_has_no_deadline() -> None:
    story = (
        Story(berlin("2026-11-09T09:00"), "P2")
        .reply(berlin("2026-11-09T10:00"))
        .status(berlin("2026-11-09T12:00"), "Waiting for customer")
    )
    res = clock(evaluate_story(story, berlin("2026-11-10T12:00")), RES)
    # Mon 09-12 counted (3h), paused since
    assert (res.state, res.elapsed, res.deadline) == (State.PAUSED, 3 * H, None)
    assert "Waiting for customer" in res.why


def _raised() -> Story:
    # P3 at Mon 09:00, raised to P1 at Mon 11:00, no reply yet
    return Story(berlin("2026-11-09T09:00"), "P3").reprioritise(berlin("2026-11-09T11:00"), "P1")


def test_retarget_keeps_the_start_and_measures_against_the_new_target() -> None:
    ticket = evaluate_story(_raised(), berlin("2026-11-09T12:30"))
    fr = clock(ticket, FR)
    # from 09:00: 3.5h of P1's 4h = 87.5%: at risk, due 13:00 Berlin
    assert (fr.start, fr.elapsed, fr.budget, fr.state) == (
        berlin("2026-11-09T09:00"), int(3.5 * H), 4 * H, State.AT_RISK)  # fmt: skip
    assert fr.deadline == berlin("2026-11-09T13:00")
    res = clock(ticket, RES)
    # P1 resolution 3bd from Mon 09:00 -> Thu 09:00: 30h budget, 3.5h used
    assert (res.budget, res.elapsed, res.deadline) == (
        30 * H,
        int(3.5 * H),
        berlin("2026-11-12T09:00"),
    )
    [change] = ticket.priority_changes
    assert (change.old, change.new, change.mode) == ("P3", "P1", "retarget")
    assert "first response" in change.effect and "resolution" in change.effect


def test_restart_starts_the_running_clocks_again_at_the_change() -> None:
    policy = load_policy()
    policy.tiers["Standard"].priority_change = "restart"
    ticket = evaluate_story(_raised(), berlin("2026-11-09T12:30"), policy)
    fr = clock(ticket, FR)
    # from 11:00: 1.5h of 4h = 37%: running, due 15:00 Berlin
    assert (fr.start, fr.elapsed, fr.state) == (
        berlin("2026-11-09T11:00"),
        int(1.5 * H),
        State.RUNNING,
    )
    assert fr.deadline == berlin("2026-11-09T15:00")
    assert fr.segments[0].reason == "priority P3 -> P1 (restart)"
    [before] = fr.earlier
    # the P3 part: 09:00-11:00 = 2h of P3's 2bd (20h)
    assert (before.priority, before.elapsed, before.budget) == ("P3", 2 * H, 20 * H)
    res = clock(ticket, RES)
    # 3bd from Mon 11:00 -> Thu 11:00
    assert res.deadline == berlin("2026-11-12T11:00")
    assert ticket.priority_changes[0].mode == "restart"


def test_a_stopped_clock_is_not_restarted() -> None:
    policy = load_policy()
    policy.tiers["Standard"].priority_change = "restart"
    story = Story(berlin("2026-11-09T09:00"), "P3").reply(berlin("2026-11-09T10:00"))
    story.reprioritise(berlin("2026-11-09T11:00"), "P1")
    fr = clock(evaluate_story(story, berlin("2026-11-09T12:00"), policy), FR)
    # met at 10:00 under P3 (1h of 20h), before the change
    assert (fr.state, fr.start, fr.elapsed, fr.priority) == (
        State.MET, berlin("2026-11-09T09:00"), H, "P3")  # fmt: skip


def test_internal_and_customer_comments_are_no_response() -> None:
    contact = Person("cust-2", "beth.callahan@harbordental.example")  # a contact, not the reporter
    story = Story(utc("2026-06-01T00:00"), "P1", org=HARBOR)
    story.reply(utc("2026-06-01T00:05"), public=False)  # internal note by an agent
    story.reply(utc("2026-06-01T00:06"), who=story.reporter)  # the customer
    story.reply(utc("2026-06-01T00:07"), who=contact)
    fr = clock(evaluate_story(story, utc("2026-06-01T00:10")), FR)
    # 24x7: 10m of 15m = 66% >= 60%: at risk, due 00:15
    assert (fr.state, fr.elapsed, fr.deadline) == (State.AT_RISK, 600, utc("2026-06-01T00:15"))
    story.reply(utc("2026-06-01T00:20"))
    ticket = evaluate_story(story, utc("2026-06-01T00:30"))
    fr = clock(ticket, FR)
    # stopped at 00:20: 20m of 15m, 5m late
    assert (fr.state, fr.remaining, fr.deadline) == (State.BREACHED, -300, utc("2026-06-01T00:15"))
    assert clock(ticket, NU).deadline == utc("2026-06-01T00:50")  # 30m after the reply


def test_a_member_of_the_customers_organisation_is_no_agent() -> None:
    member = Person("acc-9", "")  # email hidden
    story = Story(utc("2026-06-01T00:00"), "P1", org=HARBOR).reply(
        utc("2026-06-01T00:05"), who=member
    )
    plain = clock(evaluate_story(story, utc("2026-06-01T00:10")), FR)
    assert plain.state is State.MET  # not known as a customer: an agent
    members = {HARBOR.casefold(): frozenset({"acc-9"})}
    fr = clock(evaluate_story(story, utc("2026-06-01T00:10"), members=members), FR)
    assert fr.state is State.AT_RISK  # 10m of 15m


def test_each_public_agent_reply_starts_the_next_update_again() -> None:
    story = Story(utc("2026-06-01T10:00"), "P2", org=HARBOR)
    story.reply(utc("2026-06-01T10:10")).reply(utc("2026-06-01T11:00"))
    story.reply(utc("2026-06-01T12:00"), who=story.reporter)  # the customer: no restart
    nu = clock(evaluate_story(story, utc("2026-06-01T13:30")), NU)
    # from 11:00 with a 2h target: 2h30m gone, breached at 13:00
    assert (nu.start, nu.state, nu.remaining) == (utc("2026-06-01T11:00"), State.BREACHED, -30 * 60)
    assert nu.deadline == utc("2026-06-01T13:00")
    [first] = nu.earlier  # 10:10-11:00: 50m of 2h, met by the second reply
    assert (first.state, first.elapsed, first.stop) == (State.MET, 50 * 60, utc("2026-06-01T11:00"))


def test_a_reopen_resumes_resolution_on_the_same_budget() -> None:
    start = utc("2026-06-01T00:00")
    story = Story(start, "P3", org=HARBOR).reply(utc("2026-06-01T00:30"))
    story.status(utc("2026-06-01T10:00"), "Resolved").status(utc("2026-06-01T20:00"), "In Progress")
    ticket = evaluate_story(story, utc("2026-06-02T06:00"))
    res = clock(ticket, RES)
    # 00-10 (10h) + 20-06 (10h) = 20h of 72h (3d); 52h left from 06:00 -> 4 Jun 10:00
    assert (res.state, res.elapsed, res.remaining) == (State.RUNNING, 20 * H, 52 * H)
    assert res.deadline == utc("2026-06-04T10:00")
    assert [s.kind for s in res.segments] == [
        SegmentKind.COUNTING, SegmentKind.PAUSED, SegmentKind.COUNTING]  # fmt: skip
    nu = clock(ticket, NU)
    # a new cycle from the reopen at 20:00 (1d target): 10h used; the first ended at the resolution
    assert (nu.start, nu.elapsed, nu.state) == (utc("2026-06-01T20:00"), 10 * H, State.RUNNING)
    assert nu.earlier[0].stop == utc("2026-06-01T10:00")


def test_resolution_stops_every_clock() -> None:
    story = Story(utc("2026-06-01T00:00"), "P1", org=HARBOR).status(
        utc("2026-06-01T01:00"), "Resolved"
    )
    ticket = evaluate_story(story, utc("2026-06-01T09:00"))
    fr, res = clock(ticket, FR), clock(ticket, RES)
    # resolved after 1h: the first response (15m) came with it, late; resolution 1h of 4h: met
    assert (fr.state, fr.stop) == (State.BREACHED, utc("2026-06-01T01:00"))
    assert (res.state, res.elapsed, res.open) == (State.MET, H, False)
    assert not [c for c in ticket.clocks if c.open]


def test_entering_a_first_response_status_meets_the_first_response() -> None:
    policy = load_policy()
    policy.tiers["Premium"].first_response_statuses = ["In Progress"]
    story = Story(utc("2026-06-01T00:00"), "P1", org=HARBOR).status(
        utc("2026-06-01T00:10"), "In Progress"
    )
    fr = clock(evaluate_story(story, utc("2026-06-01T01:00"), policy), FR)
    assert (fr.state, fr.elapsed) == (State.MET, 600)  # 10m of 15m
    assert "entering 'In Progress'" in fr.why


def test_events_after_now_have_not_happened() -> None:
    story = Story(utc("2026-06-01T00:00"), "P1", org=HARBOR).reply(utc("2026-06-01T00:20"))
    fr = clock(evaluate_story(story, utc("2026-06-01T00:16")), FR)
    assert (fr.state, fr.stop, fr.remaining) == (State.BREACHED, None, -60)  # 16m of 15m


def test_the_service_tier_applies_without_a_customer() -> None:
    story = Story(utc("2026-06-01T00:00"), "P1", org="", components=("Backup",))
    ticket = evaluate_story(story, utc("2026-06-01T00:10"))
    assert (ticket.tier, ticket.tier_source, ticket.customer) == (
        "Business",
        "service backup",
        None,
    )


def test_untracked_tickets_say_why() -> None:
    now = utc("2026-06-01T01:00")
    nothing = untracked(Story(utc("2026-06-01T00:00"), org=""), now)
    assert "no JSM organisation and no component" in nothing.reason
    stranger = untracked(Story(utc("2026-06-01T00:00"), org="Acme", components=("Kiosk",)), now)
    assert (
        "'Acme' is no Customer's" in stranger.reason
        and "'Kiosk' is no Service's" in stranger.reason
    )
    policy = copy.copy(load_policy())
    policy.priorities = {k: v for k, v in policy.priorities.items() if k != "P4"}
    lowest = untracked(Story(utc("2026-06-01T00:00"), "P4"), now, policy)
    assert "Jira priority 'Low'" in lowest.reason


def test_clocks_at_a_past_now_see_only_what_had_happened_by_then() -> None:
    # Harbor Dental is Premium (24x7), P3 by default here: created Sat 31 Oct 20:00 UTC,
    # replied 1 Nov 02:00 and resolved 03:00. At 1 Nov 00:00 nothing of that had happened:
    # the first response (2h target) has run 4h and is breached, resolution is still open.
    story = Story(utc("2026-10-31T20:00"), org="Harbor Dental Group")
    story.reply(utc("2026-11-01T02:00")).status(utc("2026-11-01T03:00"), "Resolved")
    then = evaluate_story(story, utc("2026-11-01T00:00"))
    clocks = {c.metric: c for c in then.clocks}
    assert then.status == "Open"
    assert clocks[Metric.FIRST_RESPONSE].state is State.BREACHED
    assert clocks[Metric.FIRST_RESPONSE].open and clocks[Metric.RESOLUTION].open
    assert clocks[Metric.RESOLUTION].elapsed == 4 * 3600
    later = {c.metric: c for c in evaluate_story(story, utc("2026-11-02T00:00")).clocks}
    assert not later[Metric.RESOLUTION].open and later[Metric.RESOLUTION].elapsed == 7 * 3600
