"""The plain-words promises: the rules on their own, then the example tiers as published."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from opskit.docs.words import business_words, elapsed_words, hours_words, promise
from opskit.policy.model import TWENTY_FOUR_SEVEN, Calendar
from opskit.policy.values import parse_duration
from tests.docs.helpers import build

OFFICE = Calendar("office", "Europe/Berlin", {d: [(540, 1020)] for d in range(5)})


@pytest.mark.parametrize(
    ("text", "words"),
    [("15m", "15 minutes"), ("1h", "1 hour"), ("1h30m", "1 hour and 30 minutes"),
     ("1d", "1 day"), ("10d", "10 days"), ("1w", "7 days"), ("2bd", "2 days"),
     ("1d12h5m", "1 day, 12 hours and 5 minutes")],
)  # fmt: skip
def test_round_the_clock_durations_are_elapsed_time(text: str, words: str) -> None:
    duration = parse_duration(text)
    assert elapsed_words(duration.business_days * 86_400 + duration.seconds) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [("4h", "4 business hours"), ("30m", "30 business minutes"), ("1d", "24 business hours"),
     ("1bd", "1 business day"), ("3bd", "3 business days"),
     ("1h30m", "1 business hour and 30 minutes"),
     ("1bd4h", "1 business day and 4 business hours")],
)  # fmt: skip
def test_business_durations_are_working_time(text: str, words: str) -> None:
    assert business_words(parse_duration(text)) == words


def test_hours_group_weekdays_with_the_same_windows() -> None:
    assert hours_words(OFFICE) == "Mon–Fri 09:00–17:00 Europe/Berlin"
    split = Calendar("c", "UTC", {0: [(540, 720), (780, 1020)], 1: [(540, 720), (780, 1020)],
                                  3: [(0, 1440)], 5: [(600, 840)]})  # fmt: skip
    assert (
        hours_words(split)
        == "Mon, Tue 09:00–12:00, 13:00–17:00; Thu 00:00–24:00; Sat 10:00–14:00 UTC"
    )
    assert hours_words(TWENTY_FOUR_SEVEN) == "24 hours a day, 7 days a week"


def test_a_promise_names_its_clock() -> None:
    fifteen = parse_duration("15m")
    assert promise("first_response", "P1", fifteen, TWENTY_FOUR_SEVEN) == (
        "We answer a P1 within 15 minutes, day and night."
    )
    assert promise("first_response", "P2", parse_duration("4h"), OFFICE) == (
        "We answer a P2 within 4 business hours (Mon–Fri 09:00–17:00 Europe/Berlin)."
    )
    assert promise("next_update", "P3", parse_duration("1d"), TWENTY_FOUR_SEVEN) == (
        "While it is open, we update you at least every day, day and night."
    )


BERLIN = " (Mon–Fri 08:00–18:00 Europe/Berlin)"
# policies/tiers.yaml, worked out by hand: Premium and Business on 24x7, Standard on
# berlin-office (Mon–Fri 08:00–18:00), where 4h means four working hours.
EXPECTED = {
    ("Premium", "P1"): ["We answer a P1 within 15 minutes, day and night.",
                        "While it is open, we update you at least every 30 minutes, day and night.",
                        "We resolve it within 4 hours, day and night."],
    ("Premium", "P3"): ["We answer a P3 within 2 hours, day and night.",
                        "While it is open, we update you at least every day, day and night.",
                        "We resolve it within 3 days, day and night."],
    ("Business", "P2"): ["We answer a P2 within 1 hour, day and night.",
                         "While it is open, we update you at least every 4 hours, day and night.",
                         "We resolve it within 1 day, day and night."],
    ("Business", "P4"): ["We answer a P4 within 1 day, day and night.",
                         "While it is open, we update you at least every 5 days, day and night.",
                         "We resolve it within 15 days, day and night."],
    ("Standard", "P1"): [f"We answer a P1 within 4 business hours{BERLIN}.",
                         f"While it is open, we update you at least every 8 business hours{BERLIN}.",
                         f"We resolve it within 3 business days{BERLIN}."],
    ("Standard", "P4"): [f"We answer a P4 within 3 business days{BERLIN}.",
                         f"While it is open, we update you at least every 10 business days{BERLIN}.",
                         f"We resolve it within 20 business days{BERLIN}."],
}  # fmt: skip


def promises_of(tiers_html: str, tier: str, priority: str) -> list[str]:
    section = tiers_html.split(f'<h3 id="tier-{tier}-{priority}">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", section)


def test_the_example_tiers_promise_in_plain_words(tmp_path: Path) -> None:
    assert build(tmp_path / "site").exit_code == 0
    page = (tmp_path / "site" / "tiers.html").read_text(encoding="utf-8")
    for (tier, priority), sentences in EXPECTED.items():
        assert promises_of(page, tier, priority) == sentences, (tier, priority)
    # most demanding first; the Standard clock and its pauses said once, in words
    assert (
        page.index('id="tier-Premium"')
        < page.index('id="tier-Business"')
        < page.index('id="tier-Standard"')
    )
    assert "business hours only: Mon–Fri 08:00–18:00 Europe/Berlin" in page
    assert "pauses while a request is Waiting for customer or Pending release" in page


def test_the_availability_a_tier_promises(tmp_path: Path) -> None:
    assert build(tmp_path / "site").exit_code == 0
    page = (tmp_path / "site" / "tiers.html").read_text(encoding="utf-8")
    premium, business, standard = (
        page.split(f'id="tier-{name}"', 1)[1].split("</section>", 1)[0]
        for name in ("Premium", "Business", "Standard")
    )
    assert "available at least 99.9% of every month" in premium
    assert "available at least 99.5% of every month" in business
    assert "available at least" not in standard  # it sets no availability_percent
