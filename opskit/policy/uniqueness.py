"""Names unique within a kind, emails unique among people."""

from __future__ import annotations

from collections.abc import Iterable

from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import Document


def first_of_each(
    documents: Iterable[tuple[str, Document]], diagnostics: Diagnostics
) -> list[tuple[str, Document]]:
    """Keep the first document of each (kind, name); report the rest."""
    seen: dict[tuple[str, str], Document] = {}
    emails: dict[str, Document] = {}
    kept = []
    for kind, document in documents:
        name = document.data["name"]
        first = seen.setdefault((kind, name), document)
        if first is not document:
            diagnostics.add(
                document.at(("name",)),
                "name-duplicate",
                f"{kind} {name!r} is already defined at {first.at(('name',))}",
            )
            continue
        email = document.data.get("email")
        if kind == "Person" and isinstance(email, str):
            email = email.lower()
            owner = emails.setdefault(email, document)
            if owner is not document:
                diagnostics.add(
                    document.at(("email",)),
                    "email-duplicate",
                    f"{email} is also the email of person {owner.data['name']!r} ({owner.at(('email',))})",
                )
        kept.append((kind, document))
    return kept
