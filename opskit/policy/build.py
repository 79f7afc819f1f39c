"""Build the typed model from schema-valid documents, resolving every reference.

Each kind's builder lives in `opskit.policy.builders`; this module only decides the
order they run in, which is what lets a builder look up what it refers to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from opskit.policy import model as m
from opskit.policy.builders.base import LABELS, Builder
from opskit.policy.builders.calendars import build_calendar
from opskit.policy.builders.ladders import build_ladder
from opskit.policy.builders.people import build_person, build_team
from opskit.policy.builders.rotations import build_rotation
from opskit.policy.builders.services import build_playbook, build_policy_test, build_service
from opskit.policy.builders.tiers import build_customer, build_priority, build_tier
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import Document


def build(
    documents: Iterable[tuple[str, Document]],
    diagnostics: Diagnostics,
    also_known: Iterable[tuple[str, Document]] = (),
) -> m.Policy:
    """Turn (kind, document) pairs that passed their schema into the model.

    `also_known` names documents that exist but are not built (they failed their
    schema): references to them are not reported again.
    """
    by_kind: dict[str, list[m.Source]] = {kind: [] for kind in LABELS}
    for kind, document in documents:
        by_kind[kind].append(m.Source(document))
    known = {kind: {s.data["name"] for s in sources} for kind, sources in by_kind.items()}
    for kind, document in also_known:
        known[kind].add(document.data["name"])
    builder = Builder(diagnostics, known)
    for kind, make in _STEPS:
        table: dict[str, Any] = getattr(builder.policy, _TABLES[kind])
        for source in by_kind[kind]:
            built = make(builder, source)
            if built is not None:
                table[built.name] = built
    return builder.policy


# Dependency order: a kind is built only after every kind it refers to (a service needs
# its ladder, a customer its services), so a reference is resolved against a full table.
_STEPS: list[tuple[str, Callable[[Builder, m.Source], Any]]] = [
    ("Calendar", build_calendar), ("Person", build_person), ("Team", build_team),
    ("Priority", build_priority), ("SlaTier", build_tier), ("Rotation", build_rotation),
    ("EscalationLadder", build_ladder), ("Service", build_service),
    ("Customer", build_customer), ("Playbook", build_playbook),
    ("PolicyTest", build_policy_test),
]  # fmt: skip
_TABLES = {
    "Calendar": "calendars", "Person": "people", "Team": "teams", "Priority": "priorities",
    "SlaTier": "tiers", "Rotation": "rotations", "EscalationLadder": "ladders",
    "Service": "services", "Customer": "customers", "Playbook": "playbooks",
    "PolicyTest": "tests",
}  # fmt: skip
