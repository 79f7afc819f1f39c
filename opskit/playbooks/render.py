"""Templates in step values: Jinja2, sandboxed, undefined names are errors.

Every string in a step's values is rendered with `inputs` (the run's inputs) and `steps`
(earlier steps' outputs). Step ids have dashes, so `steps["open-incident"].key` works and
so does `steps.open_incident.key` (dashes read as underscores). A `when` is an
expression (`inputs.region == "eu"`, with or without `{{ }}`) and decides whether the
step runs.

A template that fails (an unknown name, a syntax error, output over 64 KiB) is a
`TemplateProblem` naming the step and the key, never a traceback. For --dry-run, outputs
of steps that have not run are `Pending` values that render as `<steps.id.key>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

MAX_RENDERED = 64 * 1024


class TemplateProblem(Exception):
    """A template of a step that cannot be rendered (the message is the line)."""


class StepOutputs(dict[str, Any]):
    """Outputs by step id, also found with underscores for dashes (`steps.open_incident`)."""

    def __getitem__(self, key: str) -> Any:
        if not dict.__contains__(self, key):
            dashed = key.replace("_", "-")
            if dict.__contains__(self, dashed):
                return dict.__getitem__(self, dashed)
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or (
            isinstance(key, str) and dict.__contains__(self, key.replace("_", "-"))
        )


class Pending:
    """An output not known yet (--dry-run): renders as its own name."""

    def __init__(self, path: str) -> None:
        self._path = path

    def __getattr__(self, name: str) -> Pending:
        if name.startswith("_"):
            raise AttributeError(name)
        return Pending(f"{self._path}.{name}")

    def __getitem__(self, name: object) -> Pending:
        return Pending(f"{self._path}.{name}")

    def __str__(self) -> str:
        return f"<{self._path}>"

    def __bool__(self) -> bool:
        return True


class PendingOutputs(StepOutputs):
    def __getitem__(self, key: str) -> Any:
        try:
            return super().__getitem__(key)
        except KeyError:
            return Pending(f"steps.{key}")

    def __contains__(self, key: object) -> bool:
        return True


class _Environment(SandboxedEnvironment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        # steps.open_incident and outputs' keys are dictionary keys: look there first
        if isinstance(obj, Mapping) and not attribute.startswith("_"):
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


_ENV = _Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)


def context(
    inputs: Mapping[str, Any], outputs: Mapping[str, Any], *, dry_run: bool = False
) -> dict[str, Any]:
    steps = PendingOutputs(outputs) if dry_run else StepOutputs(outputs)
    return {"inputs": dict(inputs), "steps": steps}


def render_value(value: Any, names: Mapping[str, Any], where: str) -> Any:
    """A step's value with every string rendered (mappings and lists recursively)."""
    if isinstance(value, str):
        return render_string(value, names, where)
    if isinstance(value, list):
        return [render_value(v, names, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: render_value(v, names, f"{where}.{k}") for k, v in value.items()}
    return value


def render_string(text: str, names: Mapping[str, Any], where: str) -> str:
    if "{" not in text:
        return text
    try:
        rendered = _ENV.from_string(text).render(names)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(f"{where}: template syntax error: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise TemplateProblem(f"{where}: {error.message}") from None
    except jinja2.exceptions.SecurityError as error:
        raise TemplateProblem(f"{where}: not allowed in a template: {error}") from None
    except Exception as error:  # a filter's error in a template: one line
        raise TemplateProblem(f"{where}: {type(error).__name__}: {error}") from None
    if len(rendered) > MAX_RENDERED:
        raise TemplateProblem(f"{where}: renders to more than {MAX_RENDERED // 1024} KiB")
    return rendered


def evaluate(expression: Any, names: Mapping[str, Any], where: str) -> bool:
    """Whether a `when` holds (a boolean stays a boolean)."""
    if isinstance(expression, bool):
        return expression
    text = str(expression).strip()
    if text.startswith("{{") and text.endswith("}}"):
        text = text[2:-2].strip()
    try:
        return bool(_ENV.compile_expression(text, undefined_to_none=False)(**names))
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(f"{where}: syntax error: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise TemplateProblem(f"{where}: {error.message}") from None
    except Exception as error:
        raise TemplateProblem(f"{where}: {type(error).__name__}: {error}") from None
