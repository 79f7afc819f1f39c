"""Benchmark: PagerDuty sync of N services with their schedules and escalation policies.

Run: .venv/bin/python benchmarks/pagerduty_sync.py [--services 1000] [--runs 5]
(`make bench` runs it with the other benchmarks.)

`opskit plan` and `opskit apply` run as commands, measured whole, against the sandbox in
its own process (the official client, real HTTP) at PagerDuty's rate limit of 960
requests a minute. Prints requests, wall and CPU time, 429s, and the requests a refresh
of one GET per object would need. opskit paces its writes under the rate limit, so the
apply of 1,000 services takes about 270 s; `--services` makes a quicker run. Every answer
comes `--latency-ms` (150) late, as across the internet.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Figure, Report, environment, installed
from served import Server, measured_against

RATE = 960
PEOPLE = 60
TEAMS = 10


def documents(services: int) -> list[dict[str, Any]]:
    people = [f"p{i}" for i in range(PEOPLE)]
    docs: list[dict[str, Any]] = [
        {"kind": "Priority", "name": "P1", "level": 1, "title": "Critical", "urgency": "high"},
        {"kind": "SlaTier", "name": "premium", "calendar": "24x7",
         "targets": {"P1": {"first_response": "15m", "resolution": "4h"}}},
    ]  # fmt: skip
    docs += [
        {"kind": "Person", "name": p, "email": f"{p}@bench.example", "timezone": "UTC"}
        for p in people
    ]
    docs += [
        {"kind": "Team", "name": f"team{t}", "members": people[t * 6 : t * 6 + 6]}
        for t in range(TEAMS)
    ]
    for i in range(services):
        crew = [people[(i + k) % PEOPLE] for k in (0, 1, 2)]
        backup = people[(i + 30) % PEOPLE]
        docs += [
            {"kind": "Rotation", "name": f"rot{i}", "timezone": "UTC", "start": "2026-01-05",
             "layers": [{"name": "main", "members": crew, "shift": "1w"}]},
            {"kind": "EscalationLadder", "name": f"ladder{i}", "repeat": 1, "steps": [
                {"notify": [{"rotation": f"rot{i}"}], "escalate_after": "5m"},
                {"notify": [{"person": backup}], "escalate_after": "10m"}]},
            {"kind": "Service", "name": f"svc{i}", "team": f"team{i % TEAMS}", "ladder": f"ladder{i}", "tier": "premium"},
        ]  # fmt: skip
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each plan")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--latency-ms", type=int, default=150,
                        help="added to every answer by the sandbox: a real round trip")  # fmt: skip
    args = parser.parse_args(argv)
    report = Report("pagerduty_sync", argv)
    n = args.services
    with tempfile.TemporaryDirectory(prefix="opskit-bench-") as folder:
        work = Path(folder)
        (work / "policies").mkdir()
        (work / "opskit.yaml").write_text(
            "workspace: bench\npolicies: [policies]\ntargets: {pagerduty: {}}\n"
        )
        policies = yaml.safe_dump_all(documents(n), sort_keys=False)
        (work / "policies" / "all.yaml").write_text(policies)
        server = Server(work / "sandbox.db", "--pd-rate", str(RATE), "--latency-ms", str(args.latency_ms))
        try:
            report.say(f"every answer {args.latency_ms} ms late, as across the internet")
            run(report, server, work, n, args.runs)
        finally:
            server.stop()
    report.save(args.json)
    return 0


def run(report: Report, server: Server, work: Path, n: int, runs: int) -> None:
    report.say(f"{n:,} services, {n:,} schedules, {n:,} escalation policies, {TEAMS} teams, "
               f"{PEOPLE} users; sandbox in its own process at {RATE} requests a minute")  # fmt: skip
    # The account's users exist already (set-up, not measured): made fast, then the
    # limit goes back to PagerDuty's with fresh buckets.
    server.admin("PUT", "ratelimits", json={"pagerduty_per_minute": 100_000})
    headers = {"Authorization": "Token token=setup", "From": "setup@bench.example"}
    for i in range(PEOPLE):
        user = {"type": "user", "name": f"p{i}", "email": f"p{i}@bench.example", "time_zone": "UTC"}
        server.http.post("/users", json={"user": user}, headers=headers).raise_for_status()
    server.admin("PUT", "ratelimits", json={"pagerduty_per_minute": RATE})
    env = environment(PAGERDUTY_API_KEY="bench", PAGERDUTY_URL=server.url,
                      OPSKIT_CA_BUNDLE=server.ca)  # fmt: skip
    opskit = [installed("opskit")]

    def measured(name: str, args: list[str], times: int) -> tuple[Figure, dict[str, Any]]:
        figure, routes = measured_against(server, name, [*opskit, *args], times, cwd=work, env=env)
        return figure, {"routes": routes}

    empty, _ = measured("plan, empty account", ["plan", "--target", "pagerduty"], runs)
    report.figure(empty)
    name = f"apply at {RATE} requests a minute"
    applied, _ = measured(name, ["apply", "--target", "pagerduty", "--yes"], 1)
    rate = applied.facts["requests"] / applied.wall * 60
    applied.facts["requests_per_minute"] = round(rate)
    paced = applied.facts["requests"] > 2 * RATE  # else mostly the bucket's first minute
    if paced:
        applied.facts["share_of_limit"] = f"{rate / RATE:.0%}"
    report.figure(applied)
    if not paced:
        report.say(f"  (the apply fits in the first minute's {RATE} requests: no pacing figure)")
    full, seen = measured("plan after apply (full account)",
                          ["plan", "--target", "pagerduty", "--detailed-exitcode"], runs)  # fmt: skip
    report.figure(full)
    reads = {route: count for route, count in seen["routes"].items() if route.startswith("GET")}
    report.say("  reads by route: " + ", ".join(f"{k} {v}" for k, v in sorted(reads.items())))

    # A refresh of one GET per object: every schedule, escalation policy, service, team
    # and user, and the members of each team.
    one_each = 3 * n + TEAMS + PEOPLE + TEAMS
    plan_requests = full.facts["requests"]
    assert isinstance(plan_requests, int), "the plan of an unchanged account varies"
    report.count_ratio("one GET per object vs the plan", one_each, plan_requests,
                       "requests of a refresh of one GET per object and team membership / "
                       "requests of the plan")  # fmt: skip
    floor = 4 * math.ceil(n / 100) + math.ceil(PEOPLE / 100) + 1
    report.target(f"plan requests <= {floor + 10}", plan_requests <= floor + 10)
    report.target("plan under 5 s wall (median)", full.wall < 5)
    if paced:
        report.target(f"apply >= 90% of the {RATE}/min limit", rate >= 0.9 * RATE)
    report.target("apply without 429s", applied.facts["429s"] == 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
