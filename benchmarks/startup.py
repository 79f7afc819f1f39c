"""Benchmark: start-up, the pre-commit case. Every run is a whole process.

Run: .venv/bin/python benchmarks/startup.py [--runs 100]
(`make bench` runs it with the other benchmarks.)

A hook runs `opskit validate` on every commit, so what it costs is mostly start-up:
Python's own (`python -c pass`, the baseline), the imports, then the work. Measured:
`opskit --help` (the command list comes from a table, no command imported) and
`opskit validate` of the example repository with a warm cache, each `--runs` times.
Targets: at most 100 ms of CPU time each (medians).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, WORK, Figure, Report, environment, installed, run_process, shown


def figure(name: str, argv: list[str], runs: int, env: dict[str, str]) -> Figure:
    measured = Figure(name, shown(argv))
    for _ in range(runs):
        done = run_process(argv, cwd=REPO, env=env)
        if done.returncode != 0:
            raise SystemExit(f"{shown(argv)} failed with exit {done.returncode}: {done.stderr[-2000:]}")
        measured.samples.append(done.sample)
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100, help="runs of each command")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    report = Report("startup", argv)
    env = environment(OPSKIT_CACHE_DIR=str(WORK / "cache-startup"))
    opskit = installed("opskit")
    run_process([opskit, "validate"], cwd=REPO, env=env)  # warms the cache and the bytecode
    baseline = report.figure(figure("python -c pass", [sys.executable, "-c", "pass"], args.runs, env))
    helped = report.figure(figure("opskit --help", [opskit, "--help"], args.runs, env))
    validated = report.figure(
        figure("opskit validate, example repository, warm cache", [opskit, "validate"], args.runs, env)
    )
    # printed as opskit / Python: how many times Python's own start-up each one costs
    report.ratio("--help, times Python's start-up", helped, baseline)
    report.ratio("validate, times Python's start-up", validated, baseline)
    report.target("--help at most 100 ms of CPU (median)", helped.cpu <= 0.1)
    report.target("validate of the example at most 100 ms of CPU (median)", validated.cpu <= 0.1)
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
