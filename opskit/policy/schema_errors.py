"""Explain why a document fails its schema, in words and at the right position."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from opskit.policy.diagnostics import Diagnostics, excerpt, printable
from opskit.policy.loader import Document
from opskit.policy.schemas import by_file, inlined, suggest


@functools.cache
def validator(filename: str) -> Draft202012Validator:
    files = by_file()
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in files.values()
    )
    return Draft202012Validator(inlined(filename), registry=registry)


@functools.cache
def _pattern_rules() -> dict[str, str]:
    defs = by_file()["common.schema.json"]["$defs"]
    rules = {"duration": "duration-invalid", "time": "time-invalid", "window": "time-invalid"}
    rules |= {"date": "date-invalid", "datetime": "date-invalid"}
    return {defs[name]["pattern"]: rule for name, rule in rules.items()}


ONE_LINE_TEXT = "^[^\u0000-\u001f\u007f]*$"  # the pattern of names and titles in prose
@functools.cache
def _pattern_hints() -> dict[str, str]:
    """Plain words for the patterns whose regex would say nothing to a reader."""
    defs = by_file()["common.schema.json"]["$defs"]
    hints = {"name": "use letters, digits, '.', '_' or '-' (64 at most), starting with a letter or digit",
             "email": "use one email address, such as ada@example.com",
             "color": "use a colour as #rrggbb, such as #d04437"}  # fmt: skip
    return {defs[name]["pattern"]: hint for name, hint in hints.items()}


_EXAMPLES = {
    "duration-invalid": "use a duration such as 15m, 4h, 1h30m, 2d, 1w or 2bd",
    "time-invalid": "use 24-hour HH:MM, e.g. 09:00 (windows as 09:00-17:30)",
    "date-invalid": "use YYYY-MM-DD (date-times as YYYY-MM-DDTHH:MM)",
}
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "object": "a mapping"}
_TYPE_NAMES |= {"array": "a list", "boolean": "true or false", "number": "a number"}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return excerpt(value)


def _where(path: tuple[Any, ...]) -> str:
    """A readable location such as steps[1].notify (zero-based, as in jq)."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else f".{step}" if out else str(step)
    return out or "document"


def _expand(error: ValidationError) -> Iterator[ValidationError]:
    """Replace 'not valid under any of the given schemas' with its most telling cause."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        best = best_match(error.context)
        if best is not None and best.validator != "type":
            yield from _expand(best)
            return
    yield error


def explain(document: Document, filename: str, diagnostics: Diagnostics) -> int:
    """Report every schema error of `document`; the number reported."""
    count = 0
    for raw in validator(filename).iter_errors(document.data):
        for error in _expand(raw):
            count += 1
            _report(document, error, diagnostics)
    return count


def _report(document: Document, error: ValidationError, diagnostics: Diagnostics) -> None:
    path = tuple(error.absolute_path)
    where = _where(path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, Mapping):
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        known = schema.get("properties", {})
        for key in error.instance:
            if key not in known:
                diagnostics.add(
                    document.at((*path, key), key=True),
                    "schema",
                    f"unknown key {key!r} in {where}{suggest(key, known)}",
                )
        return
    if kind == "required":
        missing = error.message.split("'")[1]
        diagnostics.add(document.at(path), "schema", f"{where} is missing required key {missing!r}")
        return
    if kind == "pattern":
        rule = _pattern_rules().get(str(error.validator_value), "schema")
        # every pattern ends in `$(?!\n)`: Python's `$` would also match before a final newline
        shown = str(error.validator_value).removesuffix("(?!\n)")
        if shown == ONE_LINE_TEXT:
            hint = "it must be one line of text, without control characters"
        else:
            hint = _EXAMPLES.get(rule) or _pattern_hints().get(
                str(error.validator_value), f"it must match {printable(shown)}, on one line"
            )
        message = f"{_describe(error.instance)} is not valid for {where}: {hint}"
        diagnostics.add(document.at(path), rule, message)
        return
    if kind == "type":
        wanted: Any = error.validator_value
        names = wanted if isinstance(wanted, list) else [wanted]
        expected = " or ".join(_TYPE_NAMES.get(n, str(n)) for n in names)
        message = f"{where} must be {expected}, not {_describe(error.instance)}"
        diagnostics.add(document.at(path), "schema", message)
        return
    if kind in ("enum", "const"):
        allowed: Any = error.validator_value if kind == "enum" else [error.validator_value]
        choices = ", ".join(repr(a) for a in allowed)
        hint = suggest(str(error.instance), allowed) if isinstance(error.instance, str) else ""
        message = f"{_describe(error.instance)} is not allowed for {where} (one of {choices}){hint}"
        diagnostics.add(document.at(path), "schema", message)
        return
    if kind in _BOUNDS:
        message = f"{where} {_BOUNDS[kind](error.instance, error.validator_value)}"
        diagnostics.add(document.at(path), "schema", message)
        return
    diagnostics.add(document.at(path), "schema", f"{where}: {printable(error.message)}")


# Limits are stated with the size found, never by quoting the value: a long value may be a
# secret pasted by mistake, and a long list fills the screen.
_BOUNDS: dict[str, Callable[[Any, Any], str]] = {
    "maxLength": lambda v, n: f"has {len(v):,} characters; at most {n:,} are allowed",
    "minLength": lambda v, n: f"has {len(v):,} characters; at least {n:,} are needed",
    "maxItems": lambda v, n: f"has {len(v):,} items; at most {n:,} are allowed",
    "minItems": lambda v, n: f"has {len(v):,} items; at least {n:,} are needed",
    "maximum": lambda v, n: f"is {excerpt(v)}; at most {n} is allowed",
    "minimum": lambda v, n: f"is {excerpt(v)}; at least {n} is needed",
}
