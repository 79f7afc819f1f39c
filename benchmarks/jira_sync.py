"""Benchmark: Jira sync of 300 components, 50 tier options and 2,000 organisations.

Run: .venv/bin/python benchmarks/jira_sync.py [--services 150] [--tiers 50] [--orgs 2000]

Each service becomes a component in two projects. Prints, for plan and apply against
the local sandbox (real `jira` client, real HTTP): requests, wall time, 429s, and the
ratio to one request per object.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from opskit.cli import cli
from opskit.sandbox import Sandbox

PEOPLE = 6


def documents(services: int, tiers: int, orgs: int) -> list[dict[str, Any]]:
    people = [f"p{i}" for i in range(PEOPLE)]
    docs: list[dict[str, Any]] = [
        {"kind": "Priority", "name": "P1", "level": 1, "title": "Critical", "urgency": "high"},
        {"kind": "Team", "name": "team", "members": people, "leads": [people[0]]},
        {"kind": "Rotation", "name": "rot", "timezone": "UTC", "start": "2026-01-05",
         "layers": [{"name": "main", "members": people, "shift": "1w"}]},
        {"kind": "EscalationLadder", "name": "ladder", "repeat": 1, "steps": [
            {"notify": [{"rotation": "rot"}], "escalate_after": "5m"},
            {"notify": [{"person": people[1]}], "escalate_after": "10m"}]},
    ]  # fmt: skip
    docs += [
        {"kind": "Person", "name": p, "email": f"{p}@bench.example", "timezone": "UTC"}
        for p in people
    ]
    docs += [
        {"kind": "SlaTier", "name": f"tier{t}", "calendar": "24x7",
         "targets": {"P1": {"first_response": "15m", "resolution": "4h"}}}
        for t in range(tiers)
    ]  # fmt: skip
    docs += [
        {"kind": "Service", "name": f"svc{i}", "team": "team", "ladder": "ladder", "tier": "tier0",
         "jira_component": f"Component {i}", "description": f"Service {i}"}
        for i in range(services)
    ]  # fmt: skip
    docs += [
        {"kind": "Customer", "name": f"c{i}", "display_name": f"Customer {i}", "tier": f"tier{i % tiers}",
         "contract": {"id": f"NW-{i}"}}
        for i in range(orgs)
    ]  # fmt: skip
    return docs


def measure(sb: Sandbox, *args: str) -> dict[str, Any]:
    before = len(sb.log.snapshot())
    start = time.perf_counter()
    result = CliRunner().invoke(cli, list(args))
    wall = time.perf_counter() - start
    if result.exit_code not in (0, 1):
        print(result.output[-3000:])
        raise SystemExit(f"{args[0]} failed with exit {result.exit_code}")
    exchanges = sb.log.snapshot()[before:]
    return {
        "wall": wall,
        "requests": len(exchanges),
        "429": sum(1 for e in exchanges if e.status == 429),
        "routes": Counter(f"{e.method} {e.route}" for e in exchanges),
    }


def set_up(sb: Sandbox) -> None:
    """The site as an admin left it: people, two projects, the tier field (not measured)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.providers.test_jira_site import add_user
    from tests.sandbox.fixtures import jira_client_for

    for i in range(PEOPLE):
        add_user(sb, f"p{i}@bench.example", f"P {i}")
    admin = jira_client_for(sb)
    for key, kind in (("SUP", "service_desk"), ("OPS", "software")):
        admin._session.post(
            admin._get_url("project"), json={"key": key, "name": key, "projectTypeKey": kind}
        )
    field = admin._session.post(admin._get_url("field"), json={"name": "Support tier"}).json()
    context = {"name": "Default", "projectIds": [], "issueTypeIds": []}
    admin._session.post(admin._get_url(f"field/{field['id']}/context"), json=context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=150)
    parser.add_argument("--tiers", type=int, default=50)
    parser.add_argument("--orgs", type=int, default=2000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="opskit-bench-"))
    (work / "policies").mkdir()
    (work / "opskit.yaml").write_text(
        "workspace: bench\npolicies: [policies]\n"
        "targets: {jira: {projects: [SUP, OPS], service_desk: SUP}}\n"
    )
    docs = documents(args.services, args.tiers, args.orgs)
    (work / "policies" / "all.yaml").write_text(yaml.safe_dump_all(docs, sort_keys=False))
    os.chdir(work)
    with Sandbox(db=work / "sandbox.db", jira_rate_per_minute=60_000) as sb:
        set_up(sb)
        os.environ.update(JIRA_URL=sb.url, JIRA_EMAIL="bench@bench.example", JIRA_API_TOKEN="bench",
                          OPSKIT_CA_BUNDLE=str(sb.ca_path))  # fmt: skip
        empty = measure(sb, "plan", "--target", "jira")
        applied = measure(sb, "apply", "--target", "jira", "--yes")
        full = measure(sb, "plan", "--target", "jira", "--detailed-exitcode")
    shutil.rmtree(work, ignore_errors=True)

    components = 2 * args.services
    objects = components + args.tiers + args.orgs + 6  # + five priorities and the scheme
    print(f"{components:,} components, {args.tiers} tier options, {args.orgs:,} organisations")
    for label, run in (("plan, empty site", empty), ("apply", applied), ("plan after apply", full)):
        ratio = run["requests"] / objects
        print(f"{label:<17} {run['requests']:>6,} requests  {run['wall']:7.2f} s  "
              f"{run['429']} x 429  {ratio:.2f} requests per object")  # fmt: skip
    print("requests of the plan after apply, by route:")
    for route, count in full["routes"].most_common():
        print(f"  {count:>6,}  {route}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
