"""The warning signs at their thresholds, the tiers' review settings, availability
arithmetic and the charts, without a server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opskit.policy.model import SIGNAL_DEFAULTS, ReviewPolicy
from opskit.sla.model import Metric
from opskit.sla.review import charts
from opskit.sla.review.availability import Availability, Outage, measure
from opskit.sla.review.figures import Figures, Tally
from opskit.sla.review.period import month
from opskit.sla.review.satisfaction import Satisfaction, rating
from opskit.sla.review.signals import Facts, raised
from tests.sla.helpers import example

NOV = month(2026, 11)
PERIODS = NOV.back(4)  # Aug, Sep, Oct, Nov
AS_OF = NOV.end
T0 = dt.datetime(2026, 11, 9, 14, 0, tzinfo=dt.UTC)


def figures(opened: int = 0, breached: int = 0, ratings: list[int] | None = None) -> Figures:
    f = Figures(opened=opened)
    f.tallies = {(Metric.RESOLUTION, "P2"): Tally(0, breached, 0)}
    f.satisfaction = Satisfaction.of(ratings or [])
    return f


def facts(
    history: list[Figures], *, review: ReviewPolicy | None = None,
    last: dt.datetime | None = dt.datetime(2026, 11, 28, tzinfo=dt.UTC),
    usage: list[tuple[dt.date, float]] | None = None, up: list[Availability] | None = None,
    desk_active: list[bool] | None = None,
) -> Facts:  # fmt: skip
    return Facts(PERIODS, history, last, AS_OF, up or [], usage, review or ReviewPolicy(),
                 desk_active or [])  # fmt: skip


def names(f: Facts) -> list[str]:
    return [s.name for s in raised(f)]


def test_volume_drop_at_the_threshold() -> None:
    # baseline mean(8, 10, 12) = 10; 50% down means 5 or fewer
    assert names(facts([figures(8), figures(10), figures(12), figures(5)])) == ["volume-drop"]
    assert names(facts([figures(8), figures(10), figures(12), figures(6)])) == []
    # a small baseline says nothing: mean 3 < min_baseline 4
    assert names(facts([figures(3), figures(3), figures(3), figures(0)])) == []


def test_volume_surge_at_the_threshold() -> None:
    [sign] = raised(facts([figures(4), figures(4), figures(4), figures(8)]))
    assert (sign.name, sign.reason) == ("volume-surge", "8 ticket(s) opened, 100% above the mean of 4.0 before")
    assert names(facts([figures(4), figures(4), figures(4), figures(7)])) == []
    assert names(facts([figures(0), figures(0), figures(0), figures(3)])) == []  # < min_tickets
    assert raised(facts([figures(0), figures(0), figures(0), figures(4)]))[0].reason == (
        "4 ticket(s) opened, from none before")


def test_breaches_up_compares_with_the_period_before() -> None:
    base = [figures(5), figures(5)]
    assert names(facts([*base, figures(5, 1), figures(5, 3)])) == ["breaches-up"]
    assert names(facts([*base, figures(5, 1), figures(5, 2)])) == []


def test_satisfaction_down_needs_enough_ratings() -> None:
    base = [figures(5), figures(5)]
    down = facts([*base, figures(5, ratings=[5, 4]), figures(5, ratings=[4, 4])])
    assert names(down) == ["satisfaction-down"]  # 4.5 -> 4.0: 0.5
    assert names(facts([*base, figures(5, ratings=[5, 4]), figures(5, ratings=[4, 5, 4, 5])])) == []
    assert names(facts([*base, figures(5, ratings=[5]), figures(5, ratings=[1, 1])])) == []


def test_no_contact_counts_weeks_to_the_end() -> None:
    steady = [figures(5)] * 4
    six_weeks = AS_OF - dt.timedelta(weeks=6)
    assert names(facts(steady, last=six_weeks)) == ["no-contact"]
    assert names(facts(steady, last=six_weeks + dt.timedelta(seconds=1))) == []
    assert raised(facts(steady, last=None))[0].reason == "no ticket in the 4 period(s) read"


def test_usage_drop_compares_period_means() -> None:
    steady = [figures(5)] * 4
    series = [(dt.date(2026, 10, 3), 100.0), (dt.date(2026, 10, 20), 120.0),
              (dt.date(2026, 11, 3), 77.0)]  # fmt: skip
    assert names(facts(steady, usage=series)) == ["usage-drop"]  # 110 -> 77: 30%
    series[2] = (dt.date(2026, 11, 3), 78.0)
    assert names(facts(steady, usage=series)) == []
    assert names(facts(steady, usage=[(dt.date(2026, 11, 3), 1.0)])) == []  # nothing before


def test_availability_missed_only_with_a_target() -> None:
    steady = [figures(5)] * 4
    low = [Availability("storage-api", 3600, 0.9995, 1)]
    assert names(facts(steady, up=low)) == []
    assert names(facts(steady, up=low, review=ReviewPolicy(99.99))) == ["availability-missed"]
    assert names(facts(steady, up=low, review=ReviewPolicy(99.9))) == []


def test_tiers_set_thresholds_and_switch_signs_off() -> None:
    tiers = example().tiers
    premium, standard = tiers["Premium"].review, tiers["Standard"].review
    assert premium.availability_percent == 99.9
    assert premium.signals["satisfaction-down"] == {"by": 0.3, "min_ratings": 2}
    assert premium.signals["no-contact"] == {"weeks": 4}
    assert premium.signals["volume-drop"] == SIGNAL_DEFAULTS["volume-drop"]
    assert "volume-surge" not in standard.signals and standard.availability_percent is None
    surge = facts([figures(4), figures(4), figures(4), figures(9)], review=standard)
    assert "volume-surge" not in names(surge)


def test_availability_merges_overlaps_and_clips_to_the_period() -> None:
    outages = [
        Outage("a", T0, T0 + dt.timedelta(hours=1)),
        Outage("a", T0 + dt.timedelta(minutes=30), T0 + dt.timedelta(hours=2)),  # overlaps
        Outage("a", NOV.start - dt.timedelta(hours=1), NOV.start + dt.timedelta(hours=1)),
        Outage("b", T0, None),  # still open: down to the end
    ]
    a = measure(outages, "a", NOV, AS_OF)
    assert (a.down_seconds, a.incidents) == (3 * 3600, 3)
    b = measure(outages, "b", NOV, AS_OF)
    assert b.down_seconds == int((AS_OF - T0).total_seconds())
    # a period still going is measured up to as-of
    early = measure(outages, "b", NOV, T0 + dt.timedelta(hours=1))
    assert early.down_seconds == 3600 and early.share == pytest.approx(1 - 3600 / (T0 + dt.timedelta(hours=1) - NOV.start).total_seconds())


@given(st.lists(st.tuples(st.integers(0, 40 * 1440), st.integers(0, 5 * 1440)), max_size=12))
def test_down_time_is_the_union_of_incidents(spans: list[tuple[int, int]]) -> None:
    """Whole-minute incidents from five days before November to five after: the down time
    is the number of distinct November minutes some incident covers."""
    start = NOV.start - dt.timedelta(days=5)
    outages = [Outage("s", start + dt.timedelta(minutes=a), start + dt.timedelta(minutes=a + n))
               for a, n in spans]  # fmt: skip
    covered = {a + k for a, n in spans for k in range(n)}
    in_november = {m for m in covered if 5 * 1440 <= m < 35 * 1440}
    found = measure(outages, "s", NOV, AS_OF)
    assert found.down_seconds == 60 * len(in_november)
    assert found.share == pytest.approx(1 - len(in_november) / (30 * 1440))


def test_only_csat_ratings_in_range_count() -> None:
    assert rating({"type": "csat", "rating": 4}) == 4
    assert rating({"rating": 5}) == 5
    assert [rating(x) for x in ({"type": "nps", "rating": 4}, {"rating": 6}, {"rating": True},
                                {"rating": "5"}, None, [])] == [None] * 6  # fmt: skip


def test_charts_are_self_contained_named_and_deterministic() -> None:
    labels = ["2026-10", "2026-11"]
    svg = charts.volume("volume-x", labels, [3, 7], [1, 2])
    assert svg == charts.volume("volume-x", labels, [3, 7], [1, 2])
    assert "<script" not in svg and "<!--" not in svg and "kozea.github.io" not in svg
    assert re.search(r"chart-[0-9a-f]{8}-", svg) is None and "chart-volume-x" in svg
    assert svg.startswith('<svg role="img" aria-labelledby="chart-volume-x-title chart-volume-x-desc"')
    assert '<desc id="chart-volume-x-desc">2026-10: 3 opened, 1 resolved; 2026-11: 7 opened, 2 resolved</desc>' in svg
    line = charts.met_share("met-x", labels, [None, 0.5], [None, 4.25])
    assert "2026-10: no clock stopped; 2026-11: 50% met, satisfaction 4.25" in line
    hostile = charts.volume("v", ["<b>&"], [1], [1])
    assert "<b>&" not in hostile


def test_periods_before_the_data_began_are_no_baseline() -> None:
    # August and September had no ticket on the whole desk: the data starts in October, so
    # November's 13 against October's 16 is no surge (against mean(0, 0, 16) it would be)
    history = [figures(0), figures(0), figures(16), figures(13)]
    assert names(facts(history, desk_active=[False, False, True, True])) == []
    assert names(facts(history)) == ["volume-surge"]
    # a customer's own silence, while the desk was busy, does count
    quiet = [figures(10), figures(10), figures(10), figures(2)]
    assert names(facts(quiet, desk_active=[True] * 4)) == ["volume-drop"]
