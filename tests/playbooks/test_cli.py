from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.playbooks.drill import DRILL, invoke


@pytest.fixture
def repo(make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_repo(DRILL)
    monkeypatch.chdir(root)
    return root


def test_list_and_show(repo: Path) -> None:
    code, out, _ = invoke("list")
    assert (code, out) == (0, "drill  A drill  [api]\n")
    code, out, _ = invoke("list", "--format", "json")
    assert json.loads(out) == [
        {"name": "drill", "title": "A drill", "services": ["api"], "steps": 4}
    ]
    code, out, _ = invoke("show", "drill")
    assert code == 0
    assert "2. probe (run)\n   runs: echo '{{ inputs.service }}'  (timeout 10s)" in out
    assert "   asks: Where?\n     one → last" in out


def test_dry_run_fills_in_the_inputs_and_writes_nothing(repo: Path, runs: Path) -> None:
    code, out, _ = invoke("run", "drill", "--service", "api", "--dry-run")
    assert code == 0
    assert (
        "runs: echo api" in out
        and "☐ Look at api" in out
        and "☐ Probe said <steps.probe.output>" in out
    )
    assert not runs.exists()


def test_a_run_from_answers_and_its_status(repo: Path, runs: Path) -> None:
    (repo / "answers.yaml").write_text("scope: all\ncheck: {note: seen it}\n")
    code, out, err = invoke(
        "run", "drill", "--service", "api", "--yes", "--answers", "answers.yaml"
    )
    assert code == 0, err
    run_id = out.splitlines()[0].removeprefix("run ")
    assert out.splitlines()[1] == f"journal {runs / run_id / 'journal.jsonl'}"
    code, out, _ = invoke("status")
    assert out.split() == [run_id, "drill", out.split()[2], "finished"]
    code, out, _ = invoke("status", run_id, "--format", "json")
    data = json.loads(out)
    assert data["state"] == "finished"
    notes = [e["text"] for e in data["events"] if e["event"] == "step.note"]
    assert notes == ["seen it"]
    code, out, _ = invoke("status", run_id)
    assert "step.answer   scope Where? → all" in out


def test_a_stopped_run_resumes(repo: Path) -> None:
    code, out, err = invoke("run", "drill", "--service", "api", "--yes")
    assert code == 1 and "Where? needs an answer (one | all)" in out
    run_id = out.splitlines()[0].removeprefix("run ")
    assert invoke("status")[1].split()[3:] == ["failed", "at", "scope"]
    (repo / "answers.yaml").write_text("scope: one\n")
    code, out, err = invoke("resume", run_id, "--yes", "--answers", "answers.yaml")
    assert code == 0, out + err
    assert invoke("resume", run_id, "--yes")[0] == 0  # already finished


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "dril", "--yes"], "no playbook 'dril'; did you mean 'drill'?"),
        (
            ["run", "drill", "--service", "apx", "--yes"],
            "--service: no service 'apx'; did you mean 'api'?",
        ),
        (["run", "drill", "--input", "Bad"], "--input 'Bad': use NAME=VALUE"),
        (["run", "drill", "--ticket", "ops-1", "--yes"], "--ticket: 'ops-1' is not a Jira key"),
        (
            ["run", "drill"],
            "not on a terminal: pass --yes (confirm checklists) and/or --answers FILE",
        ),
        (["run", "drill", "--answers", "missing.yaml"], "--answers: cannot read missing.yaml"),
        (
            ["resume", "20261202T031500Z-drill-0000", "--yes"],
            "no run '20261202T031500Z-drill-0000'",
        ),
        (["status", "nope"], "no run 'nope'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(repo: Path, args: list[str], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert err.startswith(f"opskit: error: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_answers_are_a_usage_error(repo: Path) -> None:
    (repo / "answers.yaml").write_text("scope: [1, 2]\n")
    code, _, err = invoke("run", "drill", "--answers", "answers.yaml")
    assert code == 2 and "scope: an answer is a choice" in err


def test_status_without_runs(repo: Path, runs: Path) -> None:
    assert invoke("status") == (0, f"no runs in {runs}\n", "")
    assert invoke("status", "--format", "json")[1] == "[]\n"


def test_dry_run_reports_a_bad_template_on_its_step(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = {
        "name": "broken",
        # validate checks the names a template uses; what a value holds shows at run time
        "steps": [{"id": "x", "kind": "run", "argv": ["{{ inputs.service.nope }}"]}],
    }
    monkeypatch.chdir(make_repo(broken))
    code, out, _ = invoke("run", "broken", "--dry-run", "--service", "api")
    assert code == 1, out
    assert "   error: step x.argv[0]: 'str object' has no attribute 'nope'" in out


def test_declared_inputs_are_required_or_take_their_default(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    declared = {
        "name": "declared",
        "inputs": {"service": {"kind": "service", "required": True},
                   "ticket": {"kind": "ticket"}, "region": {"kind": "text", "default": "eu"}},
        "steps": [
            {"id": "where", "kind": "run",
             "argv": [sys.executable, "-c", "print('region={{ inputs.region }}')"]},
            {"id": "about-ticket", "kind": "run", "when": "{{ inputs.ticket }}",
             "argv": [sys.executable, "-c", "print('ticket')"]},
        ],
    }  # fmt: skip
    monkeypatch.chdir(make_repo(declared))
    code, _, err = invoke("run", "declared", "--yes")
    assert code == 2 and "playbook declared needs --service" in err
    code, out, err = invoke("run", "declared", "--yes", "--service", "api")
    assert code == 0, out + err
    run_id = out.splitlines()[0].removeprefix("run ")
    code, timeline, _ = invoke("status", run_id, "--format", "json")
    events = json.loads(timeline)["events"]
    assert any(e.get("text", "").strip() == "region=eu" for e in events)
    # no --ticket: the optional input is "" and the step it guards is skipped
    assert [e["step"] for e in events if e["event"] == "step.skipped"] == ["about-ticket"]


def test_a_drill_ends_a_wait_from_the_answers_file(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = {"name": "waiting", "steps": [{"id": "settle", "kind": "wait", "duration": "1h"}]}
    root = make_repo(waiting)
    monkeypatch.chdir(root)
    (root / "drill.yaml").write_text("settle: end\n")
    code, out, err = invoke("run", "waiting", "--yes", "--answers", "drill.yaml")
    assert code == 0, out + err  # at once, not after an hour
    run_id = out.splitlines()[0].removeprefix("run ")
    events = json.loads(invoke("status", run_id, "--format", "json")[1])["events"]
    [done] = [e for e in events if e["event"] == "step.finished"]
    assert done["outputs"] == {"waited": 0, "ended_early": True}
    assert "answers file" in done["message"]


def test_answers_from_an_endless_file_are_refused_after_their_limit(repo: Path, runs: Path) -> None:
    code, _, err = invoke("run", "drill", "--service", "api", "--yes", "--answers", "/dev/zero")
    assert code == 2 and "--answers: /dev/zero is larger than 1 MiB" in err
    assert not runs.exists()  # refused before the run began
