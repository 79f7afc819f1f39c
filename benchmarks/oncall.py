"""Benchmark: the on-call engine on the example company scaled up.

Run: .venv/bin/python benchmarks/oncall.py [--rotations 200] [--runs 5]
(`make bench` runs it with the other benchmarks.)

Renders one year of every rotation (weekly turns, a restriction on each), then runs each
deliverability rule as `opskit validate` would (13-week horizon, holiday coverage a year
ahead). Each run is a fresh process that loads the repository (not measured) and then
measures both, wall and CPU time. Target: each under a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    WORK,
    Figure,
    Report,
    Sample,
    describe,
    environment,
    measure_call,
    run_process,
    shown,
)
from synthetic import SHARED, generate

from opskit.deliverability.checks import RULE_IDS
from opskit.oncall.schedule import Schedules
from opskit.policy.checks import Context
from opskit.policy.model import Policy
from opskit.policy.validate import validate_files
from opskit.rules import RULES
from opskit.time import zones

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
OBJECTS_PER_UNIT, ROTATIONS_PER_UNIT = 25, 2


def render(policy: Policy) -> int:
    lo = zones.from_datetime(NOW)
    schedules = Schedules(policy, lo, lo + 365 * zones.DAY)
    return sum(len(schedules.shifts(r)) for r in policy.rotations.values())


def every_rule(policy: Policy) -> dict[str, tuple[Sample, int]]:
    """Each deliverability rule on one context, as validate runs them (renders shared)."""
    context = Context(policy, {"now": NOW, "horizon": "13w"})
    timings = {}
    for rule in RULES.values():
        if rule.id in RULE_IDS and rule.check is not None:
            check = rule.check
            sample, found = measure_call(lambda: list(check(context)))  # noqa: B023
            timings[rule.id] = (sample, len(found))
    return timings


def sample(root: Path) -> dict[str, Any]:
    """One run, in a fresh process: load the repository, then render, then every rule."""
    result = validate_files([root / "policies"], cache=False)
    policy = result.policy
    render_sample, shifts = measure_call(lambda: render(policy))
    for rotation in policy.rotations.values():
        rotation.follow_the_sun = True  # so the night rule has work to do too
    rules_sample, timings = measure_call(lambda: every_rule(policy))
    return {
        "objects": policy.count(),
        "rotations": len(policy.rotations),
        "services": len(policy.services),
        "render": asdict(render_sample) | {"shifts": shifts},
        "rules": asdict(rules_sample),
        "per_rule": {k: asdict(s) | {"findings": n} for k, (s, n) in timings.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rotations", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5, help="runs, each a fresh process")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--sample", type=Path, help=argparse.SUPPRESS)  # one run, as a child
    args = parser.parse_args(argv)
    if args.sample is not None:
        print(json.dumps(sample(args.sample)))
        return 0
    report = Report("oncall", argv)
    objects = len(SHARED) + args.rotations // ROTATIONS_PER_UNIT * OBJECTS_PER_UNIT
    root = WORK / f"oncall-{args.rotations}"
    generate(root, objects)
    env = environment(OPSKIT_CACHE_DIR=str(WORK / "cache-oncall"))
    runs = []
    for _ in range(args.runs):
        done = run_process([sys.executable, __file__, "--sample", str(root)], env=env)
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:])
            raise SystemExit(f"a run failed with exit {done.returncode}")
        runs.append(json.loads(done.stdout))
    first = runs[0]
    report.say(f"repository: {first['objects']:,} objects, {first['rotations']} rotations, "
               f"{first['services']} services under {shown([str(root)])}; each run a fresh "
               f"process that loads and validates it, then measures rendering and the rules")  # fmt: skip

    def samples(key: str) -> list[Sample]:
        return [Sample(run[key]["wall"], run[key]["cpu"]) for run in runs]

    rendering = Figure(f"render one year of {first['rotations']} rotations",
                       "Schedules(policy, now, now + 365 days).shifts(r) for every rotation r",
                       samples("render"), {"shifts": first["render"]["shifts"]})  # fmt: skip
    report.figure(rendering)
    rules = Figure("every deliverability rule (13-week horizon, after the render)",
                   "rule.check(Context(policy, now, 13w)) for each deliverability rule",
                   samples("rules"))  # fmt: skip
    report.figure(rules)
    for rule_id, last in first["per_rule"].items():
        walls = [run["per_rule"][rule_id]["wall"] for run in runs]
        report.say(f"  {rule_id:<28} wall {describe(walls)}  {last['findings']} finding(s)")
    report.target("render under 1 s wall (median)", rendering.wall < 1)
    report.target("every rule under 1 s wall (median)", rules.wall < 1)
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
