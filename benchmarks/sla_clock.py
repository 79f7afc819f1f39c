"""Benchmark: SLA clocks for a million tickets on a Berlin office calendar.

Run: .venv/bin/python benchmarks/sla_clock.py [--tickets 1000000] [--sample 1000] [--runs 5]
(`make bench` runs it with the other benchmarks; `--quick` there is --tickets 20000.)

Tickets open at random seconds of 2026-2027 on a calendar open Monday to Friday (08:00-18:00,
Wednesday with a lunch break), closed on Berlin's public holidays and two extra days, with
both DST changes of each year. Each ticket gets one of an SLA tier's targets (15m to 10bd,
1bd4h among them). Figures: the due dates of every ticket through the batch API, and the
working time from each opening to a random later instant, each run on a fresh calendar
object so the precompute of its open spans is measured too. A sample is computed again by
the stepping implementation of the tests (day by day, datetime and zoneinfo) and must
agree exactly; the ratio is per item. Then one `due()` call at a time, against a copy of
the implementation before the arrays. Targets: the million due dates under 2 s CPU, and
at least 1,000x the stepping implementation per item.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, WORK, Figure, Report, Sample, measure_call

sys.path.insert(0, str(REPO))
from opskit.policy.model import Calendar
from opskit.time import business, zones
from opskit.time.business_time import business_time
from opskit.time.calendars import open_spans
from opskit.time.duration import Duration
from opskit.time.intervals import intersect, total
from tests.time.stepper import Stepper

FIRST = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TWO_YEARS = 730 * zones.DAY
TARGETS = ["15m", "1h", "4h", "8h", "1bd", "2bd", "3bd", "5bd", "10bd", "1bd4h"]


def office() -> Calendar:
    """A new object each time, so its open spans are built afresh."""
    hours = {d: [(480, 1080)] for d in (0, 1, 3, 4)} | {2: [(480, 720), (780, 1080)]}
    extra = {dt.date(y, 12, d): "office closed" for y in (2026, 2027, 2028) for d in (24, 31)}
    return Calendar("berlin-office", "Europe/Berlin", hours, "DE", "BE", extra)


def tickets(count: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Openings, each one's business days and seconds, and a later instant to measure to."""
    from opskit.policy.values import parse_duration

    rng = np.random.default_rng(seed)
    starts = zones.from_datetime(FIRST) + rng.integers(0, TWO_YEARS, count, dtype=np.int64)
    chosen = [parse_duration(text) for text in TARGETS]
    which = rng.integers(0, len(chosen), count)
    days = np.array([d.business_days for d in chosen], np.int64)[which]
    seconds = np.array([d.seconds for d in chosen], np.int64)[which]
    ends = starts + rng.integers(0, 30 * zones.DAY, count, dtype=np.int64)
    return starts, days, seconds, ends


# The implementation before the arrays (opskit/time/business.py until this benchmark was
# written), kept to measure one call against: its elapsed arithmetic was right (checked
# here), its business days from an opening landed early (timed only).
def _before_add_seconds(calendar: Calendar, t: int, seconds: int) -> int:
    for _ in range(520):
        for a, b in open_spans(calendar, t, t + 7 * zones.DAY):
            if seconds <= b - a:
                return a + seconds
            seconds -= b - a
        t += 7 * zones.DAY
    raise ValueError("never open")


def _before_day_spans(calendar: Calendar, day: dt.date) -> list[tuple[int, int]]:
    tz = zones.get(calendar.timezone)
    lo, hi = tz.utc(zones.wall_of(day)), tz.utc(zones.wall_of(day + dt.timedelta(days=1)))
    return open_spans(calendar, lo, hi)


def _before_next_day(calendar: Calendar, day: dt.date) -> tuple[dt.date, list[tuple[int, int]]]:
    for _ in range(3640):
        day += dt.timedelta(days=1)
        spans = _before_day_spans(calendar, day)
        if spans:
            return day, spans
    raise ValueError("never open")


def _before_add_business_days(calendar: Calendar, t: int, days: int) -> int:
    tz = zones.get(calendar.timezone)
    day = zones.date_of(tz.wall(t))
    spans = _before_day_spans(calendar, day)
    if spans and t < spans[-1][1]:
        position = total(intersect(spans, [(spans[0][0], max(t, spans[0][0]))]))
    else:
        position = 0
        day, spans = _before_next_day(calendar, day)
    if position == 0:
        days -= 1
        position = total(spans)
    for _ in range(days):
        day, spans = _before_next_day(calendar, day)
    for a, b in spans:
        if position <= b - a:
            return a + position
        position -= b - a
    return spans[-1][1]


def _before_working_seconds(calendar: Calendar, a: int, b: int) -> int:
    return total(intersect(open_spans(calendar, a, b), [(a, b)])) if b > a else 0


def per_call(function: Callable[[int], object], starts: list[int]) -> Sample:
    sample, _ = measure_call(lambda: [function(t) for t in starts])
    return Sample(sample.wall / len(starts), sample.cpu / len(starts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=1000, help="tickets for the stepper")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    os.environ.setdefault("OPSKIT_CACHE_DIR", str(WORK / "cache-sla-clock"))
    report = Report("sla_clock", argv)
    starts, days, seconds, ends = tickets(args.tickets)
    report.say(f"{args.tickets:,} tickets opened over 2026-2027 on a Berlin office calendar "
               f"(public holidays, DST), targets {', '.join(TARGETS)}")  # fmt: skip

    due_figure = Figure(f"due dates of {args.tickets:,} tickets, precompute included",
                        "business_time(calendar).due_each(starts, business_days, seconds)",
                        facts={"items": args.tickets})  # fmt: skip
    elapsed_figure = Figure(f"working time of {args.tickets:,} tickets, precompute included",
                            "business_time(calendar).elapsed_many(starts, ends)",
                            facts={"items": args.tickets})  # fmt: skip
    for _ in range(args.runs):
        sample, due = measure_call(lambda: business_time(office()).due_each(starts, days, seconds))
        due_figure.samples.append(sample)
        sample, elapsed = measure_call(lambda: business_time(office()).elapsed_many(starts, ends))
        elapsed_figure.samples.append(sample)
    report.figure(due_figure)
    report.figure(elapsed_figure)

    stepper = Stepper(office())
    picked = [int(i) for i in np.linspace(0, args.tickets - 1, args.sample)]
    due_steps, stepped_due = measure_call(lambda: [
        stepper.due(int(starts[i]), int(days[i]), int(seconds[i])) for i in picked])  # fmt: skip
    elapsed_steps, stepped_elapsed = measure_call(lambda: [
        stepper.working_seconds(int(starts[i]), int(ends[i])) for i in picked])  # fmt: skip
    stepping = Figure(f"the same for {args.sample:,} tickets by the stepping implementation",
                      "tests/time/stepper.py: Stepper(calendar).due, then .working_seconds",
                      [Sample(due_steps.wall + elapsed_steps.wall, due_steps.cpu + elapsed_steps.cpu)],
                      {"items": args.sample})  # fmt: skip
    report.figure(stepping)
    wrong = sum(stepped_due[k] != int(due[i]) or stepped_elapsed[k] != int(elapsed[i])
                for k, i in enumerate(picked))  # fmt: skip
    report.say(f"sample of {args.sample:,}: {wrong} disagreement(s) with the stepper")
    ratios = {}
    for what, steps, figure in (("due dates", due_steps, due_figure),
                                ("working time", elapsed_steps, elapsed_figure)):  # fmt: skip
        slow, fast = steps.cpu / args.sample, figure.cpu / args.tickets
        ratios[what] = slow / fast
        report.ratios.append({"name": f"{what} per item, stepper / batch", "baseline": stepping.name,
                              "figure": figure.name, "wall": ratios[what], "cpu": ratios[what]})  # fmt: skip
        report.say(f"ratio, {what} per item, stepper / batch: {slow / fast:,.0f}x in CPU time "
                   f"({slow * 1e6:,.1f} µs vs {fast * 1e6:.3f} µs)")  # fmt: skip

    calendar, old = office(), office()
    four_hours = Duration(0, 4 * 3600)
    some = [int(t) for t in starts[:2000]]
    times = [zones.to_datetime(t) for t in some]
    for t in (min(times), max(times)):  # built once, as in a running service
        business.due(calendar, t, four_hours)
    new_call = per_call(
        lambda k: business.due(calendar, times[k], four_hours), list(range(len(some)))
    )
    old_call = per_call(lambda t: _before_add_seconds(old, t, 4 * 3600), some)
    same = all(_before_add_seconds(old, t, 4 * 3600) == business_time(calendar).due(t, four_hours)
               and _before_working_seconds(old, t, t + 86_400) == business_time(calendar).elapsed(t, t + 86_400)
               for t in some[:200])  # fmt: skip
    report.say(f"one due() call, 4h: {new_call.cpu * 1e6:.1f} µs CPU, before the arrays "
               f"{old_call.cpu * 1e6:.1f} µs ({old_call.cpu / new_call.cpu:.0f}x); "
               f"{'the same' if same else 'DIFFERENT'} answers")  # fmt: skip
    two_days = Duration(2, 0)
    new_call = per_call(
        lambda k: business.due(calendar, times[k], two_days), list(range(len(some)))
    )
    old_call = per_call(lambda t: _before_add_business_days(old, t, 2), some)
    report.say(f"one due() call, 2bd: {new_call.cpu * 1e6:.1f} µs CPU, before the arrays "
               f"{old_call.cpu * 1e6:.1f} µs ({old_call.cpu / new_call.cpu:.0f}x; its answers "
               "were early from an opening)")  # fmt: skip
    # the targets are for a million tickets; a smaller run shows the precompute's share
    report.target(f"{args.tickets:,} due dates under 2 s CPU (median)", due_figure.cpu < 2)
    report.target(
        "at least 1,000x the stepping implementation per item, both", min(ratios.values()) >= 1000
    )
    report.target("the sample agrees with the stepper exactly", wrong == 0 and same)
    report.save(args.json)
    return 0 if wrong == 0 and same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
