"""Playbooks for the handbook: each one's steps as written, and where it lives."""

from __future__ import annotations

import shlex
from typing import Any

from opskit.docs.inputs import SiteInput, source_path
from opskit.policy.model import Playbook

SHOWN_FIRST = ("id", "kind", "title")
MAX_DEPTH = 3


def value_text(value: Any, depth: int = 0) -> Any:
    """Step fields for display: scalars as text, lists and mappings kept (bounded in depth)."""
    if depth >= MAX_DEPTH:
        return str(value)
    if isinstance(value, dict):
        return {str(k): value_text(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [value_text(v, depth + 1) for v in value]
    return "" if value is None else str(value)


def step_view(step: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    fields: list[tuple[str, Any]] = []
    branches: list[tuple[str, str, bool]] = []  # (option, step id, known)
    for key, value in step.items():
        if key in SHOWN_FIRST:
            continue
        if key == "argv" and isinstance(value, list):
            fields.append((key, shlex.join(str(v) for v in value)))
        elif key == "options" and isinstance(value, dict):
            branches = [(str(k), str(v), str(v) in ids) for k, v in value.items()]
        else:
            fields.append((key, value_text(value)))
    return {"id": str(step.get("id", "")), "kind": str(step.get("kind", "")),
            "title": str(step.get("title") or step.get("question") or step.get("id", "")),
            "fields": fields, "branches": branches}  # fmt: skip


def playbook_view(site: SiteInput, playbook: Playbook) -> dict[str, Any]:
    ids = {str(s.get("id")) for s in playbook.steps if isinstance(s, dict)}
    data = playbook.source.data if isinstance(playbook.source.data, dict) else {}
    description = data.get("description")
    return {
        "name": playbook.name,
        "title": playbook.title or playbook.name,
        "description": description if isinstance(description, str) else "",
        "services": [s.name for s in playbook.services],
        "priorities": [p.name for p in playbook.priorities],
        "source": source_path(site.root, playbook.source.document.file
                              or playbook.source.document.path),
        "steps": [step_view(s, ids) for s in playbook.steps if isinstance(s, dict)],
    }  # fmt: skip


def playbooks(site: SiteInput) -> list[dict[str, Any]]:
    return [playbook_view(site, p) for p in sorted(site.policy.playbooks.values(),
                                                   key=lambda p: p.name)]  # fmt: skip
