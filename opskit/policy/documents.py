"""Sort loaded documents by kind, rejecting what is not a policy document."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opskit.policy.diagnostics import Diagnostics, excerpt
from opskit.policy.loader import Document
from opskit.policy.schemas import KINDS, suggest


@dataclass(frozen=True, slots=True)
class Checked:
    """A document sorted by kind and checked against its schema."""

    kind: str
    document: Document
    schema_ok: bool


def classify(documents: Iterable[Document], diagnostics: Diagnostics) -> list[tuple[str, Document]]:
    kept: list[tuple[str, Document]] = []
    empty: list[Document] = []  # a run of empty documents in one file is one problem
    for document in documents:
        data = document.data
        if empty and (data is not None or document.path != empty[0].path):
            _report_empty(empty, diagnostics)
        if data is None:
            empty.append(document)
        elif not isinstance(data, dict):
            # never the value: a file holding one line, a token say, is not quoted back
            what = "a list" if isinstance(data, list) else f"a single {_kind_of_value(data)}"
            diagnostics.add(
                document.position,
                "document-not-mapping",
                f"a policy document is a mapping with a kind, not {what}",
            )
        elif "kind" not in data:
            diagnostics.add(
                document.position,
                "kind-missing",
                f"document has no 'kind' (one of {', '.join(KINDS)})",
            )
        elif not isinstance(data["kind"], str) or data["kind"] not in KINDS:
            kind = data["kind"]
            hint = suggest(kind, KINDS) if isinstance(kind, str) else ""
            diagnostics.add(document.at(("kind",)), "kind-unknown", f"unknown kind {excerpt(kind)}{hint}")
        else:
            kept.append((data["kind"], document))
    if empty:
        _report_empty(empty, diagnostics)
    return kept


def _report_empty(run: list[Document], diagnostics: Diagnostics) -> None:
    count = f"{len(run):,} empty documents in a row" if len(run) > 1 else "empty document"
    diagnostics.add(run[0].position, "document-empty", f"{count}; remove the extra '---'")
    run.clear()


def _kind_of_value(value: object) -> str:
    if isinstance(value, bool):
        return "true/false value"
    if isinstance(value, int | float):
        return "number"
    return "value" if not isinstance(value, str) else "line of text"
