"""The service review's parts without Jira: periods, percentiles, links, cut histories."""

from __future__ import annotations

import datetime as dt

import pytest

from opskit.sla.history import as_of
from opskit.sla.model import Metric, State
from opskit.sla.review.figures import compute
from opskit.sla.review.period import parse
from opskit.sla.review.review import browse_url
from tests.sla.helpers import CATEGORIES, H, Story, evaluate_story, utc


@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2026-11", "2026-11-01", "2026-12-01", "2026-10"),
        ("2026-12", "2026-12-01", "2027-01-01", "2026-11"),
        ("2026-01", "2026-01-01", "2026-02-01", "2025-12"),
        ("2026-W46", "2026-11-09", "2026-11-16", "2026-W45"),
        ("2026-W01", "2025-12-29", "2026-01-05", "2025-W52"),
        ("2027-W01", "2027-01-04", "2027-01-11", "2026-W53"),  # 2026 has 53 ISO weeks
    ],
)
def test_periods_are_utc_and_half_open(text: str, start: str, end: str, previous: str) -> None:
    period = parse(text)
    assert (period.start, period.end) == (utc(start), utc(end))
    assert period.previous().label == previous
    assert period.previous().end == period.start


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-11-01", "2025-W53", "26-11", ""])
def test_bad_periods(text: str) -> None:
    with pytest.raises(ValueError, match="is not a month"):
        parse(text)


def test_links_never_carry_credentials() -> None:
    assert browse_url("https://bot:s3cret@acme.atlassian.net/") == (
        "https://acme.atlassian.net/browse"
    )


def test_a_history_cut_before_its_only_status_change_is_not_resolved() -> None:
    # created 31 Oct 20:00, replied and resolved on 1 Nov: on 1 Nov 00:00 it was open, none
    # of that having happened yet
    story = Story(utc("2026-10-31T20:00"), org="Harbor Dental Group")
    story.reply(utc("2026-11-01T02:00")).status(utc("2026-11-01T03:00"), "Resolved")
    issue = as_of(story.issue(), utc("2026-11-01T00:00"), dict(CATEGORIES))
    assert (issue.status, issue.done, issue.resolved_at, issue.comments) == (
        "Open", False, None, ())  # fmt: skip
    assert as_of(story.issue(), utc("2026-11-02T00:00"), CATEGORIES) == story.issue()


def test_median_and_p90() -> None:
    # Premium P2 first response 30m: replies after 10m, 20m, 40m, 1h (a ticket each), each
    # resolved 5 minutes after the reply (next update and resolution met)
    tickets = []
    for n, minutes in enumerate((10, 20, 40, 60)):
        created = utc("2026-11-02T09:00") + dt.timedelta(hours=n)
        story = Story(created, org="Harbor Dental Group", key=f"SUP-{n + 1}")
        story.reply(created + dt.timedelta(minutes=minutes))
        story.status(created + dt.timedelta(minutes=minutes + 5), "Resolved")
        tickets.append(evaluate_story(story, utc("2026-12-01T00:00")))
    figures = compute(tickets, parse("2026-11"))
    times = figures.times[Metric.FIRST_RESPONSE]
    # median of 4: (20m + 40m) / 2 = 30m; p90 nearest rank: ceil(3.6) = 4th = 1h
    assert (times.count, times.median, times.p90) == (4, 30 * 60, H)
    [tally] = [t for (m, _), t in figures.tallies.items() if m is Metric.FIRST_RESPONSE]
    assert (tally.met, tally.breached, tally.share) == (2, 2, 0.5)
    # over target: SUP-4 1h - 30m, SUP-3 40m - 30m
    assert [(c.key, c.metric, c.over) for c in figures.worst] == [
        ("SUP-4", Metric.FIRST_RESPONSE, 30 * 60), ("SUP-3", Metric.FIRST_RESPONSE, 10 * 60)]  # fmt: skip
    assert all(c.state == State.BREACHED.value for c in figures.worst)
