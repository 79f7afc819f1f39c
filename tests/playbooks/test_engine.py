from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from opskit.errors import ExitCode
from opskit.playbooks.answers import Responder
from opskit.playbooks.engine import Runner, replay
from opskit.playbooks.journal import Journal, read_events, stamp
from opskit.playbooks.runs import create_run, open_run
from opskit.policy.loader import Document
from opskit.policy.model import Playbook, Policy, Source

APPEND = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + '\\n'); print('did', sys.argv[2])"


class Quiet:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def step(self, index: int, total: int, step: dict[str, Any], following: str | None) -> None:
        self.lines.append(f"step {step['id']}")

    def say(self, text: str) -> None:
        self.lines.append(text)

    def outcome(self, state: str, step: str, message: str) -> None:
        self.lines.append(f"{state} {step}: {message}")

    def end(self, text: str) -> None:
        self.lines.append(text)


class Asked:
    """Prompts that answer from lists and remember what was asked."""

    def __init__(
        self, confirms: list[bool] | None = None, choices: list[str] | None = None
    ) -> None:
        self.confirms, self.choices = list(confirms or []), list(choices or [])
        self.asked: list[str] = []

    def ask(self, question: str, choices: list[str]) -> str:
        self.asked.append(question)
        return self.choices.pop(0)

    def confirm(self, text: str) -> bool:
        self.asked.append(text)
        return self.confirms.pop(0)

    def note(self) -> str:
        return ""


def playbook(
    tmp_path: Path, *steps: dict[str, Any], name: str = "drill"
) -> tuple[Policy, Playbook]:
    path = tmp_path / "playbooks" / f"{name}.yaml"
    document = Document(
        str(path), 0, {"kind": "Playbook", "name": name, "steps": list(steps)}, None
    )
    found = Playbook(name, name, [], [], list(steps), Source(document))
    return Policy(playbooks={name: found}), found


def counter_step(step_id: str, counter: Path, **extra: Any) -> dict[str, Any]:
    return {
        "id": step_id,
        "kind": "run",
        "argv": [sys.executable, "-c", APPEND, str(counter), step_id],
        **extra,
    }


def start(
    policy: Policy, found: Playbook, responder: Responder, **inputs: str
) -> tuple[str, ExitCode]:
    opened = create_run(found.name, dt.datetime.now(dt.UTC))
    try:
        runner = Runner(policy, found, opened.run_id, opened.journal, responder, Quiet())
        runner.start(inputs)
        return opened.run_id, runner.run()
    finally:
        opened.close()


def resume(policy: Policy, found: Playbook, run_id: str, responder: Responder) -> ExitCode:
    opened = open_run(run_id)
    try:
        return Runner(policy, found, run_id, opened.journal, responder, Quiet()).run()
    finally:
        opened.close()


def events(runs: Path, run_id: str) -> list[dict[str, Any]]:
    return read_events(runs / run_id / "journal.jsonl")


def scripted(
    answers: dict[str, Any] | None = None, *, yes: bool = True, prompts: Any = None
) -> Responder:
    return Responder(answers or {}, yes=yes, prompts=prompts, say=lambda _: None)


def test_decide_jumps_and_when_skips(tmp_path: Path, runs: Path) -> None:
    counter = tmp_path / "counter"
    policy, found = playbook(
        tmp_path,
        {
            "id": "scope",
            "kind": "decide",
            "question": "Where?",
            "options": {"one": "b", "all": "c"},
        },
        counter_step("a", counter),
        counter_step("b", counter, when="inputs.region == 'eu'"),
        counter_step(
            "c",
            counter,
            argv=[sys.executable, "-c", APPEND, str(counter), "{{ steps.scope.answer }}"],
        ),
    )
    run_id, code = start(policy, found, scripted({"scope": "one"}), region="us")
    assert code == ExitCode.OK
    journal = events(runs, run_id)
    assert [(e["event"], e.get("step")) for e in journal if e["event"] != "step.output"] == [
        ("run.started", None),
        ("step.started", "scope"), ("step.answer", "scope"), ("step.finished", "scope"),
        ("step.skipped", "b"),
        ("step.started", "c"), ("step.finished", "c"),
        ("run.finished", None),
    ]  # fmt: skip
    assert counter.read_text() == "one\n"
    assert [e["seq"] for e in journal] == list(range(1, len(journal) + 1))


def test_a_failed_step_stops_the_run_and_resume_retries_it(tmp_path: Path, runs: Path) -> None:
    flag = tmp_path / "flag"
    check = f"import os, sys; sys.exit(0 if os.path.exists({str(flag)!r}) else 4)"
    policy, found = playbook(
        tmp_path, {"id": "check", "kind": "run", "argv": [sys.executable, "-c", check]}
    )
    run_id, code = start(policy, found, scripted())
    assert code == ExitCode.FINDINGS
    failed = events(runs, run_id)[-1]
    assert failed["event"] == "step.failed" and failed["message"] == "exit status 4, expected 0"
    flag.touch()
    assert resume(policy, found, run_id, scripted()) == ExitCode.OK
    started = [e for e in events(runs, run_id) if e["event"] == "step.started"]
    assert [(e["attempt"], e["in_flight"]) for e in started] == [(1, False), (2, False)]


def test_a_template_error_is_a_failed_step_not_a_traceback(tmp_path: Path, runs: Path) -> None:
    policy, found = playbook(
        tmp_path, {"id": "x", "kind": "run", "argv": ["echo", "{{ inputs.nope }}"]}
    )
    run_id, code = start(policy, found, scripted())
    assert code == ExitCode.FINDINGS
    assert (
        events(runs, run_id)[-1]["message"]
        == "step x.argv[1]: 'dict object' has no attribute 'nope'"
    )


def killed_during(run_id: str, *entries: dict[str, Any]) -> None:
    """The journal a run leaves when killed after writing these entries."""
    opened = open_run(run_id)
    for entry in entries:
        opened.journal.append(entry.pop("event"), **entry)
    opened.close()


def begun(policy: Policy, found: Playbook) -> str:
    opened = create_run(found.name, dt.datetime.now(dt.UTC))
    Runner(policy, found, opened.run_id, opened.journal, scripted(), Quiet()).start({})
    opened.close()
    return opened.run_id


def test_a_checklist_resumes_after_the_items_already_confirmed(tmp_path: Path, runs: Path) -> None:
    policy, found = playbook(
        tmp_path, {"id": "m", "kind": "manual", "checklist": ["one", "two", "three"]}
    )
    run_id = begun(policy, found)
    killed_during(
        run_id,
        {"event": "step.started", "step": "m", "kind": "manual", "attempt": 1, "in_flight": False},
        {"event": "step.answer", "step": "m", "question": "one", "answer": True},
    )
    prompts = Asked(confirms=[True, True])
    assert resume(policy, found, run_id, scripted(yes=False, prompts=prompts)) == ExitCode.OK
    assert prompts.asked == ["two", "three"]
    answers = [e["question"] for e in events(runs, run_id) if e["event"] == "step.answer"]
    assert answers == ["one", "two", "three"]


def test_a_command_in_flight_is_asked_about_and_yes_alone_does_not_answer(
    tmp_path: Path, runs: Path
) -> None:
    counter = tmp_path / "counter"
    policy, found = playbook(tmp_path, counter_step("a", counter))
    run_id = begun(policy, found)
    killed_during(
        run_id,
        {"event": "step.started", "step": "a", "kind": "run", "attempt": 1, "in_flight": False},
    )
    assert resume(policy, found, run_id, scripted()) == ExitCode.FINDINGS
    last = events(runs, run_id)[-1]
    assert last["event"] == "step.failed" and last["in_doubt"] is True
    assert "needs an answer (rerun | skip | stop)" in last["message"]
    assert not counter.exists()
    # still in doubt: the next attempt is in flight too, and "skip" finishes it unrun
    assert resume(policy, found, run_id, scripted({"a": "skip"})) == ExitCode.OK
    started = [e for e in events(runs, run_id) if e["event"] == "step.started"]
    assert [(e["attempt"], e["in_flight"]) for e in started] == [(1, False), (2, True), (3, True)]
    assert not counter.exists()


def test_a_command_marked_safe_reruns_by_itself(tmp_path: Path, runs: Path) -> None:
    counter = tmp_path / "counter"
    policy, found = playbook(tmp_path, counter_step("a", counter, rerun="safe"))
    run_id = begun(policy, found)
    killed_during(
        run_id,
        {"event": "step.started", "step": "a", "kind": "run", "attempt": 1, "in_flight": False},
    )
    assert resume(policy, found, run_id, scripted()) == ExitCode.OK
    assert counter.read_text() == "a\n"


def test_a_command_gets_only_the_environment_it_names(
    tmp_path: Path, runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_TOKEN", "s3cr3t-value")
    monkeypatch.setenv("OTHER_TOKEN", "other-value")
    show = (
        "import os; print(sorted(k for k in os.environ if k.endswith('TOKEN')"
        " or k.startswith('OPSKIT_')), os.environ['SECRET_TOKEN'])"
    )
    policy, found = playbook(
        tmp_path,
        {"id": "a", "kind": "run", "argv": [sys.executable, "-c", show], "env": ["SECRET_TOKEN"]},
    )
    run_id, code = start(policy, found, scripted())
    assert code == ExitCode.OK
    text = (runs / run_id / "journal.jsonl").read_text()
    assert "s3cr3t-value" not in text and "other-value" not in text
    output = next(e for e in events(runs, run_id) if e["event"] == "step.output")["text"]
    assert "SECRET_TOKEN" in output and "OTHER_TOKEN" not in output and "OPSKIT_MARK" in output
    assert output.rstrip().endswith("[SECRET_TOKEN]")  # printed, but redacted


def test_a_command_stays_inside_the_repository(tmp_path: Path, runs: Path) -> None:
    (tmp_path / "opskit.yaml").write_text("workspace: w\n")
    policy, found = playbook(tmp_path, {"id": "a", "kind": "run", "argv": ["true"], "cwd": "../.."})
    run_id, code = start(policy, found, scripted())
    assert code == ExitCode.FINDINGS
    assert events(runs, run_id)[-1]["message"] == "cwd '../..' is outside the repository"


def test_a_command_is_killed_at_its_timeout_and_its_output_bounded(
    tmp_path: Path, runs: Path
) -> None:
    loud = "import sys, time; sys.stdout.write('x' * 100000); sys.stdout.flush(); time.sleep(30)"
    policy, found = playbook(
        tmp_path, {"id": "a", "kind": "run", "argv": [sys.executable, "-c", loud], "timeout": "1s"}
    )
    run_id, code = start(policy, found, scripted())
    assert code == ExitCode.FINDINGS
    journal = events(runs, run_id)
    output = next(e for e in journal if e["event"] == "step.output")
    assert output["text"].endswith("[… output truncated by opskit at 64 KiB]")
    assert journal[-1]["message"] == "timed out after 1s"


def test_a_missing_command_fails_in_one_line(tmp_path: Path, runs: Path) -> None:
    policy, found = playbook(
        tmp_path, {"id": "a", "kind": "run", "argv": ["no-such-command-opskit"]}
    )
    run_id, code = start(policy, found, scripted())
    assert code == ExitCode.FINDINGS
    assert events(runs, run_id)[-1]["message"] == "command not found: no-such-command-opskit"


def test_a_resumed_wait_counts_from_its_first_start(tmp_path: Path, runs: Path) -> None:
    policy, found = playbook(tmp_path, {"id": "w", "kind": "wait", "duration": "1h"})
    run_id = begun(policy, found)
    path = runs / run_id / "journal.jsonl"
    hour_ago = stamp(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1, seconds=1))
    entry = {
        "seq": 2,
        "at": hour_ago,
        "event": "step.started",
        "step": "w",
        "kind": "wait",
        "attempt": 1,
    }
    with path.open("a") as handle:
        handle.write(json.dumps(entry) + "\n")
    assert resume(policy, found, run_id, scripted()) == ExitCode.OK  # no hour of waiting
    assert events(runs, run_id)[-2]["outputs"] == {"waited": 3600}


def test_a_decide_needs_an_answer_even_with_yes(tmp_path: Path, runs: Path) -> None:
    policy, found = playbook(
        tmp_path, {"id": "d", "kind": "decide", "question": "Which?", "options": {"x": "d"}}
    )
    run_id, code = start(policy, found, scripted())
    assert code == ExitCode.FINDINGS
    assert "Which? needs an answer (x): give it in --answers" in events(runs, run_id)[-1]["message"]


def test_replay_is_the_state(tmp_path: Path) -> None:
    _, found = playbook(tmp_path, {"id": "a", "kind": "manual"}, {"id": "b", "kind": "manual"})
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("run.started", playbook="drill", inputs={"service": "api"})
    journal.append("step.started", step="a", attempt=1)
    journal.append("step.finished", step="a", outputs={"k": 1}, next="b")
    journal.append("step.started", step="b", attempt=1)
    state = replay(found, journal.events)
    assert (state.current, state.in_flight, state.attempt) == ("b", True, 1)
    assert state.outputs == {"a": {"k": 1}} and state.inputs == {"service": "api"}


class Interrupting(Asked):
    def confirm(self, text: str) -> bool:
        if text == "two":
            raise KeyboardInterrupt
        return super().confirm(text)


def test_ctrl_c_aborts_the_run_and_resume_asks_only_what_is_left(
    tmp_path: Path, runs: Path
) -> None:
    policy, found = playbook(
        tmp_path, {"id": "m", "kind": "manual", "checklist": ["one", "two", "three"]}
    )
    run_id, code = start(policy, found, scripted(yes=False, prompts=Interrupting([True])))
    assert code == ExitCode.INTERRUPTED
    assert events(runs, run_id)[-1]["event"] == "run.aborted"
    prompts = Asked(confirms=[True, True])
    assert resume(policy, found, run_id, scripted(yes=False, prompts=prompts)) == ExitCode.OK
    assert prompts.asked == ["two", "three"]
    started = [e for e in events(runs, run_id) if e["event"] == "step.started"]
    assert [(e["attempt"], e["in_flight"]) for e in started] == [(1, False), (2, True)]


def test_each_visit_of_a_decide_loop_has_its_own_mark(tmp_path: Path, runs: Path) -> None:
    from tests.playbooks.kinds_helpers import loopback

    with loopback() as (url, got):
        policy, found = playbook(
            tmp_path,
            {"id": "post", "kind": "http", "method": "POST", "url": f"{url}/status",
             "json": {"state": "update"}},
            {"id": "again", "kind": "decide", "question": "Another update?",
             "options": {"yes": "post", "no": "end"}},
            {"id": "end", "kind": "manual", "checklist": ["done"]},
        )  # fmt: skip
        prompts = Asked(confirms=[True], choices=["yes", "yes", "no"])
        run_id, code = start(policy, found, scripted(prompts=prompts))
    assert code == ExitCode.OK
    base = f"opskit-{run_id}-post".lower()
    # three visits, three effects, each with its own key (the mark a resume looks for)
    assert got.keys == {base: 1, f"{base}-v2": 1, f"{base}-v3": 1}
    finished = [e for e in events(runs, run_id) if e["event"] == "step.finished"]
    assert [e["step"] for e in finished].count("post") == 3
    assert replay(found, events(runs, run_id)).completions == {"post": 3, "again": 3, "end": 1}
