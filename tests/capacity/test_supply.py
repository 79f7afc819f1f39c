"""Who staffs a desk, hour by hour, from the example's rotations and calendars."""

from __future__ import annotations

import pytest

from opskit.capacity.desks import desks, target_seconds
from opskit.capacity.supply import HOUR, staffing, typical_week
from opskit.time import zones
from tests.sla.helpers import berlin, example


def _hours(start: str, count: int):  # type: ignore[no-untyped-def]
    policy = example()
    [desk] = desks(policy)
    lo = zones.from_datetime(berlin(start))
    return desk, staffing(desk.rotations, lo, lo + count * HOUR)


def test_the_three_tiers_share_one_desk_because_they_share_its_rotations() -> None:
    [desk] = desks(example())
    assert [r.name for r in desk.rotations] == ["app-support-desk", "cloud-primary"]
    assert [t.name for t in desk.tiers] == ["Premium", "Business", "Standard"]
    assert desk.zone == "Europe/Berlin" and desk.shrinkage == pytest.approx(0.25)


def test_a_monday_in_december_hour_by_hour() -> None:
    _, found = _hours("2026-12-07T00:00", 24)
    people = dict(enumerate(found.people))
    assert people[3] == 1  # night: the primary alone
    assert people[10] == 2  # the Berlin desk and the primary
    assert people[16] == 3  # New York's desk opens at 09:00 ET = 15:00 Berlin
    assert people[19] == 2  # Berlin's desk closed at 18:00
    # productive time: the desk loses 30 %, the primary 20 %
    assert found.productive[10] == pytest.approx(0.7 + 0.8)
    assert found.productive[3] == pytest.approx(0.8)


def test_a_holiday_of_both_offices_leaves_the_primary_alone() -> None:
    _, found = _hours("2026-12-25T00:00", 24)  # Christmas Day: both desks shut
    assert set(found.people) == {1}


def test_the_typical_week_takes_the_usual_head_count_not_the_holiday() -> None:
    desk, found = _hours("2026-12-14T00:00", 4 * 7 * 24)  # includes Christmas week
    people, agents = typical_week(found, desk.zone)
    friday_ten = 4 * 24 + 10  # Fridays 18th and 8th Jan worked; Christmas and New Year shut
    assert people[friday_ten] == 2 and agents[friday_ten] == pytest.approx(1.5)
    assert found.people[(11 * 24 + 10)] == 1  # Friday the 25th itself


def test_business_day_targets_count_the_calendars_working_day() -> None:
    tiers = example().tiers
    standard, premium = tiers["Standard"], tiers["Premium"]
    assert target_seconds(standard, standard.targets["P3"].first_response) == 2 * 10 * 3600
    assert target_seconds(premium, premium.targets["P1"].first_response) == 15 * 60


def test_a_window_is_bounded() -> None:
    [desk] = desks(example())
    with pytest.raises(ValueError, match="hours long"):
        staffing(desk.rotations, 0, 60 * 7 * 86400)


def test_standard_reaches_only_the_service_desk_and_premium_overflows_to_it() -> None:
    from opskit.capacity import routing
    from opskit.capacity.demand import hour_of_week

    policy = example()
    [desk] = desks(policy)
    lo = zones.from_datetime(berlin("2026-11-02T00:00"))  # a Monday, no holiday that week
    hi = lo + 7 * 24 * HOUR
    staffer = routing.Staffer(lo, hi)
    groups = {tiers: s for s, tiers in routing.groups(desk, staffer)}
    assert set(groups) == {frozenset({"Premium", "Business", "Standard"}),
                           frozenset({"Premium", "Business"})}  # fmt: skip
    pools = routing.pools(desk, staffer)
    monday_ten = hour_of_week(berlin("2026-11-02T10:00"), zones.get("Europe/Berlin"))
    saturday = hour_of_week(berlin("2026-11-07T10:00"), zones.get("Europe/Berlin"))
    assert pools.people["Standard"][monday_ten] == 1 < pools.people["Premium"][monday_ten]
    assert pools.people["Standard"][saturday] == 0 < pools.people["Premium"][saturday]
    # all of Standard's work is the service desk's, and only its people's time
    assert pools.share[("Standard", "Premium")][monday_ten] == 1.0
    assert ("Standard", "Premium") in pools.narrower and (
        "Premium",
        "Standard",
    ) not in pools.narrower
    assert pools.share[("Premium", "Business")][monday_ten] == 1.0  # the same rotations
    # Premium's tickets go to the engineer on call first: the desk gets what finds them busy
    agents, users = pools.outside[("Premium", "Standard")]
    assert users == {"Premium", "Business"} and 0 < agents[monday_ten] <= 1
    quiet = {t: [0.0] * 168 for t in pools.people}
    busy = {**quiet, "Business": [5.0] * 168}
    assert routing.Pools.routed(pools, quiet)[("Premium", "Standard")][monday_ten] == 0.0
    assert routing.Pools.routed(pools, busy)[("Premium", "Standard")][monday_ten] > 0.8
    light = {**quiet, "Premium": [0.2] * 168}
    share = pools.routed(light)[("Premium", "Standard")][monday_ten]
    assert share == pytest.approx(routing.overflow(agents[monday_ten], 0.2)) and 0 < share < 0.5
    # a ticket that may wait hours waits for the engineer: the desk gets only the excess
    assert pools.routed(light, patient=True)[("Premium", "Standard")][monday_ten] == 0.0
    swamped = pools.routed(busy, patient=True)[("Premium", "Standard")][monday_ten]
    assert swamped == pytest.approx((5.0 - agents[monday_ten]) / 5.0)
