"""Policy sets from YAML text, for tests."""

from __future__ import annotations

import datetime as dt

from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import load_text
from opskit.policy.model import Policy
from opskit.policy.validate import Result, validate_documents
from opskit.rules import validate_stages
from opskit.time import zones

PEOPLE = """\
kind: Person
name: ann
email: ann@example.org
timezone: Europe/Berlin
---
kind: Person
name: bob
email: bob@example.org
timezone: America/New_York
---
kind: Person
name: cat
email: cat@example.org
timezone: Australia/Sydney
---
kind: Person
name: dan
email: dan@example.org
timezone: UTC
---
"""


DELIVERABILITY = {
    "coverage-gap",
    "holiday-uncovered",
    "ladder-24x7-single-person",
    "double-booked",
    "second-person-late",
}


def validated(text: str, settings_now: dt.datetime | None = None) -> Result:
    diagnostics = Diagnostics()
    documents = load_text("test.yaml", text, diagnostics)
    return validate_documents(documents, diagnostics, stages=validate_stages(targets=False))


def policy(text: str, *, with_people: bool = True, allow: frozenset[str] = frozenset()) -> Policy:
    text = (PEOPLE + text if with_people else text).rstrip()
    result = validated(text.removesuffix("---"))
    errors = [
        f"{d.position}: {d.message} [{d.rule}]"
        for d in result.diagnostics.items
        if d.level == 2
        and d.rule not in DELIVERABILITY | allow  # those depend on the clock: tested apart
    ]
    assert not errors, errors
    return result.policy


def t(text: str, tz: str = "UTC") -> int:
    """An instant from 'YYYY-MM-DDTHH:MM' on the clock of `tz`."""
    naive = dt.datetime.fromisoformat(text)
    return zones.from_datetime(naive.replace(tzinfo=zones.get(tz).tz))
