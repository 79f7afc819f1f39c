"""What a check sees and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from opskit.policy.diagnostics import Position
from opskit.policy.model import Policy


class Finding(NamedTuple):
    position: Position
    message: str


@dataclass(slots=True)
class Context:
    """What a check sees: the built policy and validate's settings (horizon, night, now)."""

    policy: Policy
    settings: dict[str, Any] = field(default_factory=dict)
