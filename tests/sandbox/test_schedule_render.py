"""PagerDuty layer semantics of the reference renderer, without HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from opskit.sandbox import schedule_render as sr

BERLIN = ZoneInfo("Europe/Berlin")
DAY = 86_400


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def local(tz: ZoneInfo, year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=tz).astimezone(UTC)


def weekly(users: tuple[str, ...], **kw: object) -> sr.Layer:
    base = {
        "start": utc(2026, 1, 5),
        "rotation_virtual_start": utc(2026, 1, 5),
        "rotation_turn_length_seconds": 7 * DAY,
        "users": users,
    }
    base.update(kw)
    return sr.Layer(**base)  # type: ignore[arg-type]


def test_users_cycle_turn_by_turn() -> None:
    entries = sr.render_layer(
        weekly(("a", "b", "c")), ZoneInfo("UTC"), utc(2026, 1, 5), utc(2026, 2, 9)
    )
    assert [e.user for e in entries] == ["a", "b", "c", "a", "b"]
    assert entries[1].start == utc(2026, 1, 12) and entries[1].end == utc(2026, 1, 19)


def test_virtual_start_before_layer_start_sets_who_is_first() -> None:
    layer = weekly(("a", "b"), start=utc(2026, 1, 12), rotation_virtual_start=utc(2025, 12, 29))
    entries = sr.render_layer(layer, ZoneInfo("UTC"), utc(2026, 1, 1), utc(2026, 1, 26))
    # turn 0 (a) began 29 Dec; the layer only starts on 12 Jan, which is turn 2 (a again).
    assert entries[0].start == utc(2026, 1, 12)
    assert [e.user for e in entries] == ["a", "b"]


def test_handoff_keeps_local_time_across_dst() -> None:
    layer = sr.Layer(
        start=local(BERLIN, 2026, 3, 27, 9),
        rotation_virtual_start=local(BERLIN, 2026, 3, 27, 9),
        rotation_turn_length_seconds=DAY,
        users=("a", "b"),
    )
    entries = sr.render_layer(layer, BERLIN, utc(2026, 3, 27), utc(2026, 3, 31))
    starts = [e.start.astimezone(BERLIN).hour for e in entries]
    assert starts == [9, 9, 9, 9]
    # 29 March 2026 is the spring change: that turn is 23 hours long.
    assert entries[1].end - entries[1].start == timedelta(hours=23)


def test_daily_restriction_in_schedule_time_zone() -> None:
    business = sr.Restriction("daily_restriction", time(9), 8 * 3600)
    layer = weekly(("a",), restrictions=(business,))
    entries = sr.render_layer(layer, BERLIN, utc(2026, 1, 5), utc(2026, 1, 7))
    assert [(e.start, e.end) for e in entries] == [
        (local(BERLIN, 2026, 1, 5, 9), local(BERLIN, 2026, 1, 5, 17)),
        (local(BERLIN, 2026, 1, 6, 9), local(BERLIN, 2026, 1, 6, 17)),
    ]


def test_weekly_restriction_spans_days() -> None:
    weekend = sr.Restriction("weekly_restriction", time(18), 54 * 3600, start_day_of_week=5)
    layer = weekly(("a", "b"), restrictions=(weekend,))
    entries = sr.render_layer(layer, ZoneInfo("UTC"), utc(2026, 1, 5), utc(2026, 1, 19))
    assert [(e.user, e.start, e.end) for e in entries] == [
        ("a", utc(2026, 1, 9, 18), utc(2026, 1, 12)),
        ("b", utc(2026, 1, 16, 18), utc(2026, 1, 19)),
    ]


def test_higher_layer_wins_and_its_gaps_show_lower_layer() -> None:
    base = weekly(("a",))
    day_shift = weekly(
        ("b",), restrictions=(sr.Restriction("daily_restriction", time(9), 8 * 3600),)
    )
    final = sr.render_final(
        [base, day_shift], [], ZoneInfo("UTC"), utc(2026, 1, 5), utc(2026, 1, 6)
    )
    assert [(e.user, e.start.hour, e.end.hour) for e in final] == [
        ("a", 0, 9),
        ("b", 9, 17),
        ("a", 17, 0),
    ]
    assert sr.coverage_percentage(final, utc(2026, 1, 5), utc(2026, 1, 6)) == 100.0


def test_overrides_sit_on_top_and_gaps_stay_uncovered() -> None:
    layer = weekly(("a",), end=utc(2026, 1, 6))
    override = sr.Override("z", utc(2026, 1, 5, 12), utc(2026, 1, 5, 14))
    final = sr.render_final([layer], [override], ZoneInfo("UTC"), utc(2026, 1, 5), utc(2026, 1, 7))
    assert [(e.user, e.start, e.end) for e in final] == [
        ("a", utc(2026, 1, 5), utc(2026, 1, 5, 12)),
        ("z", utc(2026, 1, 5, 12), utc(2026, 1, 5, 14)),
        ("a", utc(2026, 1, 5, 14), utc(2026, 1, 6)),
    ]
    assert sr.coverage_percentage(final, utc(2026, 1, 5), utc(2026, 1, 7)) == 50.0


def test_layer_from_api_reads_pagerduty_json() -> None:
    layer = sr.layer_from_api(
        {
            "start": "2026-01-05T00:00:00+01:00",
            "end": None,
            "rotation_virtual_start": "2026-01-05T00:00:00Z",
            "rotation_turn_length_seconds": DAY,
            "users": [{"user": {"id": "PA", "type": "user_reference"}}],
            "restrictions": [
                {
                    "type": "weekly_restriction",
                    "start_time_of_day": "08:00:00",
                    "duration_seconds": 3600,
                    "start_day_of_week": 1,
                }
            ],
        }
    )
    assert layer.start == utc(2026, 1, 4, 23) and layer.users == ("PA",)
    assert layer.restrictions[0].start_day_of_week == 1
