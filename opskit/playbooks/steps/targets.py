"""What the target step kinds share: reading their values, reaching Jira and PagerDuty
through opskit's own clients, and turning every remote failure into a `StepFailed` line
(never a traceback, never a secret).

Earlier steps are found in `ctx.outputs` by what their outputs say about them: a `page`
step's outputs carry `service`, `action` and `dedup_key`; a `jira` step's carry `action`
and `key`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from opskit.errors import OpskitError
from opskit.playbooks.step_api import StepContext, StepFailed
from opskit.sync.errors import TargetError, UnclearWrite

T = TypeVar("T")


def text(values: Mapping[str, Any], name: str, *, default: str | None = None) -> str:
    """A string value, stripped; a missing or empty one fails unless there is a default."""
    raw = values.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if default is not None:
            return default
        raise StepFailed(f"the step needs `{name}`")
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise StepFailed(f"`{name}` must be a string")
    return str(raw).strip()


def optional(values: Mapping[str, Any], name: str) -> str | None:
    raw = values.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return text(values, name)


def choice(values: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    found = text(values, name, default=default)
    if found not in allowed:
        raise StepFailed(f"`{name}` must be one of {', '.join(allowed)} (not {found[:40]!r})")
    return found


@contextmanager
def remote(what: str) -> Iterator[None]:
    """Run calls to a target; their failures become one `StepFailed` line naming `what`."""
    try:
        yield
    except StepFailed:
        raise
    except UnclearWrite as error:
        raise StepFailed(f"{what}: the outcome is unknown ({error}); run the step again") from None
    except (TargetError, OpskitError) as error:
        raise StepFailed(f"{what}: {error}") from None


def attempt(what: str, call: Callable[[], T]) -> T:
    with remote(what):
        return call()


def earlier(ctx: StepContext, match: Callable[[Mapping[str, Any]], bool]) -> list[str]:
    """The ids of earlier steps (in the order the run recorded them) whose outputs match."""
    return [step for step, out in ctx.outputs.items() if step != ctx.step_id and match(out)]


def outputs_of(ctx: StepContext, step: str) -> Mapping[str, Any]:
    found = ctx.outputs.get(step)
    if found is None:
        raise StepFailed(f"no outputs of step {step!r} in this run (has it run yet?)")
    return found
