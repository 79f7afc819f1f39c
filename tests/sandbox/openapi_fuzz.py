"""Hypothesis strategies for request bodies, built from the vendors' OpenAPI documents.

``SpecRoutes`` finds, for each route the sandbox serves, the operation of its vendor document
and that operation's JSON request schema. ``values(schema)`` draws bodies that follow the
schema (OpenAPI 3.0 flavoured JSON Schema: ``$ref``, ``allOf``/``oneOf``/``anyOf``,
``nullable``, ``enum``), ``mutated(...)`` breaks them the ways hostile clients do (wrong types,
missing fields, huge strings and numbers, deep nesting), and ``raw_bodies()`` gives bytes that
are not JSON at all or not the JSON parsers accept.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from opskit.sandbox.contract import SPECS
from opskit.sandbox.errors import family_for_path

Json = Any
Path_ = tuple[str | int, ...]

MAX_DEPTH = 5  # schema nesting followed before values are cut short with a scalar


class SpecRoutes:
    def __init__(self, spec_dir: Path) -> None:
        self.docs = {
            api: json.loads((spec_dir / name).read_text()) for api, (name, _) in SPECS.items()
        }

    def operation(self, method: str, rule: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(document, operation) for a Flask rule such as ``/teams/<tid>``, or None."""
        api = family_for_path(rule)
        if api not in self.docs:
            return None
        doc = self.docs[api]
        path = rule
        if api == "jira":
            path = re.sub(r"^/rest/api/(2|latest)/", "/rest/api/3/", path)
        if api == "events":
            path = path.removeprefix("/v2")
        wanted = re.sub(r"<(?:\w+:)?\w+>", "{}", path).strip("/").split("/")
        for template, ops in doc["paths"].items():
            parts = template.strip("/").split("/")
            if len(parts) == len(wanted) and all(
                w == p or (w == "{}" and p.startswith("{"))
                for w, p in zip(wanted, parts, strict=True)
            ):
                op = ops.get(method.lower())
                return (doc, op) if isinstance(op, dict) else None
        return None

    def request_schema(self, method: str, rule: str) -> tuple[dict[str, Any], Json] | None:
        """(document, JSON request schema) of a route, or None when it takes no JSON body."""
        found = self.operation(method, rule)
        if found is None:
            return None
        doc, op = found
        body = resolve(doc, op.get("requestBody") or {})
        media = (body.get("content") or {}).get("application/json")
        if not isinstance(media, dict):
            return None
        return doc, media.get("schema", {})


def resolve(doc: dict[str, Any], node: Json) -> Json:
    """Follow ``$ref`` (local JSON pointers) until a schema that is not a reference."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 50:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            target = target[int(key)] if isinstance(target, list) else target[key]
        node = target
        seen += 1
    return node


# Strings that reach past the first checks of the handlers (real ids, types, times, zones).
def string_pool(ids: Sequence[str]) -> st.SearchStrategy[str]:
    known = [
        *ids,
        "user_reference",
        "schedule_reference",
        "team_reference",
        "escalation_policy_reference",
        "service_reference",
        "user",
        "service",
        "incident",
        "schedule",
        "team",
        "escalation_policy",
        "override",
        "2026-03-02T10:00:00Z",
        "2026-03-09T10:00:00+01:00",
        "09:00:00",
        "17:00:00",
        "Europe/Berlin",
        "UTC",
        "anna@northwind.example",
        "SUP",
        "SUP-1",
        "10000",
        "1",
        "high",
        "low",
        "constant",
        "use_support_hours",
        "trigger",
        "resolve",
        "project = SUP",
        "",
    ]
    return st.one_of(st.sampled_from(known), st.text(max_size=24))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=16),
)

arbitrary_json: st.SearchStrategy[Json] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def values(
    doc: dict[str, Any], schema: Json, strings: st.SearchStrategy[str], depth: int = 0
) -> st.SearchStrategy[Json]:
    """Values that follow ``schema`` (loosely where it is vague)."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return scalars
    base = _values(doc, schema, strings, depth)
    if schema.get("nullable"):
        return st.one_of(st.none(), base)
    return base


def _values(
    doc: dict[str, Any], schema: dict[str, Any], strings: st.SearchStrategy[str], depth: int
) -> st.SearchStrategy[Json]:
    if schema.get("enum"):
        return st.sampled_from(schema["enum"])
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return st.one_of([values(doc, s, strings, depth + 1) for s in schema[key]])
    if schema.get("allOf"):
        return values(doc, _merge(doc, schema), strings, depth)
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties") or {}
        required = [k for k in schema.get("required", []) if k in props]
        optional = [k for k in props if k not in required]
        return st.fixed_dictionaries(
            {k: values(doc, props[k], strings, depth + 1) for k in required},
            optional={k: values(doc, props[k], strings, depth + 1) for k in optional},
        )
    if kind == "array":
        return st.lists(values(doc, schema.get("items", {}), strings, depth + 1), max_size=3)
    if kind == "string":
        return strings
    if kind == "integer":
        lo, hi = schema.get("minimum"), schema.get("maximum")
        return st.integers(
            min_value=int(lo) if isinstance(lo, int | float) else -(10**6),
            max_value=int(hi) if isinstance(hi, int | float) else 10**6,
        )
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)
    if kind == "boolean":
        return st.booleans()
    return arbitrary_json


def _merge(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """One object schema for an ``allOf`` (properties and required lists joined)."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    props: dict[str, Any] = dict(merged.get("properties") or {})
    required: list[str] = list(merged.get("required") or [])
    for part in schema["allOf"]:
        part = resolve(doc, part)
        if not isinstance(part, dict):
            continue
        if part.get("allOf"):
            part = _merge(doc, part)
        props.update(part.get("properties") or {})
        required += part.get("required") or []
        for key in ("type", "enum", "items", "oneOf", "anyOf"):
            if key in part and key not in merged:
                merged[key] = part[key]
    if props:
        merged["properties"] = props
        merged.setdefault("type", "object")
    merged["required"] = list(dict.fromkeys(required))
    return merged


def _paths(value: Json, here: Path_ = ()) -> list[Path_]:
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*here, index))
    return found


def _replace(value: Json, path: Path_, new: Json) -> Json:
    if not path:
        return new
    parent = value
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = new
    return value


huge = st.one_of(
    st.integers(min_value=1_000, max_value=300_000).map(lambda n: "x" * n),
    st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**30, -(10**300), 10**4000, 1e308, -1e-308]),
)


def _nest(value: Json, depth: int) -> Json:
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[Json]) -> Json:
    """A value of ``base`` broken in one to three places."""
    value = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(value)))
        action = draw(st.sampled_from(["retype", "drop", "huge", "nest", "empty"]))
        if action == "drop" and path:
            parent = value
            for part in path[:-1]:
                parent = parent[part]
            if isinstance(parent, dict):
                del parent[path[-1]]
                continue
        if action == "huge":
            value = _replace(value, path, draw(huge))
        elif action == "nest":
            value = _replace(value, path, _nest(None, draw(st.integers(10, 150))))
        elif action == "empty":
            value = _replace(value, path, draw(st.sampled_from([{}, [], "", 0, None])))
        else:
            value = _replace(value, path, draw(arbitrary_json))
    return value


def encode(value: Json) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


# Bytes the services' parsers refuse, or that only a lax one (like Python's) takes.
_NOT_JSON = [
    b"{",
    b"[1, 2",
    b'{"a": 1,}',
    b"{'a': 1}",
    b"NaN",
    b'{"a": NaN}',
    b"[Infinity]",
    b'{"a": -Infinity}',
    b"[1e999]",
    b"\xef\xbb\xbf{}",
    b"\xff\xfe{\x00}\x00",
    b'{"a": "\xc3"}',
    b'{"a": "\\ud800"}',
    b"{}{}",
    b"[" * 150 + b"]" * 150,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
    b"[" * 100_000,
    b"1" * 5000,
    b'{"a": ' + b"9" * 4400 + b"}",
    b"\x00",
    b"null",
    b"true",
    b'"text"',
    b"[]",
    b"0",
]


def raw_bodies(valid: st.SearchStrategy[Json] | None = None) -> st.SearchStrategy[bytes]:
    """Bodies that are not JSON a service would take: cut short, binary, or lax-only."""
    options: list[st.SearchStrategy[bytes]] = [st.sampled_from(_NOT_JSON), st.binary(max_size=64)]
    if valid is not None:
        options.append(
            st.tuples(valid.map(encode), st.integers(min_value=0)).map(
                lambda t: t[0][: t[1] % max(1, len(t[0]))]
            )
        )
    return st.one_of(options)


CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/octet-stream",
    "",
]
