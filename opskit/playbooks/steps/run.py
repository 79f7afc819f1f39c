"""`run`: a command, as an argv list (never through a shell).

Values: `argv` (list), `timeout` (a duration, default 5m: the command's whole process
group is killed then), `expect_exit` (default 0; another status fails the step), `cwd`
(relative to the policy repository, and inside it; default its root), `env` (names of
environment variables passed on; the command gets only those, PATH, HOME and LANG, and
OPSKIT_RUN_ID, OPSKIT_STEP, OPSKIT_MARK, OPSKIT_ATTEMPT), `rerun` (`ask`, the default,
or `safe`). The output (stdout and stderr together) is captured, bounded to 64 KiB, and
journaled as `step.output`; outputs are `exit_code` and `output`.

At least once, never silently twice: a command's effect cannot be looked for, so when
a run was killed while a `run` step was in flight (the command may or may not have
happened):
- `rerun: safe` (the command is idempotent, or uses OPSKIT_MARK to know) runs it again;
- otherwise the engineer is asked: `rerun`, `skip` (it had happened: finish the step
  without running it) or `stop`. On a terminal that is a prompt; off it the answer comes
  from --answers (`<step-id>: rerun|skip|stop`); --yes alone never answers it, so the run
  stops there (exit 1) and the step stays in doubt until someone answers. An answer
  covers one interruption: a rerun killed again is asked about again.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from opskit.playbooks.answers import Undecided
from opskit.playbooks.journal import checkpoint
from opskit.playbooks.step_api import StepContext, StepFailed, StepResult
from opskit.playbooks.steps.wait import seconds_of

MAX_OUTPUT = 64 * 1024
ALWAYS_PASSED = ("PATH", "HOME", "LANG")
RERUN_CHOICES = ["rerun", "skip", "stop"]


def repository_root(ctx: StepContext) -> Path:
    from opskit.policy.config import find_config

    playbook = ctx.policy.playbooks.get(ctx.playbook)
    if playbook is not None and playbook.source.document.path:
        found = find_config(Path(playbook.source.document.path).resolve().parent)
        if found is not None:
            return found.resolve().parent
    return Path.cwd().resolve()


class Run:
    def describe(self, values: Mapping[str, Any]) -> str:
        argv = [str(a) for a in values.get("argv") or []]
        line = f"runs: {shlex.join(argv)}"
        extras = [f"timeout {values.get('timeout', '5m')}"]
        if "cwd" in values:
            extras.append(f"in {values['cwd']}")
        if values.get("env"):
            extras.append("env " + ", ".join(str(n) for n in values["env"]))
        if "expect_exit" in values:
            extras.append(f"expects exit {values['expect_exit']}")
        if values.get("rerun") == "safe":
            extras.append("safe to rerun")
        return f"{line}  ({'; '.join(extras)})"

    def execute(self, ctx: StepContext) -> StepResult:
        values = ctx.values
        argv = values.get("argv")
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            raise StepFailed("argv must be a list of strings")
        if ctx.in_flight:
            if values.get("rerun") == "safe":
                ctx.io.say("interrupted earlier while running; rerun: safe, so running it again")
            else:
                # the attempt is in the question: an answer covers one interruption only
                answer = ctx.io.ask(
                    f"{ctx.step_id} was interrupted while its command ran; it may have "
                    f"happened. Run it again (attempt {ctx.attempt})?",
                    RERUN_CHOICES,
                )
                if answer == "skip":
                    return StepResult(
                        "done", {"rerun": False}, message="not run again (answered skip)"
                    )
                if answer == "stop":
                    raise Undecided(f"stopped: {ctx.step_id} may or may not have run")
        timeout = seconds_of(values.get("timeout", "5m"))
        cwd = self._cwd(ctx)
        env = self._env(ctx)
        expect = int(values.get("expect_exit", 0))
        ctx.io.say(f"$ {shlex.join(argv)}")
        with tempfile.TemporaryFile() as captured:
            try:
                process = subprocess.Popen(
                    argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=captured,
                    stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
                )  # fmt: skip
            except FileNotFoundError:
                raise StepFailed(f"command not found: {argv[0]}") from None
            except PermissionError:
                raise StepFailed(f"not allowed to run {argv[0]}") from None
            except OSError as error:
                raise StepFailed(f"cannot run {argv[0]}: {error.strerror}") from None
            timed_out = False
            try:
                status = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_group(process)
                status = process.wait()
            except KeyboardInterrupt:
                _kill_group(process)
                process.wait()
                raise
            checkpoint(f"run:{ctx.step_id}")
            captured.seek(0)
            data = captured.read(MAX_OUTPUT + 1)
        text = redact(data[:MAX_OUTPUT].decode(errors="replace"), env, values.get("env") or [])
        if len(data) > MAX_OUTPUT:
            text += "\n[… output truncated by opskit at 64 KiB]"
        for line in text.splitlines()[-10:]:
            ctx.io.say(f"│ {line}")
        outputs: dict[str, Any] = {"exit_code": status, "output": text}
        if timed_out:
            return StepResult(
                "failed", outputs, message=f"timed out after {values.get('timeout', '5m')}"
            )
        if status != expect:
            return StepResult("failed", outputs, message=f"exit status {status}, expected {expect}")
        return StepResult("done", outputs, message=f"exit status {status}")

    def _cwd(self, ctx: StepContext) -> Path:
        root = repository_root(ctx)
        relative = ctx.values.get("cwd")
        if relative is None:
            return root
        folder = (root / str(relative)).resolve()
        if not folder.is_relative_to(root):
            raise StepFailed(f"cwd {relative!r} is outside the repository")
        if not folder.is_dir():
            raise StepFailed(f"cwd {relative!r} is not a folder")
        return folder

    def _env(self, ctx: StepContext) -> dict[str, str]:
        names = ctx.values.get("env") or []
        env = {n: ctx.env[n] for n in ALWAYS_PASSED if n in ctx.env}
        for name in names:
            if str(name) not in ctx.env:
                raise StepFailed(f"env: {name} is not set")
            env[str(name)] = ctx.env[str(name)]
        env.update(
            OPSKIT_RUN_ID=ctx.run_id, OPSKIT_STEP=ctx.step_id, OPSKIT_MARK=ctx.mark,
            OPSKIT_ATTEMPT=str(ctx.attempt),
        )  # fmt: skip
        return env


def redact(text: str, env: Mapping[str, str], names: list[Any]) -> str:
    """The values of the environment variables a step passes on never reach the journal,
    even when the command prints them."""
    for name in names:
        value = env.get(str(name), "")
        if len(value) >= 4:
            text = text.replace(value, f"[{name}]")
    return text


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """On Linux, the command dies with the runner (kill -9 included): a killed run leaves no
    command behind to finish later, unseen, while the run is resumed."""
    if sys.platform != "linux":
        return
    import ctypes

    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the runner died before that: do not start
        os._exit(137)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
