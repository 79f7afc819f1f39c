"""hours.html lists the next twelve months of holidays: the dates the SLA clocks close on."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import holidays
import pytest

from tests.docs.helpers import build

# (calendar, country, subdivision, extra dates from policies/calendars.yaml)
CALENDARS = [
    ("berlin-office", "DE", "BE", {"2026-12-24": "Heiligabend (office closed)",
                                   "2026-12-31": "Silvester (office closed)",
                                   "2027-12-24": "Heiligabend (office closed)",
                                   "2027-12-31": "Silvester (office closed)"}),
    ("newyork-office", "US", "NY", {"2026-11-27": "Day after Thanksgiving",
                                    "2026-12-24": "Christmas Eve",
                                    "2027-11-26": "Day after Thanksgiving"}),
]  # fmt: skip


def listed(page: str, calendar: str) -> dict[str, str]:
    section = page.split(f'<section id="cal-{calendar}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r'<time datetime="([0-9-]+)">[^<]*</time></th><td>\w+</td><td>(.*?)</td>', section
    )
    return {day: html.unescape(name) for day, name in rows}


@pytest.mark.parametrize("now", ["2026-03-02T09:00", "2026-12-30T12:00"])
@pytest.mark.parametrize(("calendar", "country", "subdivision", "extra"), CALENDARS)
def test_the_holidays_are_the_holidays_library_s_for_twelve_months(
    tmp_path: Path, now: str, calendar: str, country: str, subdivision: str, extra: dict[str, str]
) -> None:
    assert build(tmp_path / "site", now=now).exit_code == 0
    page = (tmp_path / "site" / "hours.html").read_text(encoding="utf-8")
    first = dt.date.fromisoformat(now[:10])  # 09:00 and 12:00 UTC are that day in both zones
    last = first.replace(year=first.year + 1) - dt.timedelta(days=1)
    public = holidays.country_holidays(country, subdiv=subdivision, years=[first.year, last.year])
    expected = {d.isoformat(): str(n) for d, n in public.items() if first <= d <= last}
    expected |= {d: n for d, n in extra.items() if first.isoformat() <= d <= last.isoformat()}
    assert listed(page, calendar) == dict(sorted(expected.items()))
    assert f"Holidays in the twelve months from {first.isoformat()}" in page
