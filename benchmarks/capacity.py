"""Benchmark: `opskit capacity` on the sandbox's seeded year, and `opskit capacity oncall`.

Run: .venv/bin/python benchmarks/capacity.py [--runs 5] [--weeks 13]
(`make bench` runs it with the other benchmarks.)

The example repository against the sandbox in its own process, as `make demo` sets it up:
the demo seed, `opskit apply` to PagerDuty, the year of tickets (``POST
/_sandbox/jira/seed-year``) and 13 weeks of pages (``seed-pages``), none of it measured.
Then, each as a whole process: `opskit capacity` (the tickets of --weeks read from Jira,
Erlang C for every hour of the week and the seeded simulation of four weeks), against
the floor of reading the same tickets with the same fields through the `jira` client and
nothing else; and `opskit capacity oncall` against reading the same incidents, overview
log and users through the `pagerduty` client. Their ratios say what the analysis costs
on top of fetching its input.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, Figure, Report, environment, installed, run_process, shown
from served import Server

FLOOR = str(Path(__file__).resolve().parent / "floors.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=13)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    report = Report("capacity", argv)
    with tempfile.TemporaryDirectory(prefix="opskit-bench-") as folder:
        server = Server(Path(folder) / "sandbox.db", "--seed", "demo")
        try:
            run(report, server, Path(folder), args)
        finally:
            server.stop()
    report.save(args.json)
    return 0


def measured(name: str, argv: list[str], runs: int, env: dict[str, str], ok: tuple[int, ...]) -> Figure:
    figure = Figure(name, shown(argv, cwd=REPO))
    for _ in range(runs):
        done = run_process(argv, cwd=REPO, env=env)
        if done.returncode not in ok:
            print(done.stdout[-3000:], done.stderr[-3000:])
            raise SystemExit(f"{name}: exit {done.returncode}")
        figure.samples.append(done.sample)
    return figure


def run(report: Report, server: Server, work: Path, args: argparse.Namespace) -> None:
    env = environment(
        PAGERDUTY_URL=server.url, PAGERDUTY_API_KEY="demo-token", OPSKIT_CA_BUNDLE=server.ca,
        JIRA_URL=server.url, JIRA_EMAIL="anna@northwind.example", JIRA_API_TOKEN="demo-token",
        OPSKIT_CACHE_DIR=str(work / "cache"),
    )  # fmt: skip
    opskit = installed("opskit")
    applied = run_process([opskit, "apply", "--target", "pagerduty", "--yes"], cwd=REPO, env=env)
    if applied.returncode != 0:
        raise SystemExit(f"apply failed: {applied.stderr[-2000:]}")
    tickets = server.admin("POST", "jira/seed-year")["loaded"]
    pages = len(server.admin("POST", "pagerduty/seed-pages")["ids"])
    jql = "project = SUP"
    period = f"{args.weeks}w"
    report.say(f"the example repository; the sandbox's seeded year ({tickets:,} tickets), "
               f"{pages} pages; --period {period}")  # fmt: skip
    floor = measured("read the tickets: jira client, the same fields",
                     [sys.executable, FLOOR, "tickets", server.url, server.ca, jql,
                      str(args.weeks)], args.runs, env, (0,))  # fmt: skip
    capacity = measured("opskit capacity", [opskit, "capacity", "--jql", jql, "--period", period],
                        args.runs, env, (0, 1))  # fmt: skip
    report.figure(floor)
    report.figure(capacity)
    report.ratio("capacity against reading its tickets", floor, capacity)
    read = measured("read the pages: pagerduty client, incidents, overview log, users",
                    [sys.executable, FLOOR, "pages", server.url, server.ca, str(args.weeks)],
                    args.runs, env, (0,))  # fmt: skip
    oncall = measured("opskit capacity oncall",
                      [opskit, "capacity", "oncall", "--period", period], args.runs, env, (0, 1))  # fmt: skip
    report.figure(read)
    report.figure(oncall)
    report.ratio("capacity oncall against reading its pages", read, oncall)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
