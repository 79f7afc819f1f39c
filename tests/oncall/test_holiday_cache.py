"""Holiday dates come from the holidays library once, then from the cache folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from opskit import disk_cache
from opskit.time import calendars


def test_dates_are_cached_and_read_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(disk_cache.CACHE_ENV, str(tmp_path))
    calendars._public.cache_clear()
    fresh = calendars._public("DE", "BE", 2026)
    assert fresh[dt.date(2026, 12, 25)] == "Christmas Day"
    assert dt.date(2026, 3, 8) in fresh  # Berlin's own Women's Day: the subdivision counts
    [stored] = tmp_path.glob("holidays-*-dates.json")
    assert json.loads(stored.read_text())["DE/BE/2026"]["2026-12-25"] == "Christmas Day"
    calendars._public.cache_clear()
    assert calendars._public("DE", "BE", 2026) == fresh
    calendars._public.cache_clear()


def test_country_codes_are_cached_and_match_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from holidays.registry import COUNTRIES

    from opskit.policy.checks import calendars as calendar_checks

    monkeypatch.setenv(disk_cache.CACHE_ENV, str(tmp_path))
    calendar_checks._countries.cache_clear()
    fresh = calendar_checks._countries()
    library = {code for names in COUNTRIES.values() for code in names[1:] if code.isupper()}
    assert fresh == library and {"DE", "US", "GB"} <= fresh
    [stored] = tmp_path.glob("holidays-*-countries.json")
    stored.write_text(json.dumps({"countries": ["ZZ"]}))  # read back from disk, not asked again
    calendar_checks._countries.cache_clear()
    assert calendar_checks._countries() == {"ZZ"}
    calendar_checks._countries.cache_clear()
