"""What every kind's builder shares: resolving references by name and parsing values,
reporting each failure as a diagnostic instead of raising, so one run finds them all."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from opskit.policy import model as m
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import PathKey
from opskit.policy.schemas import suggest
from opskit.policy.values import Duration, parse_duration, zone

T = TypeVar("T")
V = TypeVar("V")
# Every kind, in the words a ref-unknown message uses for it.
LABELS = {
    "Calendar": "calendar", "Person": "person", "Team": "team", "Priority": "priority",
    "SlaTier": "SLA tier", "Customer": "customer", "Rotation": "rotation",
    "EscalationLadder": "escalation ladder", "Service": "service", "Playbook": "playbook",
    "PolicyTest": "policy test",
}  # fmt: skip


class Builder:
    def __init__(self, diagnostics: Diagnostics, known: Mapping[str, set[str]]) -> None:
        self.diagnostics, self.known, self.policy = diagnostics, known, m.Policy()

    def ref(
        self,
        table: Mapping[str, T],
        kind: str,
        name: str,
        source: m.Source,
        *path: PathKey,
    ) -> T | None:
        found = table.get(name)
        if found is None and name not in self.known.get(kind, ()):
            hint = suggest(name, self.known.get(kind, ()))
            owner = f"{source.data['kind']} {source.data['name']!r}"
            self.diagnostics.add(
                source.at(*path),
                "ref-unknown",
                f"{owner} refers to unknown {LABELS[kind]} {name!r}{hint}",
            )
        return found

    def refs(
        self, table: Mapping[str, T], kind: str, names: list[str], source: m.Source, *path: PathKey
    ) -> list[T]:
        found = (self.ref(table, kind, n, source, *path, i) for i, n in enumerate(names))
        return [f for f in found if f is not None]

    def calendar(self, name: str, source: m.Source, *path: PathKey) -> m.Calendar | None:
        if name == m.ALWAYS_OPEN:
            return m.TWENTY_FOUR_SEVEN
        return self.ref(self.policy.calendars, "Calendar", name, source, *path)

    def value(
        self, parse: Callable[[str], V], rule: str, text: str, source: m.Source, *path: PathKey
    ) -> V | None:
        try:
            return parse(text)
        except ValueError as error:
            self.diagnostics.add(source.at(*path), rule, str(error))
            return None

    def duration(
        self, data: Mapping[str, Any], key: str, source: m.Source, *path: PathKey,
        at_least_seconds: int = 0,
    ) -> Duration | None:  # fmt: skip
        text = data.get(key)
        if text is None:
            return None

        def parse(written: str) -> Duration:
            return parse_duration(written, at_least_seconds=at_least_seconds)

        return self.value(parse, "duration-invalid", text, source, *path, key)

    def timezone(self, text: str, source: m.Source, *path: PathKey) -> bool:
        return self.value(zone, "timezone-invalid", text, source, *path) is not None
