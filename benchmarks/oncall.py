"""Benchmark: the on-call engine on the example company scaled up.

Run: .venv/bin/python benchmarks/oncall.py [--rotations 200]

Renders one year of every rotation (weekly turns, a restriction on each), then
runs each deliverability rule as `opskit validate` would (13-week horizon, holiday
coverage a year ahead). Target: each under a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import SHARED, generate

from opskit.oncall import zones
from opskit.oncall.schedule import Schedules
from opskit.policy.checks import RULES, Context
from opskit.policy.checks.deliverability import RULE_IDS
from opskit.policy.validate import validate_files

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / ".work"
NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
OBJECTS_PER_UNIT, ROTATIONS_PER_UNIT = 25, 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rotations", type=int, default=200)
    args = parser.parse_args()
    objects = len(SHARED) + args.rotations // ROTATIONS_PER_UNIT * OBJECTS_PER_UNIT
    root = WORK / f"oncall-{args.rotations}"
    generate(root, objects)
    start = time.perf_counter()
    result = validate_files([root / "policies"])
    policy = result.policy
    print(f"repository: {policy.count():,} objects, {len(policy.rotations)} rotations, "
          f"{len(policy.services)} services (loaded and validated in {time.perf_counter() - start:.2f} s)")  # fmt: skip

    lo = zones.from_datetime(NOW)
    start = time.perf_counter()
    schedules = Schedules(policy, lo, lo + 365 * zones.DAY)
    shifts = sum(len(schedules.shifts(r)) for r in policy.rotations.values())
    render = time.perf_counter() - start
    print(
        f"render one year of {len(policy.rotations)} rotations: {render:.3f} s ({shifts:,} shifts)"
    )

    for rotation in policy.rotations.values():
        rotation.follow_the_sun = True  # so the night rule has work to do too
    settings = {"now": NOW, "horizon": "13w"}
    context = Context(policy, dict(settings))
    total = 0.0
    for rule in RULES.values():
        if rule.id not in RULE_IDS or rule.check is None:
            continue
        start = time.perf_counter()
        found = list(rule.check(context))
        seconds = time.perf_counter() - start
        total += seconds
        print(f"  {rule.id:<28} {seconds:.3f} s  {len(found)} finding(s)")
    print(f"every deliverability rule: {total:.3f} s (renders shared between rules)")
    ok = render < 1 and total < 1
    print("target (< 1 s each):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
