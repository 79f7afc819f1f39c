"""opskit init: the scaffold validates, tests and plans clean, and never clobbers files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from opskit import __version__
from opskit.cli.app import cli
from opskit.sandbox import Sandbox
from opskit.scaffold import SETTINGS, TEMPLATES, schema_files
from tests.ci.test_actionlint import actionlint
from tests.providers.test_pagerduty_sync import phone
from tests.sandbox.fixtures import pd_client_for

REPO = Path(__file__).resolve().parents[2]
YAML_FILES = [path for path in TEMPLATES if path.endswith((".yaml", ".yml"))]
HOSTILE_NAME = 'O\'Brien: "Zoë" # not a comment, [x], {y}, &z *w !tag %p @q `r` |'


def invoke(*args: str, input: str | None = None, cwd: Path | None = None) -> Result:
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, list(args), input=input)
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, list(args), input=input)
    finally:
        os.chdir(old)


def scaffold(folder: Path, *options: str) -> Result:
    result = invoke("init", str(folder), "--non-interactive", *options)
    assert result.exit_code == 0, result.output
    return result


def documents(folder: Path) -> dict[str, list[Any]]:
    return {
        path: list(yaml.safe_load_all((folder / path).read_text(encoding="utf-8")))
        for path in YAML_FILES
    }


def test_scaffold_validates_strict_and_its_policy_test_passes(tmp_path: Path) -> None:
    """One real process: `python -m opskit init`, then validate and test in the new folder."""
    folder = tmp_path / "acme-support"
    made = subprocess.run(
        [sys.executable, "-m", "opskit", "init", str(folder), "--non-interactive",
         "--timezone", "Europe/Berlin", "--country", "DE", "--jira-project", "OPS"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    assert "written" in made.stdout
    validated = invoke("validate", "--strict", "--no-cache", cwd=folder)
    assert validated.exit_code == 0, validated.output
    assert "no problems" in validated.output
    tested = invoke("test", "--strict", cwd=folder)
    assert tested.exit_code == 0, tested.output
    assert "1 passed, 0 failed" in tested.output

    config = yaml.safe_load((folder / "opskit.yaml").read_text())
    assert config["workspace"] == "acme-support"  # the folder's name by default
    assert config["policies"] == ["policies", "playbooks"]
    assert config["validate"]["strict"] is True
    assert config["targets"]["jira"] == {
        "enabled": True,
        "projects": ["OPS"],
        "service_desk": "OPS",
    }
    [calendar] = documents(folder)["policies/calendars.yaml"]
    assert calendar["timezone"] == "Europe/Berlin" and calendar["holidays"] == {"country": "DE"}


def test_one_document_of_each_kind(tmp_path: Path) -> None:
    scaffold(tmp_path)
    kinds: dict[str, list[str]] = {}
    for path, docs in documents(tmp_path).items():
        for doc in docs:
            if path.startswith(("policies/", "playbooks/")):
                kinds.setdefault(doc["kind"], []).append(doc["name"])
    assert kinds == {
        "Calendar": ["office"],
        "Person": ["jordan-lead", "robin"],
        "Team": ["support"],
        "Priority": ["P1", "P2", "P3", "P4"],
        "SlaTier": ["Standard"],
        "Rotation": ["primary"],
        "EscalationLadder": ["support"],
        "Service": ["web-app"],
        "Customer": ["example-customer"],
        "Playbook": ["web-app-outage"],
        "PolicyTest": ["p1-on-a-working-morning"],
    }
    assert (tmp_path / "policies" / "tests" / "p1.yaml").is_file()
    assert (tmp_path / "playbooks" / "web-app-outage.yaml").is_file()


def test_schemas_and_editor_settings(tmp_path: Path) -> None:
    scaffold(tmp_path)
    # the same files as `opskit schemas export .opskit/schemas` writes
    exported = tmp_path / "exported"
    result = invoke("schemas", "export", str(exported))
    assert result.exit_code == 0, result.output
    for relative, content in schema_files().items():
        name = Path(relative).name
        assert (tmp_path / relative).read_bytes() == content == (exported / name).read_bytes()
    settings = json.loads((tmp_path / SETTINGS).read_text())["yaml.schemas"]
    assert settings["./.opskit/schemas/opskit.schema.json"] == "opskit.yaml"
    globs = settings["./.opskit/schemas/policy.schema.json"]
    for schema in settings:
        assert (tmp_path / schema).is_file()
    for path in YAML_FILES:  # every policy document is mapped (fnmatch: '*' crosses '/')
        if path.startswith(("policies/", "playbooks/")):
            assert any(Path(path).match(glob.replace("**/", "")) or Path(path).match(glob)
                       for glob in globs), path  # fmt: skip
    for path in YAML_FILES:  # modelines point at the exported schemas too
        first = (tmp_path / path).read_text().splitlines()[0]
        if first.startswith("# yaml-language-server: $schema="):
            target = first.partition("$schema=")[2]
            assert (tmp_path / path).parent.joinpath(target).resolve().is_file(), path


def test_interactive_answers_and_a_bad_time_zone_asked_again(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    answers = "\n".join([
        "northwind-ops",      # workspace
        "Europe/Berln",       # a typo: asked again
        "America/New_York",
        "us",                 # country, upper-cased
        "hd",                 # Jira key, upper-cased
        "Ana María: \"the lead\"",
        "ana@example.org",
    ]) + "\n"  # fmt: skip
    result = invoke("init", str(folder), input=answers)
    assert result.exit_code == 0, result.output
    assert result.output.count("Time zone (IANA)") == 2
    assert "is not an IANA time zone" in result.output
    docs = documents(folder)
    assert yaml.safe_load((folder / "opskit.yaml").read_text())["workspace"] == "northwind-ops"
    assert docs["policies/calendars.yaml"][0]["timezone"] == "America/New_York"
    assert docs["policies/calendars.yaml"][0]["holidays"]["country"] == "US"
    lead = docs["policies/people.yaml"][0]
    assert lead["full_name"] == 'Ana María: "the lead"' and lead["email"] == "ana@example.org"
    assert lead["name"] == "ana-maria-the-lead"
    assert docs["playbooks/web-app-outage.yaml"][0]["steps"][1]["project"] == "HD"
    assert invoke("validate", "--strict", cwd=folder).exit_code == 0


def test_defaults_are_offered_when_the_answers_are_empty(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    result = invoke("init", str(folder), input="\n" * 6)
    assert result.exit_code == 0, result.output
    assert "[UTC]" in result.output and "[SUP]" in result.output
    assert invoke("validate", "--strict", cwd=folder).exit_code == 0


@pytest.mark.parametrize(
    "name",
    [HOSTILE_NAME, "- just: a list", "---", "null", "yes", "17:30", "2026-01-01", "名前 👩‍💻"],
)
def test_hostile_names_stay_values(tmp_path: Path, name: str) -> None:
    scaffold(tmp_path, "--name", name, "--email", "odd@example.org")
    lead = documents(tmp_path)["policies/people.yaml"][0]
    assert lead["full_name"] == name
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", lead["name"])
    validated = invoke("validate", "--strict", "--no-cache", cwd=tmp_path)
    assert validated.exit_code == 0, validated.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--name", "two\nlines", "control character"),
        ("--name", "tab\there", "control character"),
        ("--email", "not an email", "not an email address"),
        ("--workspace", "Acme Corp", "not a workspace name"),
        ("--timezone", "Mars/Olympus", "not an IANA time zone"),
        ("--timezone", "../../etc/passwd", "not an IANA time zone"),
        ("--country", "XX", "not a country"),
        ("--jira-project", "a:b", "not a Jira project key"),
    ],
)
def test_bad_answers_are_refused_in_one_line(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    result = invoke("init", str(tmp_path / "repo"), "--non-interactive", option, value)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "repo").exists()


def test_a_newline_answer_interactively_is_asked_again(tmp_path: Path) -> None:
    # a pasted name with a tab: refused, then a good one
    answers = "\n\n\n\nbad\tname\nGood Name\n\n"
    result = invoke("init", str(tmp_path / "repo"), input=answers)
    assert result.exit_code == 0, result.output
    assert "control character" in result.output
    assert documents(tmp_path / "repo")["policies/people.yaml"][0]["full_name"] == "Good Name"


def test_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "people.yaml").write_text("mine\n")
    (tmp_path / "opskit.yaml").write_text("mine\n")
    (tmp_path / "notes.txt").write_text("untouched\n")
    refused = invoke("init", str(tmp_path), "--non-interactive")
    assert refused.exit_code == 2
    [line] = refused.output.strip().splitlines()
    assert "opskit.yaml" in line and "policies/people.yaml" in line and "--force" in line
    assert (tmp_path / "opskit.yaml").read_text() == "mine\n"
    assert not (tmp_path / "policies" / "teams.yaml").exists()  # nothing at all was written

    forced = invoke("init", str(tmp_path), "--non-interactive", "--force")
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "opskit.yaml").read_text() != "mine\n"
    assert (tmp_path / "notes.txt").read_text() == "untouched\n"
    assert invoke("validate", "--strict", cwd=tmp_path).exit_code == 0


def test_identical_schemas_do_not_count_as_existing(tmp_path: Path) -> None:
    assert invoke("schemas", "export", str(tmp_path / ".opskit" / "schemas")).exit_code == 0
    scaffold(tmp_path)


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    result = invoke("init", str(folder), "--non-interactive", "--dry-run")
    assert result.exit_code == 0, result.output
    assert not folder.exists()
    listed = {line.removeprefix(f"would write {folder}/") for line in result.output.splitlines()
              if line.startswith("would write ")}  # fmt: skip
    assert listed == {*TEMPLATES, SETTINGS, *schema_files()}

    (tmp_path / "opskit.yaml").write_text("mine\n")
    again = invoke("init", str(tmp_path), "--non-interactive", "--dry-run")
    assert again.exit_code == 0 and "opskit.yaml (exists" in again.output
    assert (tmp_path / "opskit.yaml").read_text() == "mine\n"


def test_the_workflow_passes_actionlint(tmp_path: Path) -> None:
    scaffold(tmp_path)
    workflow = tmp_path / ".github" / "workflows" / "opskit.yml"
    found = actionlint(str(workflow), cwd=tmp_path)
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_workflow_uses_the_action_as_documented(tmp_path: Path) -> None:
    scaffold(tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "opskit.yml").read_text())
    inputs = set(yaml.safe_load((REPO / "action.yml").read_text())["inputs"])
    commands: dict[str, str] = {}
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            uses = step["uses"]
            if uses.startswith("opskit/opskit"):
                assert uses == f"opskit/opskit@v{__version__}"
                assert set(step["with"]) <= inputs, step
                commands.setdefault(name, step["with"]["command"])
                commands[name] = step["with"]["command"]
                for key, value in step.get("env", {}).items():
                    assert value in (f"${{{{ secrets.{key} }}}}", f"${{{{ vars.{key} }}}}"), key
            else:
                assert uses == "actions/checkout@v7"
    assert commands == {"plan": "plan", "apply": "apply", "drift": "drift"}
    on = workflow[True]  # PyYAML reads the key `on` as true
    assert set(on) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    assert "main" in workflow["jobs"]["apply"]["if"]


def test_pre_commit_uses_this_repositorys_hook(tmp_path: Path) -> None:
    scaffold(tmp_path)
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    [repo] = config["repos"]
    assert repo["repo"] == "https://github.com/opskit/opskit"
    assert repo["rev"] == f"v{__version__}"
    hooks = {hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert {hook["id"] for hook in repo["hooks"]} <= hooks


def test_every_opskit_command_and_option_named_exists(tmp_path: Path) -> None:
    scaffold(tmp_path)
    text = "\n".join((tmp_path / path).read_text() for path in [*TEMPLATES, SETTINGS])
    commands = set(re.findall(r"`opskit ([a-z-]+)[^`]*`", text))
    assert commands >= {"validate", "test", "plan"}
    help_text = invoke("--help").output
    for command in commands:
        assert re.search(rf"^  {command} ", help_text, re.M), command
    for command, options in re.findall(r"`opskit ([a-z-]+)((?: --?[a-z-]+)*)`", text):
        shown = invoke(command, "--help").output
        for option in options.split():
            assert option in shown, (command, option)


def test_the_files_speak_of_opskit_only(tmp_path: Path) -> None:
    scaffold(tmp_path)
    text = "\n".join((tmp_path / path).read_text() for path in [*TEMPLATES, SETTINGS]).lower()
    for other in ("northwind", "storage-api", "brightleaf", "cookiecutter", "copier", "todo"):
        assert other not in text


def test_plan_against_the_sandbox(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    scaffold(folder)
    with Sandbox(db=tmp_path / "sandbox.db") as sb:
        client = pd_client_for(sb)
        for email, name in (("jordan@example.com", "Jordan Lead"), ("robin@example.com", "Robin")):
            user = {"type": "user", "name": name, "email": email}
            made = client.post("/users", json={"user": user})
            assert made.status_code == 201, made.text
            phone(client, made.json()["user"]["id"])
        client.close()
        env = {
            **os.environ,
            "PAGERDUTY_URL": sb.url,
            "PAGERDUTY_API_KEY": "pd-key-scaffold",
            "OPSKIT_CA_BUNDLE": str(sb.ca_path),
            "OPSKIT_RETRY_BASE_SECONDS": "0.01",
        }
        planned = subprocess.run(
            [sys.executable, "-m", "opskit", "plan", "--target", "pagerduty", "--format", "json"],
            cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert planned.returncode == 0, planned.stdout + planned.stderr
    report = json.loads(planned.stdout)
    assert report["ok"] and [t["target"] for t in report["targets"]] == ["pagerduty"]
    assert "error" not in planned.stderr
