"""The loader and validation never raise: any input becomes diagnostics."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import load_text
from opskit.policy.schemas import KINDS
from opskit.policy.validate import validate_documents
from opskit.policy.yaml_nodes import compose

VALID = Path(__file__).resolve().parents[1] / "data" / "valid"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def validate_text(text: str) -> Diagnostics:
    diagnostics = Diagnostics()
    documents = load_text("fuzz.yaml", text, diagnostics)
    validate_documents(documents, diagnostics)
    for problem in diagnostics.items:
        assert problem.position.path == "fuzz.yaml"
        assert problem.position.line >= 1 and problem.position.column >= 1
        assert problem.rule and problem.message
    return diagnostics


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    validate_text(text)


yaml_alphabet = st.sampled_from(
    [*list("abkind:name -[]{},\"'&*!|>#\n\t0123456789.@"), "---\n", "  "]
)


@FUZZ
@given(st.lists(yaml_alphabet, max_size=120).map("".join))
def test_yaml_punctuation_soup(text: str) -> None:
    validate_text(text)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 100),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        ["24x7", "15m", "4h", "2bd", "09:00", "09:00-17:00", "2026-12-24", "P1", "UTC", "alice"]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(
    st.sampled_from(sorted(KINDS)), st.dictionaries(st.text(max_size=10), json_values, max_size=6)
)
def test_documents_of_every_kind_with_random_fields(kind: str, fields: dict[str, Any]) -> None:
    document = {"kind": kind, "name": "x", **fields}
    validate_text(yaml.safe_dump(document))


def _valid_documents() -> list[list[Any]]:
    sets = []
    for path in sorted(VALID.glob("*.yaml")):
        diagnostics = Diagnostics()
        documents = load_text(path.name, path.read_text(encoding="utf-8"), diagnostics)
        if not diagnostics.items:  # the acceptance tests speak for files that do not load
            sets.append([d.data for d in documents])
    return sets


VALID_SETS = _valid_documents()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@FUZZ
@given(st.data())
def test_mutated_valid_policies(data: st.DataObject) -> None:
    """Start from a valid policy set and break one value: deep checks see near-valid input."""
    if not VALID_SETS:
        return
    documents = copy.deepcopy(data.draw(st.sampled_from(VALID_SETS)))
    index = data.draw(st.integers(0, len(documents) - 1))
    path = data.draw(st.sampled_from(_paths(documents[index])[1:] or [("name",)]))
    replacement = data.draw(json_values)
    target = documents[index]
    for step in path[:-1]:
        target = target[step]
    if data.draw(st.booleans()) and isinstance(target, dict):
        target.pop(path[-1], None)
    else:
        target[path[-1]] = replacement
    validate_text(yaml.safe_dump_all(documents))


@FUZZ
@given(
    st.sampled_from(sorted(KINDS)),
    st.dictionaries(
        st.sampled_from(
            [
                "name",
                "timezone",
                "email",
                "members",
                "steps",
                "targets",
                "calendar",
                "layers",
                "start",
                "urgency",
                "level",
                "title",
                "tier",
                "team",
                "ladder",
                "working_hours",
                "repeat",
                "contacts",
            ]
        ),
        json_values,
        max_size=8,
    ),
)
def test_compiled_fast_path_agrees_with_jsonschema(kind: str, fields: dict[str, Any]) -> None:
    """The compiled check only decides 'valid'; it must never disagree with jsonschema."""
    from opskit.policy import schema_errors, schemas

    document = {"kind": kind, **fields}
    filename = schemas.KINDS[kind]
    try:
        schemas.fast(filename)(document)
        fast_ok = True
    except Exception:
        fast_ok = False
    assert fast_ok == schema_errors.validator(filename).is_valid(document)


def _loaded(documents: list[Any], diagnostics: Diagnostics) -> tuple[Any, ...]:
    found = [(d.index, d.data, d.origin, [(n.start_mark.line, n.start_mark.column)
                                         for n in _walk(d.node)]) for d in documents]  # fmt: skip
    problems = [(p.position, p.rule, p.message, p.level) for p in diagnostics.items]
    return found, problems


def _walk(node: yaml.Node | None) -> list[yaml.Node]:
    if node is None:
        return []
    if isinstance(node, yaml.ScalarNode):
        return [node]
    pairs = node.value if isinstance(node, yaml.MappingNode) else [(n,) for n in node.value]
    return [node, *(m for pair in pairs for n in pair for m in _walk(n))]


@FUZZ
@given(
    st.lists(yaml_alphabet | st.sampled_from(["é", "\u2028", "\x85", "\x01", "\ufeff", "\x7f"]),
             max_size=120).map("".join),
    st.booleans(),
)  # fmt: skip
def test_bytes_parse_as_their_text_does(text: str, bom: bool) -> None:
    """A file's bytes go to libyaml as they are: the documents, every node's position and
    every problem are what the decoded text gives."""
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    from_bytes = Diagnostics()
    documents = compose("f.yaml", raw, from_bytes)
    from_text = Diagnostics()
    expected = compose("f.yaml", raw.decode("utf-8-sig"), from_text)
    assert _loaded(documents, from_bytes) == _loaded(expected, from_text)
