"""Random hostile repositories: every command answers with a finding or a usage error that
names what to fix, never a traceback or an internal error, and in bounded time."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.cli import cli

VALID = {
    "people.yaml": (
        "kind: Person\nname: ada\nemail: ada@example.org\ntimezone: Europe/London\n---\n"
        "kind: Person\nname: grace\nemail: grace@example.org\ntimezone: America/New_York\n"
    ),
    "team.yaml": "kind: Team\nname: ops\nmembers: [ada, grace]\nleads: [ada]\n",
    "tiers.yaml": (
        "kind: Priority\nname: P1\nlevel: 1\ntitle: Critical\nurgency: high\n---\n"
        "kind: SlaTier\nname: Gold\ncalendar: 24x7\n"
        "targets:\n  P1: {first_response: 15m, resolution: 4h}\n"
    ),
    "oncall.yaml": (
        'kind: Rotation\nname: primary\ntimezone: UTC\nstart: "2026-01-05"\n'
        "layers:\n  - members: [ada, grace]\n    shift: 1w\n---\n"
        "kind: EscalationLadder\nname: main\nsteps:\n"
        "  - notify: [{rotation: primary}]\n    escalate_after: 5m\n"
        "  - notify: [{person: ada}, {person: grace}]\n    escalate_after: 10m\n---\n"
        "kind: Service\nname: api\nteam: ops\nladder: main\ntier: Gold\n"
    ),
}

NASTY_TEXT = st.sampled_from([
    "\x1b[2J", "\n::error::forged", "\r", "\u2028", "\x00", "\u202e", "a" * 70_000,
    "9" * 5_000, "[" * 3_000, "&a [*a, *a, *a]", "!!python/object:os.system", "\t",
    "..", "/etc/passwd", "\ufeff", "0001-01-01", "9999-12-31T23:59", "1s", "999999999w",
])  # fmt: skip


@st.composite
def hostile_repository(draw: st.DrawFn) -> dict[str, object]:
    files = dict(VALID)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        text = files[name]
        at = draw(st.integers(0, len(text)))
        files[name] = text[:at] + draw(NASTY_TEXT | st.text(max_size=40)) + text[at:]
    links = draw(st.lists(st.sampled_from(["out", "loop", "fifo", "dir.yaml", "dangling"]),
                          max_size=2, unique=True))  # fmt: skip
    extra = draw(st.sampled_from(["", "/", "..", "/proc", "policies/../.."]))
    return {"files": files, "links": links, "extra": extra}


@contextlib.contextmanager
def built(spec: dict[str, object]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        outside = Path(folder) / "secret.yaml"
        outside.write_text("ghp_outside_token\n")
        root = Path(folder) / "repo"
        policies = root / "policies"
        policies.mkdir(parents=True)
        entries = ["policies"] + ([str(spec["extra"])] if spec["extra"] else [])
        (root / "opskit.yaml").write_text(
            f"workspace: t\npolicies: {entries!r}\nvalidate: {{horizon: 2w}}\n"
        )
        files = spec["files"]
        assert isinstance(files, dict)
        for name, text in files.items():
            (policies / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        links = spec["links"]
        assert isinstance(links, list)
        for link in links:
            if link == "out":
                (policies / "out.yaml").symlink_to(outside)
            elif link == "loop":
                (policies / "loop").symlink_to(policies)
            elif link == "fifo":
                os.mkfifo(policies / "fifo.yaml")
            elif link == "dir.yaml":
                (policies / "dir.yaml").mkdir()
            else:
                (policies / "gone.yaml").symlink_to("nowhere.yaml")
        # a repository with one commit, so that `oncall diff` has a base to compare with
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
        subprocess.run([*git, "init", "-q"], cwd=root, check=True)
        subprocess.run([*git, "add", "-A"], cwd=root, check=False)
        subprocess.run([*git, "commit", "-qm", "base", "--allow-empty"], cwd=root, check=True)
        before = Path.cwd()
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(before)


COMMANDS = [
    ["validate"], ["test"], ["summary"], ["plan", "--target", "pagerduty"],
    ["oncall", "who", "--at", "2026-12-26T02:00Z"], ["oncall", "gaps"], ["oncall", "fairness"],
    ["oncall", "show", "--from", "2026-12-21", "--to", "2026-12-28"],
    ["oncall", "export-ical", "--out", "ical"], ["oncall", "diff", "HEAD"],
    ["test", "--format", "junit"],
]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=hostile_repository())
def test_every_command_answers_hostile_repositories_cleanly(spec: dict[str, object]) -> None:
    # plan reads a PagerDuty that is not there: the policies are checked meanwhile
    runner = CliRunner(env={
        "PAGERDUTY_API_KEY": "k", "PAGERDUTY_URL": "https://127.0.0.1:9",
        "OPSKIT_RETRY_BASE_SECONDS": "0", "NO_COLOR": "1",
    })  # fmt: skip
    with built(spec):
        for argv in COMMANDS:
            result = runner.invoke(cli, ["--no-color", *argv])
            where = f"opskit {' '.join(argv)}: {result.output[-600:]!r}"
            allowed = (1, 2, 3) if argv[0] == "plan" else (0, 1, 2)  # 3: no PagerDuty there
            assert result.exit_code in allowed, where
            assert result.exception is None or isinstance(result.exception, SystemExit), where
            assert "Traceback" not in result.output and "internal error" not in result.output
            assert "ghp_outside_token" not in result.output
            if result.exit_code == 1 and argv[0] in ("validate", "test", "summary"):
                assert "opskit.yaml" in result.output or "policies/" in result.output, where
            if "junit" in argv and result.exit_code in (0, 1):
                ElementTree.fromstring(result.stdout)  # well-formed XML, whatever the input
            # text output never carries a line GitHub would run as a workflow command
            assert not any(line.startswith("::") for line in result.output.splitlines()), where
