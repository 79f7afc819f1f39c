"""Run one opskit command the way CI needs it, and report the result where people look.

validate  annotations on the policy lines, a table in the job summary
plan      the plan of every target in the job summary and in one pull-request comment,
          edited in place on every push; fails on plan errors and target failures
apply     what was applied, or where it stopped, in the job summary
drift     the differences in the job summary and in one open issue labelled opskit-drift

Inputs come from the environment (OPSKIT_ACTION_*): the composite passes them there so that
no input is ever pasted into a shell script.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opskit_action import render
from opskit_action.github import (
    GitHub,
    GitHubError,
    annotation,
    append_summary,
    parse_annotation,
    pull_request_number,
    set_outputs,
)

COMMANDS = ("validate", "plan", "apply", "drift")
PLAN_MARKER = "<!-- opskit-plan -->"
DRIFT_MARKER = "<!-- opskit-drift -->"
DRIFT_LABEL = "opskit-drift"
# GitHub refuses comment and issue bodies over 65,536 characters, and step summaries over
# 1 MiB; stay well under both (a character may take up to 4 bytes).
BODY_LIMIT = 60_000
SUMMARY_LIMIT = 250_000
SECRET_VARIABLES = (
    "PAGERDUTY_API_KEY",
    "JIRA_API_TOKEN",
    "GITHUB_TOKEN",
    "OPSKIT_ACTION_GITHUB_TOKEN",
)
EXIT_MEANINGS = {
    1: "The policies have errors; nothing was planned",
    2: "opskit was called wrongly (check the action's args input)",
    3: "A target failed: authentication, network or remote errors",
    4: "opskit hit an internal error",
}


class InputError(Exception):
    """An input the action cannot use."""


@dataclass(frozen=True)
class Inputs:
    command: str
    args: tuple[str, ...]
    strict: bool
    comment: bool
    oncall_diff_base: str
    drift_issue: bool
    token: str

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Inputs:
        command = env.get("OPSKIT_ACTION_COMMAND", "").strip()
        if command not in COMMANDS:
            raise InputError(f"command must be one of {', '.join(COMMANDS)}, not {command!r}")
        try:
            args = tuple(shlex.split(env.get("OPSKIT_ACTION_ARGS", "")))
        except ValueError as error:
            raise InputError(f"args: {error}") from None
        if any(a in ("--format", "-f") or a.startswith("--format=") for a in args):
            raise InputError("args: the action chooses the output format; leave out --format")
        return cls(
            command=command,
            args=args,
            strict=_flag(env, "OPSKIT_ACTION_STRICT", True),
            comment=_flag(env, "OPSKIT_ACTION_COMMENT", True),
            oncall_diff_base=env.get("OPSKIT_ACTION_ONCALL_DIFF_BASE", "").strip(),
            drift_issue=_flag(env, "OPSKIT_ACTION_DRIFT_ISSUE", True),
            token=env.get("OPSKIT_ACTION_GITHUB_TOKEN", ""),
        )


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("true", "false"):
        return value == "true"
    input_name = name.removeprefix("OPSKIT_ACTION_").lower().replace("_", "-")
    raise InputError(f"{input_name} must be true or false, not {value!r}")


def opskit_argv(command: str, *, strict: bool, args: Sequence[str] = ()) -> list[str]:
    """The opskit command line for an action command (the test suite parses each one)."""
    strict_flag = ["--strict"] if strict else []
    if command == "validate":
        return ["validate", "--format", "github", *strict_flag, *args]
    if command == "plan":
        return ["plan", "--format", "json", *strict_flag, *args]
    if command == "apply":
        return ["apply", "--yes", "--format", "json", *strict_flag, *args]
    if command == "drift":
        return ["drift", "--format", "json", *args]
    raise InputError(f"unknown command {command!r}")


def oncall_diff_argv(base: str) -> list[str]:
    return ["oncall", "diff", "--format", "markdown", "--", base]


@dataclass
class Finished:
    code: int
    stdout: str
    stderr: str


class Run:
    """One run of the action: its environment, the secrets to keep out of every output."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.secrets = [env[name] for name in SECRET_VARIABLES if env.get(name)]
        self.outputs: dict[str, str] = {}
        workspace = env.get("GITHUB_WORKSPACE")
        here = Path.cwd().resolve()
        # Annotations name files from the repository root, opskit from the working directory.
        self.prefix = ""
        if workspace and here.is_relative_to(Path(workspace).resolve()):
            relative = here.relative_to(Path(workspace).resolve()).as_posix()
            self.prefix = "" if relative == "." else relative + "/"

    def clean(self, text: str) -> str:
        return render.redact(text, self.secrets)

    def say(self, text: str) -> None:
        sys.stdout.write(self.clean(text if text.endswith("\n") or not text else text + "\n"))
        sys.stdout.flush()

    def show(self, text: str) -> None:
        """Text that holds policy content, logged with workflow commands off: a line such as
        `::add-mask::` or `::error ...` in a policy must not reach the runner as a command."""
        if text.strip():
            token = uuid.uuid4().hex
            self.say(f"::stop-commands::{token}\n{self.clean(text).rstrip()}\n::{token}::")

    def opskit(self, argv: Sequence[str]) -> Finished:
        # opskit needs the targets' credentials, never a GitHub token or the action's inputs
        env = {k: v for k, v in self.env.items() if not _github_only(k)}
        done = subprocess.run(
            [sys.executable, "-m", "opskit", *argv],
            env=env, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False,
        )  # fmt: skip
        return Finished(done.returncode, done.stdout, done.stderr)

    def summary(self, markdown: str) -> None:
        whole = "the whole report is in this step's log"
        append_summary(
            self.env.get("GITHUB_STEP_SUMMARY"),
            self.clean(render.cap(markdown, SUMMARY_LIMIT, whole)),
        )

    def annotate(
        self, level: str, message: str, source: str | None = None, title: str = ""
    ) -> None:
        where = self.prefix + source if source and self.prefix else source
        self.say(annotation(level, self.clean(message), where, title))

    def run_url(self) -> str:
        server = self.env.get("GITHUB_SERVER_URL", "https://github.com")
        repository, run_id = self.env.get("GITHUB_REPOSITORY"), self.env.get("GITHUB_RUN_ID")
        return f"{server}/{repository}/actions/runs/{run_id}" if repository and run_id else ""

    def footer(self) -> str:
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        sha = self.env.get("GITHUB_SHA", "")[:7]
        run = (
            f"[run {self.env.get('GITHUB_RUN_ID')}]({self.run_url()})"
            if self.run_url()
            else "a run"
        )
        return f"\n---\n<sub>Updated by {run}{' at ' + sha if sha else ''}, {when}.</sub>\n"

    def github(self, token: str) -> GitHub:
        return GitHub(
            self.env.get("GITHUB_API_URL", "https://api.github.com"),
            self.env.get("GITHUB_REPOSITORY", ""),
            token,
        )


def validate(run: Run, inputs: Inputs) -> int:
    done = run.opskit(opskit_argv("validate", strict=inputs.strict, args=inputs.args))
    problems: list[dict[str, str]] = []
    others: list[str] = []
    for line in done.stdout.splitlines():
        found = parse_annotation(line)
        if found is None:
            others.append(line)
            continue
        problems.append(found)
        where = found.get("file")
        if where and found.get("line"):
            where += f":{found['line']}:{found.get('col', '1')}"
        run.annotate(found["level"], found["message"], where, found.get("title", ""))
    result = next(
        (o.removeprefix("opskit:").strip() for o in others if o.startswith("opskit:")), ""
    )
    run.show("\n".join(others) + "\n" + done.stderr)
    if not result and done.code:
        result = f"{EXIT_MEANINGS.get(done.code, 'opskit failed')}: {done.stderr.strip()}"
    run.summary(render.validate_markdown(problems, result, done.code))
    run.outputs.update({
        "exit-code": str(done.code),
        "ok": _bool(done.code == 0),
        "errors": str(sum(p["level"] == "error" for p in problems)),
        "warnings": str(sum(p["level"] == "warning" for p in problems)),
    })  # fmt: skip
    return done.code


def sync(run: Run, inputs: Inputs) -> int:
    """plan, apply or drift: one JSON document for every target, rendered everywhere."""
    command = inputs.command
    done = run.opskit(opskit_argv(command, strict=inputs.strict, args=inputs.args))
    run.show(done.stderr)
    document = _document(done.stdout)
    run.outputs["exit-code"] = str(done.code)
    if document is None:
        what = (
            EXIT_MEANINGS.get(done.code, "opskit failed")
            if done.code
            else "opskit printed no report"
        )
        markdown = render.failure_markdown(command, done.code, done.stderr, what)
        run.annotate("error", f"opskit {command}: {what}")
        run.outputs["ok"] = "false"
    else:
        report = Path(run.env.get("RUNNER_TEMP") or ".") / f"opskit-{command}.json"
        report.write_text(run.clean(done.stdout), encoding="utf-8")
        run.outputs["report"] = str(report)
        markdown = render.report_markdown(document, command, stderr=run.clean(done.stderr))
        _annotate_problems(run, document)
        counts = document.get("counts") or {}
        run.outputs.update({name: str(counts.get(name, 0)) for name in
                            ("create", "update", "delete", "unchanged", "errors", "warnings")})  # fmt: skip
        run.outputs["ok"] = _bool(bool(document.get("ok")) and done.code in (0, 1))
        run.outputs["pending"] = _bool(bool(document.get("pending")))
    if command == "plan" and inputs.oncall_diff_base:
        markdown += "\n" + _oncall_diff(run, inputs.oncall_diff_base)
    run.show(markdown)
    run.summary(markdown)

    if command == "plan":
        _comment(run, inputs, markdown)
    if command != "drift":  # a plan with errors, a failed target or apply fails the step
        return done.code or (0 if document is not None and document.get("ok") else 1)

    # drift found is a finding, reported in the issue; a drift check that could not look is
    # a failure, and so is drift nobody will hear of
    if done.code >= 2 or document is None:
        return done.code or 1
    drifted = bool(document.get("pending"))
    run.outputs["drift"] = _bool(drifted)
    if drifted and inputs.drift_issue and not _drift_issue(run, inputs, document, markdown):
        return 1
    return 0 if document.get("ok") else 1


def _document(stdout: str) -> dict[str, Any] | None:
    """The one JSON document opskit printed on stdout, or None when it printed none."""
    if not stdout.strip():
        return None
    try:
        document = json.loads(stdout)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _annotate_problems(run: Run, document: Mapping[str, Any]) -> None:
    problems = list(document.get("problems") or [])
    for target in document.get("targets") or []:
        problems += [{**p, "target": target.get("target")} for p in target.get("problems") or []]
    for problem in problems:
        title = str(problem.get("rule") or "") or (
            f"opskit {problem['target']}" if problem.get("target") else "opskit"
        )
        run.annotate(
            str(problem.get("level")), str(problem.get("message", "")), problem.get("source"), title
        )


def _oncall_diff(run: Run, base: str) -> str:
    done = run.opskit(oncall_diff_argv(base))
    if done.code == 0 and done.stdout.strip():
        return done.stdout
    reason = (done.stderr.strip() or f"exit code {done.code}").splitlines()[-1]
    run.annotate("warning", f"opskit oncall diff {base}: {reason}")
    return f"### On-call changes\n\nCould not compare with {render.code(base)}: {render.escape(reason)}\n"


def _comment(run: Run, inputs: Inputs, markdown: str) -> None:
    if not inputs.comment:
        return
    if run.env.get("GITHUB_EVENT_NAME") not in ("pull_request", "pull_request_target"):
        run.say("Not a pull request: the plan is in the job summary only.")
        return
    number = pull_request_number(run.env.get("GITHUB_EVENT_PATH"))
    if number is None:
        run.annotate("warning", "no pull request number in the event; the plan was not posted")
        return
    whole = f"the whole plan is in the job summary of [this run]({run.run_url()})"
    body = f"{PLAN_MARKER}\n" + render.cap(
        markdown + run.footer(), BODY_LIMIT - len(PLAN_MARKER) - 1, whole
    )
    try:
        url = run.github(inputs.token).upsert_comment(number, PLAN_MARKER, run.clean(body))
    except GitHubError as error:
        # e.g. a pull request from a fork, whose token may not write: the summary still has it
        run.annotate("warning", f"could not post the plan on the pull request: {error}")
        run.summary(
            f"> ⚠️ The plan could not be posted on the pull request: {render.escape(str(error))}\n"
        )
        return
    run.outputs["comment-url"] = url
    run.say(f"Plan posted on the pull request: {url}")


def _drift_issue(run: Run, inputs: Inputs, document: Mapping[str, Any], markdown: str) -> bool:
    drifted = [str(t.get("target")) for t in document.get("targets") or [] if t.get("pending")]
    title = f"opskit drift: {', '.join(drifted)} changed by hand"
    advice = (
        "Someone changed the targets by hand since the last apply. Either put the change into "
        "the policies, or undo it: the apply workflow restores what opskit manages (SLA goals "
        "in Jira Service Management are set by hand; `opskit jira sla-config` lists them). "
        "Every drift check that still finds differences updates this issue.\n\n"
    )
    whole = f"the whole report is in the job summary of [this run]({run.run_url()})"
    body = f"{DRIFT_MARKER}\n" + render.cap(
        advice + markdown + run.footer(), BODY_LIMIT - len(DRIFT_MARKER) - 1, whole
    )
    try:
        url, opened = run.github(inputs.token).upsert_issue(DRIFT_LABEL, title, run.clean(body))
    except GitHubError as error:
        run.annotate("error", f"drift found, but the issue could not be opened or updated: {error}")
        return False
    run.outputs["issue-url"] = url
    run.say(f"Drift {'reported in a new' if opened else 'added to the open'} issue: {url}")
    return True


def _github_only(name: str) -> bool:
    return name.startswith(("OPSKIT_ACTION_", "ACTIONS_")) or name in ("GITHUB_TOKEN", "GH_TOKEN")


def _bool(value: bool) -> str:
    return "true" if value else "false"


def main(env: Mapping[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    run = Run(env)
    try:
        inputs = Inputs.from_environment(env)
    except InputError as error:
        run.annotate("error", f"opskit action: {error}")
        set_outputs(env.get("GITHUB_OUTPUT"), {"exit-code": "2", "ok": "false"})
        return 2
    code = validate(run, inputs) if inputs.command == "validate" else sync(run, inputs)
    set_outputs(env.get("GITHUB_OUTPUT"), {k: run.clean(v) for k, v in run.outputs.items()})
    return code
