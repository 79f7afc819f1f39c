"""How a Priority reads in Jira's priority picker."""

from __future__ import annotations

import pytest

from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import load_text
from opskit.policy.validate import validate_documents
from opskit.providers.jira.desired import PRIORITY_TEXT, priority_text


def _priority(fields: str) -> str:
    text = f"kind: Priority\nname: High\nlevel: 2\nurgency: high\n{fields}"
    diagnostics = Diagnostics()
    result = validate_documents(load_text("p.yaml", text, diagnostics), diagnostics)
    assert not result.diagnostics.errors, result.diagnostics.items
    return priority_text(result.policy.priorities["High"])


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            "title: Major\ndescription: a function is degraded\n",
            "High Major: a function is degraded",
        ),
        ("title: High\ndescription: a function is degraded\n", "High: a function is degraded"),
        ("title: high\n", "High"),  # imported from a site whose description was its name
        ("title: Major\nexamples: [Exports fail]\n", "High Major\n- Exports fail"),
    ],
)
def test_name_title_and_definition_without_repeats(fields: str, expected: str) -> None:
    assert _priority(fields) == expected


def test_long_definitions_are_cut_to_what_jira_keeps() -> None:
    text = _priority(f"title: Major\ndescription: {'x' * 400}\n")
    assert len(text) == PRIORITY_TEXT and text.endswith("…")
