"""Benchmark: Jira sync of 300 components, 50 tier options and 2,000 organisations.

Run: .venv/bin/python benchmarks/jira_sync.py [--services 150] [--tiers 50] [--orgs 2000] [--runs 1]
(`make bench` runs it with the other benchmarks.)

Each service becomes a component in two projects. `opskit plan` and `opskit apply` run as
commands, measured whole, against the sandbox in its own process (the `jira` client, real
HTTP). Prints requests, wall and CPU time, 429s, and the requests per object. Every
answer comes `--latency-ms` (150) late, as across the internet. Jira Cloud publishes no
fixed rate, so opskit paces itself at 30 requests a second: at that latency one request
at a time would reach about 6 a second, so the apply's requests a second say how far
writes side by side (and plan reads side by side) get to the pace; CPU time says how
much work opskit does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, Figure, Report, environment, installed
from served import Server, measured_against

from opskit.sandbox import Sandbox

PEOPLE = 6
RATE = 60_000  # the sandbox's limit a minute: opskit's own pace is the bound here
PACE = 30.0  # requests a second opskit starts Jira at (opskit.providers.jira.client.connect)


def documents(services: int, tiers: int, orgs: int) -> list[dict[str, Any]]:
    people = [f"p{i}" for i in range(PEOPLE)]
    docs: list[dict[str, Any]] = [
        {"kind": "Priority", "name": "P1", "level": 1, "title": "Critical", "urgency": "high"},
        {"kind": "Team", "name": "team", "members": people, "leads": [people[0]]},
        {"kind": "Rotation", "name": "rot", "timezone": "UTC", "start": "2026-01-05",
         "layers": [{"name": "main", "members": people, "shift": "1w"}]},
        {"kind": "EscalationLadder", "name": "ladder", "repeat": 1, "steps": [
            {"notify": [{"rotation": "rot"}], "escalate_after": "5m"},
            # two people, so that whoever is on call, escalating reaches someone new
            {"notify": [{"person": people[1]}, {"person": people[2]}], "escalate_after": "10m"}]},
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


def set_up(sb: Sandbox) -> None:
    """The site as an admin left it: people, two projects, the tier field (not measured)."""
    sys.path.insert(0, str(REPO))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=150)
    parser.add_argument("--tiers", type=int, default=50)
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1, help="runs of each plan")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--latency-ms", type=int, default=150,
                        help="added to every answer by the sandbox: a real round trip")  # fmt: skip
    args = parser.parse_args(argv)
    report = Report("jira_sync", argv)
    with tempfile.TemporaryDirectory(prefix="opskit-bench-") as folder:
        work = Path(folder)
        (work / "policies").mkdir()
        (work / "opskit.yaml").write_text(
            "workspace: bench\npolicies: [policies]\n"
            "targets: {jira: {projects: [SUP, OPS], service_desk: SUP}}\n"
        )
        docs = documents(args.services, args.tiers, args.orgs)
        (work / "policies" / "all.yaml").write_text(yaml.safe_dump_all(docs, sort_keys=False))
        db = work / "sandbox.db"
        with Sandbox(db=db, reset=True, jira_rate_per_minute=RATE) as sb:
            set_up(sb)  # in this process, not measured; the state stays in the database
        server = Server(db, "--jira-rate", str(RATE), "--latency-ms", str(args.latency_ms),
                        reset=False)  # fmt: skip
        try:
            report.say(f"every answer {args.latency_ms} ms late, as across the internet")
            run(report, server, work, args)
        finally:
            server.stop()
    report.save(args.json)
    return 0


def run(report: Report, server: Server, work: Path, args: argparse.Namespace) -> None:
    components = 2 * args.services
    objects = components + args.tiers + args.orgs + 6  # + five priorities and the scheme
    report.say(f"{components:,} components, {args.tiers} tier options, {args.orgs:,} "
               f"organisations; sandbox in its own process")  # fmt: skip
    env = environment(JIRA_URL=server.url, JIRA_EMAIL="bench@bench.example",
                      JIRA_API_TOKEN="bench", OPSKIT_CA_BUNDLE=server.ca)  # fmt: skip
    opskit = [installed("opskit")]

    def measured(
        name: str, args: list[str], times: int, per_object: bool = True
    ) -> tuple[Figure, Counter[str]]:
        figure, routes = measured_against(server, name, [*opskit, *args], times, cwd=work, env=env)
        if per_object:
            requests = figure.facts["requests"]
            last = requests[-1] if isinstance(requests, list) else requests
            figure.facts["requests_per_object"] = round(last / objects, 2)
        return report.figure(figure), routes

    measured("plan, empty site", ["plan", "--target", "jira"], args.runs, per_object=False)
    applied, _ = measured("apply", ["apply", "--target", "jira", "--yes"], 1)
    full, routes = measured("plan after apply (full site)",
                            ["plan", "--target", "jira", "--detailed-exitcode"], args.runs)  # fmt: skip
    report.say("  requests of the plan after apply, by route:")
    for route, count in routes.most_common():
        report.say(f"    {count:>6,}  {route}")
    for figure in (applied, full):
        requests = figure.facts["requests"]
        last = requests[-1] if isinstance(requests, list) else requests
        pace = last / figure.wall
        figure.facts["requests_per_second"] = round(pace, 1)
        figure.facts["share_of_pace"] = f"{pace / PACE:.0%}"
        report.say(f"  {figure.name}: {pace:.1f} requests a second, {pace / PACE:.0%} of "
                   f"opskit's {PACE:g} a second")  # fmt: skip
    report.target(f"apply >= 90% of opskit's {PACE:g}/s pace", applied.facts["requests"] / applied.wall >= 0.9 * PACE)
    report.target("apply without 429s", applied.facts["429s"] == 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
