"""The JSON Schemas, found in the installed package or the source tree, and their use.

Valid documents (the common case) are checked by compiled validators; jsonschema
is loaded only to explain the ones that fail. Each published file also embeds the
schemas it refers to, for validators and editors (see schema_publish); opskit reads
every file itself, so it sets those copies aside.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from opskit import __version__
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import Document
from opskit.policy.schema_failures import SchemaFailure

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
    "PolicyTest": "policytest.schema.json",
}
CONFIG_SCHEMA = "opskit.schema.json"
# The repository's own address for the files at this release's tag: a URL space the
# project controls, that serves exactly these bytes once the release is tagged.
ID_BASE = f"https://raw.githubusercontent.com/opskit/opskit/v{__version__}/schemas/"
SOURCE_TREE = Path(__file__).resolve().parents[2] / "schemas"
_PACKAGED = Path(__file__).resolve().parents[1] / "schemas"


def schema_dir() -> Path:
    """Wheels carry the schemas as opskit/schemas; a source checkout has them at the root."""
    return _PACKAGED if _PACKAGED.is_dir() else SOURCE_TREE


def schema_id(filename: str) -> str:
    return ID_BASE + filename


def _embedded(key: str) -> bool:
    # Copies of other schemas are filed under their $id; definitions under plain names.
    return "://" in key


def resource(schema: dict[str, Any]) -> dict[str, Any]:
    """A published file's own schema, without the copies of other schemas embedded in it."""
    defs = schema.get("$defs")
    if not isinstance(defs, dict) or not any(_embedded(key) for key in defs):
        return schema
    own = {key: value for key, value in defs.items() if not _embedded(key)}
    result = dict(schema)
    if own:
        result["$defs"] = own
    else:
        del result["$defs"]
    return result


@functools.cache
def by_file() -> dict[str, dict[str, Any]]:
    return {
        path.name: resource(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(schema_dir().glob("*.schema.json"))
    }


def inline(node: Any, files: dict[str, dict[str, Any]], base: str) -> Any:
    """Replace references to definitions by their content.

    The files keep $ref (one definition, shown by editors); in memory, following a
    reference costs more than checking the value, and ours are never recursive.
    """
    if isinstance(node, list):
        return [inline(item, files, base) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and "#/$defs/" in ref:
        filename, _, pointer = ref.partition("#/$defs/")
        filename = filename.rsplit("/", 1)[-1] or base  # relative, or under ID_BASE
        target = inline(files[filename]["$defs"][pointer], files, filename)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if set(siblings) <= {"description", "title"}:
            return {**target, **siblings}
        return {"allOf": [target], **inline(siblings, files, base)}
    return {key: inline(value, files, base) for key, value in node.items()}


def inlined(filename: str) -> dict[str, Any]:
    files = by_file()
    result: dict[str, Any] = inline(files[filename], files, filename)
    return result


def suggest(word: str, choices: Any) -> str:
    import difflib  # only a run with a misspelling needs it

    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@functools.cache  # check runs for every document: no import statement each time
def fast(filename: str) -> Callable[[Any], Any]:
    from opskit.policy.schema_cache import validator

    return validator(filename)


def check(document: Document, filename: str, diagnostics: Diagnostics) -> bool:
    """Validate `document` against a schema; True when it passed."""
    try:
        fast(filename)(document.data)
    except SchemaFailure:
        from opskit.policy.schema_errors import explain

        return not explain(document, filename, diagnostics)
    return True
