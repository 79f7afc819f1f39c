"""Jira's two error shapes become one readable line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from opskit.providers.jira.errors import error_text


class Answer:
    def __init__(self, body: str) -> None:
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ('{"errorMessages": ["Project is archived."], "errors": {}}', "Project is archived."),
        (
            '{"errorMessages": [], "errors": {"name": "Taken.", "assigneeType": "Bad."}}',
            "assigneeType: Bad.; name: Taken.",
        ),
        (
            '{"errorMessage": "An organization with name \'X\' already exists.", "i18nErrorMessage": {}}',
            "An organization with name 'X' already exists.",
        ),
        ("<html>Bad gateway</html>", "unexpected answer"),
        ("[]", "unexpected answer"),
        ('{"errorMessages": [], "errors": {}}', "error"),
    ],
)
def test_error_text(body: str, text: str) -> None:
    assert error_text(Answer(body)) == text
