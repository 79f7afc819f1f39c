"""The JSON Schemas, found in the installed package or the source tree, and their use."""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import Document

KINDS: dict[str, str] = {
    "Calendar": "calendar.schema.json",
    "Person": "person.schema.json",
    "Team": "team.schema.json",
    "Priority": "priority.schema.json",
    "SlaTier": "slatier.schema.json",
    "Customer": "customer.schema.json",
    "Rotation": "rotation.schema.json",
    "EscalationLadder": "escalationladder.schema.json",
    "Service": "service.schema.json",
    "Playbook": "playbook.schema.json",
}
CONFIG_SCHEMA = "opskit.schema.json"
_SOURCE_TREE = Path(__file__).resolve().parents[2] / "schemas"
_PACKAGED = Path(__file__).resolve().parents[1] / "schemas"


def schema_dir() -> Path:
    """Wheels carry the schemas as opskit/schemas; a source checkout has them at the root."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE_TREE


@functools.cache
def _loaded() -> tuple[Registry[Any], dict[str, dict[str, Any]]]:
    by_file: dict[str, dict[str, Any]] = {}
    for path in sorted(schema_dir().glob("*.schema.json")):
        by_file[path.name] = json.loads(path.read_text(encoding="utf-8"))
    resources = [(s["$id"], Resource.from_contents(s)) for s in by_file.values()]
    return Registry().with_resources(resources), by_file


def _inline(node: Any, by_file: dict[str, dict[str, Any]], base: str) -> Any:
    """Replace references to definitions by their content.

    The files keep $ref (one definition, shown by editors); in memory, following a
    reference costs more than checking the value, and ours are never recursive.
    """
    if isinstance(node, list):
        return [_inline(item, by_file, base) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and "#/$defs/" in ref:
        filename, _, pointer = ref.partition("#/$defs/")
        filename = filename or base
        target = _inline(by_file[filename]["$defs"][pointer], by_file, filename)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if set(siblings) <= {"description", "title"}:
            return {**target, **siblings}
        return {"allOf": [target], **_inline(siblings, by_file, base)}
    return {key: _inline(value, by_file, base) for key, value in node.items()}


@functools.cache
def validator(filename: str) -> Draft202012Validator:
    registry, by_file = _loaded()
    return Draft202012Validator(_inline(by_file[filename], by_file, filename), registry=registry)


@functools.cache
def _pattern_rules() -> dict[str, str]:
    defs = _loaded()[1]["common.schema.json"]["$defs"]
    rules = {"duration": "duration-invalid", "time": "time-invalid", "window": "time-invalid"}
    rules |= {"date": "date-invalid", "datetime": "date-invalid"}
    return {defs[name]["pattern"]: rule for name, rule in rules.items()}


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
    return repr(value)


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


def suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@functools.cache
def _fast(filename: str) -> Callable[[Any], Any]:
    """A compiled validator for the common case: a valid document.

    Once inlined, our schemas use only keywords draft-07 already had, so the
    compiled draft-07 check agrees with jsonschema on validity; jsonschema then
    explains the failures.
    """
    by_file = _loaded()[1]
    inlined = _inline(by_file[filename], by_file, filename)
    inlined["$schema"] = "http://json-schema.org/draft-07/schema#"
    compiled: Callable[[Any], Any] = fastjsonschema.compile(inlined)
    return compiled


def check(document: Document, filename: str, diagnostics: Diagnostics) -> bool:
    """Validate `document` against a schema; True when it passed."""
    try:
        _fast(filename)(document.data)
    except fastjsonschema.JsonSchemaException:
        pass
    else:
        return True
    ok = True
    for raw in validator(filename).iter_errors(document.data):
        for error in _expand(raw):
            ok = False
            _report(document, error, diagnostics)
    return ok


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
        hint = _EXAMPLES.get(rule, f"it must match {error.validator_value}")
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
    diagnostics.add(document.at(path), "schema", f"{where}: {error.message}")
