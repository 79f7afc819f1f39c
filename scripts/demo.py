"""make demo: the main job on the example policies, end to end, against the local sandbox.

Validates the policies, prints what they promise, starts the sandbox (emulated
PagerDuty and Jira, seeded with the company's accounts), then plans, applies and
checks for drift the way CI would on a merge to main.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


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
        finally:
            process.terminate()
            process.wait(timeout=20)
    print("\nDone: the policies are valid, deliverable, and PagerDuty matches them.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
