"""Benchmark: PagerDuty sync of N services with their schedules and escalation policies.

Run: .venv/bin/python benchmarks/pagerduty_sync.py [--services 1000]

Prints, for plan and apply run as commands against the sandbox in its own process
(real client, real HTTP, PagerDuty's rate limit of 960 requests a minute): requests,
wall time, 429s, and the requests a refresh of one GET per object would need.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2
import yaml

RATE = 960
PEOPLE = 60


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
        for t in range(10)
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
            {"kind": "Service", "name": f"svc{i}", "team": f"team{i % 10}", "ladder": f"ladder{i}", "tier": "premium"},
        ]  # fmt: skip
    return docs


class Server:
    """The sandbox as its own process, as a real service would be: its work does not
    share opskit's interpreter."""

    def __init__(self, folder: Path) -> None:
        command = [sys.executable, "-m", "opskit", "sandbox", "serve", "--port", "0", "--reset",
                   "--db", str(folder / "sandbox.db"), "--pd-rate", str(RATE)]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        for line in self.process.stdout:  # it says where it listens once it is ready
            if line.startswith("opskit sandbox listening on "):
                self.url = line.split()[-1]
            if line.startswith("CA certificate: "):
                self.ca = line.split(": ", 1)[1].strip()
            if line.startswith("database:"):
                break
        self.http = httpx2.Client(
            base_url=self.url, verify=ssl.create_default_context(cafile=self.ca)
        )

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.http.request(method, f"/_sandbox/{path}", **kwargs)
        return answer.json() if answer.content else None

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(server: Server, env: dict[str, str], *args: str) -> dict[str, Any]:
    server.admin("DELETE", "requests")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "opskit", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        print(done.stdout[-3000:], done.stderr[-3000:])
        raise SystemExit(f"{args[0]} failed with exit {done.returncode}")
    exchanges = server.admin("GET", "requests")["requests"]
    routes = Counter(f"{e['method']} {e['route']}" for e in exchanges)
    return {
        "wall": wall,
        "requests": len(exchanges),
        "429": sum(1 for e in exchanges if e["status"] == 429),
        "routes": routes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=1000)
    args = parser.parse_args()
    n = args.services
    work = Path(tempfile.mkdtemp(prefix="opskit-bench-"))
    (work / "policies").mkdir()
    (work / "opskit.yaml").write_text(
        "workspace: bench\npolicies: [policies]\ntargets: {pagerduty: {}}\n"
    )
    (work / "policies" / "all.yaml").write_text(yaml.safe_dump_all(documents(n), sort_keys=False))
    os.chdir(work)
    server = Server(work)
    try:
        # The account's users exist already (set-up, not measured): made fast, then the
        # limit goes back to PagerDuty's with fresh buckets.
        server.admin("PUT", "ratelimits", json={"pagerduty_per_minute": 100_000})
        headers = {"Authorization": "Token token=setup", "From": "setup@bench.example"}
        for i in range(PEOPLE):
            user = {
                "type": "user",
                "name": f"p{i}",
                "email": f"p{i}@bench.example",
                "time_zone": "UTC",
            }
            server.http.post("/users", json={"user": user}, headers=headers).raise_for_status()
        server.admin("PUT", "ratelimits", json={"pagerduty_per_minute": RATE})
        env = {
            **os.environ,
            "PAGERDUTY_API_KEY": "bench",
            "PAGERDUTY_URL": server.url,
            "OPSKIT_CA_BUNDLE": server.ca,
        }
        empty = measure(server, env, "plan", "--target", "pagerduty")
        applied = measure(server, env, "apply", "--target", "pagerduty", "--yes")
        full = measure(server, env, "plan", "--target", "pagerduty", "--detailed-exitcode")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    objects = 3 * n + 10 + PEOPLE  # schedules, policies, services, teams, users
    per_type = {route: count for route, count in full["routes"].items() if route.startswith("GET")}
    floor = 4 * math.ceil(n / 100) + math.ceil(PEOPLE / 100) + 1
    print(
        f"{n:,} services, {n:,} schedules, {n:,} escalation policies, 10 teams, {PEOPLE} users; whole CLI runs"
    )
    print(f"plan on an empty account: {empty['requests']:>6,} requests  {empty['wall']:6.2f} s")
    rate = applied["requests"] / applied["wall"] * 60
    print(f"apply:                    {applied['requests']:>6,} requests  {applied['wall']:6.2f} s  "
          f"{rate:,.0f} req/min = {rate / RATE:.0%} of the {RATE}/min limit; 429s: {applied['429']}")  # fmt: skip
    print(f"plan after apply:         {full['requests']:>6,} requests  {full['wall']:6.2f} s  "
          f"(one GET per object would need {objects + 10:,}: {(objects + 10) / full['requests']:.1f}x as many)")  # fmt: skip
    print("  reads by route: " + ", ".join(f"{k} {v}" for k, v in sorted(per_type.items())))
    print(f"targets: plan requests <= {floor + 10} ({'met' if full['requests'] <= floor + 10 else 'MISSED'}), "
          f"plan under 5 s ({'met' if full['wall'] < 5 else 'MISSED'}), "
          f"apply >= 90% of the limit ({'met' if rate >= 0.9 * RATE else 'MISSED'}), "
          f"no 429s ({'met' if applied['429'] == 0 else 'MISSED'})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
