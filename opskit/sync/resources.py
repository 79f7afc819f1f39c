"""Resources on both sides of a plan, compared by natural key, never by remote id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opskit.policy.diagnostics import Position

# A reference to another resource, resolved to its remote id only when applying,
# so a plan can create a schedule and the policy that pages it in one run.
Ref = tuple[str, str]  # (type, key)


@dataclass(frozen=True, slots=True)
class Desired:
    """An object as the policies want it in a target, by type and natural key."""

    type: str
    key: str
    fields: dict[str, Any]  # normalised: what the plan compares and shows
    source: Position | None = None
    # Extra values the provider needs to create or update (not compared).
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Live:
    """An object as a target has it, by type and natural key, with its remote id."""

    type: str
    key: str
    id: str
    fields: dict[str, Any]  # normalised the same way as Desired.fields
    managed: bool  # carries this workspace's ownership marker
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Warning:
    """Something a target cannot express (or, with `error`, cannot accept), at the policy that says it."""

    message: str
    source: Position | str | None = None
    error: bool = False


def ref_key(value: Any) -> Ref | None:
    """Fields hold references as {"$ref": [type, key]}; anything else is a plain value."""
    if isinstance(value, dict) and set(value) == {"$ref"}:
        kind, key = value["$ref"]
        return str(kind), str(key)
    return None


def make_ref(kind: str, key: str) -> dict[str, list[str]]:
    return {"$ref": [kind, key]}
