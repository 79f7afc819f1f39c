"""make demo: the main job on the example policies, end to end, against the local sandbox.

Validates the policies, prints what they promise, starts the sandbox (emulated
PagerDuty and Jira, seeded with the company's accounts), then plans, applies and
checks for drift the way CI would on a merge to main, and measures the seeded tickets
against the SLA tiers: their clocks, one timeline, and what enforcement would do. It
ends by writing last month's service review for one customer and the support site under
build/demo/, runs the P1 playbook as a drill (killed with SIGKILL halfway, resumed) and
writes its postmortem there too, and prints their paths. On a year of seeded tickets and
13 weeks of pages it shows capacity: where the people on shift cannot keep the promises,
and how much paging takes of the engineers on call.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_drill import incident_drill  # noqa: E402

# What the demo leaves behind to open in a browser (make clean removes it).
OUTPUT = Path(__file__).resolve().parents[1] / "build" / "demo"


def step(
    title: str, *args: str, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)
) -> None:
    print(f"\n\033[1m== {title}\033[0m\n$ opskit {' '.join(args)}", flush=True)
    done = subprocess.run([sys.executable, "-m", "opskit", *args], cwd=REPO, env=env, check=False)
    if done.returncode not in ok:
        raise SystemExit(f"demo: 'opskit {' '.join(args)}' exited {done.returncode}")


def start_sandbox(folder: Path) -> tuple[subprocess.Popen[str], str, str]:
    command = [sys.executable, "-m", "opskit", "sandbox", "serve", "--port", "0", "--seed", "demo", "--reset",
               "--db", str(folder / "sandbox.db")]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url = ca = ""
    for line in process.stdout:  # the server says where it listens once it is ready
        if match := re.match(r"opskit sandbox listening on (\S+)", line):
            url = match.group(1)
        if match := re.match(r"CA certificate: (\S+)", line):
            ca = match.group(1)
        if line.startswith("database:"):
            break
    if not url:
        process.kill()
        raise SystemExit("demo: the sandbox did not start")
    return process, url, ca


def prepare_jira(url: str, ca: str) -> None:
    """What a Jira admin sets up once, before opskit (opskit/sandbox/demo_site.py)."""
    from jira import JIRA

    from opskit.sandbox.demo_site import prepare_jira as prepare

    prepare(JIRA(url, basic_auth=("anna@northwind.example", "demo-token"), options={"verify": ca}))


def release_incident_history(url: str, ca: str) -> None:
    """The seed's past PagerDuty incidents, for the services apply has just made."""
    import requests

    answer = requests.post(f"{url}/_sandbox/pagerduty/seed-history", verify=ca, timeout=30)
    answer.raise_for_status()
    print(f"\n(sandbox: {len(answer.json()['ids'])} past incidents on the new services)")


def seed_history(url: str, ca: str, route: str, what: str) -> None:
    """A longer history for capacity: a year of tickets, 13 weeks of pages."""
    import requests

    answer = requests.post(f"{url}/_sandbox/{route}", verify=ca, timeout=120)
    answer.raise_for_status()
    found = answer.json()
    count = found["loaded"] if "loaded" in found else len(found["ids"])
    print(f"\n(sandbox: {count} {what})")


def main() -> int:
    step("Validate every policy: YAML, schemas, references, deliverability", "validate")
    step("What the policies promise", "summary")
    with tempfile.TemporaryDirectory(prefix="opskit-demo-") as folder:
        process, url, ca = start_sandbox(Path(folder))
        print(f"\nSandbox (emulated PagerDuty and Jira) at {url}")
        env = {
            **os.environ,
            "PAGERDUTY_URL": url,
            "PAGERDUTY_API_KEY": "demo-token",
            "OPSKIT_CA_BUNDLE": ca,
            "JIRA_URL": url,
            "JIRA_EMAIL": "anna@northwind.example",
            "JIRA_API_TOKEN": "demo-token",
        }
        try:
            step(
                "Plan: what PagerDuty would need to change",
                "plan",
                "--target",
                "pagerduty",
                env=env,
            )
            step(
                "Apply it (CI does this on merge to main)",
                "apply",
                "--target",
                "pagerduty",
                "--yes",
                env=env,
            )
            step(
                "Drift check: nothing changed by hand, so exit 0",
                "drift",
                "--target",
                "pagerduty",
                env=env,
            )
            release_incident_history(url, ca)
            prepare_jira(url, ca)
            step(
                "Jira: the customers' organisations were made by hand; adopt them by name",
                "jira", "adopt", "--yes", env=env,
            )  # fmt: skip
            step("Plan: what Jira would need to change", "plan", "--target", "jira", env=env)
            step("Apply it", "apply", "--target", "jira", "--yes", env=env)
            for _ in range(2):
                step(
                    "Plan again: nothing left to change on either target",
                    "plan", "--detailed-exitcode", env=env,
                )  # fmt: skip
            step(
                "JSM's SLA goals have no API: the checklist an admin follows",
                "jira", "sla-config", "--out", str(Path(folder) / "sla-checklist.md"), env=env,
            )  # fmt: skip
            step(
                "Drift check on Jira: objects match; the sandbox's hand-set SLA goals do not "
                "(exit 1 with the differences)",
                "drift", "--target", "jira", env=env, ok=(1,),
            )  # fmt: skip
            sla_env = {**env, "OPSKIT_CACHE_DIR": str(Path(folder) / "cache")}
            step(
                "SLA clocks on one customer's tickets, most urgent first (opskit computes them "
                "on the tiers' calendars)",
                "sla", "status", "--customer", "harbor-dental", env=sla_env,
            )  # fmt: skip
            step(
                "One ticket's timeline: why its resolution clock is breached",
                "sla", "show", "SUP-312", env=sla_env,
            )  # fmt: skip
            step(
                "What enforcement would do about them, as the tiers say (exit 1: actions to do)",
                "sla", "enforce", "--dry-run", "--customer", "harbor-dental", env=sla_env,
                ok=(0, 1),
            )  # fmt: skip
            last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
            step(
                "Last month's SLA figures for the customer, against the month before (Markdown)",
                "sla", "report", "--period", last_month, "--customer", "harbor-dental",
                "--format", "md", env=sla_env,
            )  # fmt: skip
            review = OUTPUT / f"review-{last_month}-harbor-dental.html"
            step(
                "The same review as a page to send: satisfaction, availability from PagerDuty, "
                "a year's history, warning signs",
                "sla", "report", "--period", last_month, "--customer", "harbor-dental",
                "--format", "html", "--output", str(review), env=sla_env,
            )  # fmt: skip
            step(
                "The published support policy and the internal handbook, from the policies",
                "docs", "build", "--out", str(OUTPUT / "site"), env=sla_env,
            )  # fmt: skip
            seed_history(url, ca, "jira/seed-year", "resolved tickets over the past year")
            step(
                "Capacity: can the people on shift keep the promises, per hour of the week, "
                "for the tickets that really came (exit 1: some cannot)",
                "capacity", env=sla_env, ok=(0, 1),
            )  # fmt: skip
            capacity = OUTPUT / "capacity.html"
            step(
                "The same as a page, with a heatmap of the week",
                "capacity", "--format", "html", "--output", str(capacity), env=sla_env, ok=(0, 1),
            )  # fmt: skip
            seed_history(url, ca, "pagerduty/seed-pages", "pages over the past 13 weeks")
            step(
                "On-call load: pages per shift, nights, project time left, against the "
                "rotations' limits (exit 1: a limit broken)",
                "capacity", "oncall", env=sla_env, ok=(0, 1),
            )  # fmt: skip
            drill = incident_drill(step, env, Path(folder), OUTPUT, REPO, url, ca)
            print(f"\nService review: {review}\nSupport site:   {OUTPUT / 'site' / 'index.html'}")
            print(f"Capacity:       {capacity}")
            print(f"Postmortem:     {drill[0]}\n                {drill[1]}")
        finally:
            process.terminate()
            process.wait(timeout=20)
    print(
        "\nDone: the policies are valid, deliverable, PagerDuty and Jira match them, and the "
        "tickets are measured against the tiers."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
