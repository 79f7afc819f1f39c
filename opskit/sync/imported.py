"""What an import found: policy documents to write, the objects to adopt, and what it could not do."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


def slug(text: str) -> str:
    """A target's name as a policy name: what is not a name character becomes '-'."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return name[:64] or "unnamed"


@dataclass(slots=True)
class Imported:
    """An import's findings: policy documents by file, objects adopted, what it could not do."""

    documents: dict[str, list[dict[str, Any]]] = field(
        default_factory=dict
    )  # file stem -> documents
    adopted: list[tuple[str, str, str]] = field(default_factory=list)  # type, name, id
    warnings: list[str] = field(default_factory=list)
    # Objects seen but not importable, and what to do about them instead.
    notices: list[str] = field(default_factory=list)

    def add(self, stem: str, document: dict[str, Any]) -> None:
        self.documents.setdefault(stem, []).append(document)
