"""One name, one remote object: no two policies may become the same object in a target.

Plans match policies to remote objects by name (there is no state file), so two policies
whose names meet in a target would become one object: the second customer's tier and
contacts overwriting the first's organisation. Each provider declares, per policy kind, the
name the kind's objects take in its target and how the target compares names
(`NATURAL_KEYS` in a small module of its own, listed in `opskit.providers`); this stage
checks them all for uniqueness and reports every policy of a clash at its own position.
It runs in `opskit validate`, and so before every plan and apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from opskit.policy.checks.base import Context, Finding
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics, Position, excerpt
from opskit.policy.model import Policy, vars_of

RULE = "remote-key-duplicate"


@dataclass(frozen=True, slots=True)
class NaturalKey:
    """The name one kind of policy has in a target."""

    type: str  # the provider's resource type ("organization")
    remote: str  # the same, as a reader says it ("Jira Service Management organisation")
    name: Callable[[Any], str]  # the object's name there, from the built policy object
    # The fields the name comes from, the one that wins first; the last falls back to `name`.
    written: tuple[str, ...] = ("name",)
    ignore_case: bool = False  # the target takes names that differ only in case as one

    def compared(self, name: str) -> str:
        return name.lower() if self.ignore_case else name


Declarations = Mapping[str, NaturalKey]  # policy kind -> its key in one target


@dataclass(frozen=True, slots=True)
class _Named:
    """A policy and the name it takes in a target, to be compared with the others'."""

    kind: str
    name: str  # the policy's name
    remote: str  # its name in the target
    item: Any  # the policy object, for its position: looked up only for a clash, since
    written: tuple[str, ...]  # a lookup may mean parsing its file again (cached runs)

    @property
    def position(self) -> Position:
        return _where(self.item, self.written)


def duplicates(policy: Policy, keys: Declarations) -> Iterator[Finding]:
    """A finding at each policy that shares its object in the target with another."""
    by_kind: dict[str, list[Any]] = {}
    for table in vars_of(policy).values():
        for item in table.values():
            by_kind.setdefault(type(item).__name__, []).append(item)  # classes are named as kinds
    groups: dict[tuple[str, str], tuple[NaturalKey, list[_Named]]] = {}
    for kind, key in keys.items():
        for item in by_kind.get(kind, []):
            remote = key.name(item)
            found = _Named(kind, item.name, remote, item, key.written)
            groups.setdefault((key.type, key.compared(remote)), (key, []))[1].append(found)
    for key, named in groups.values():
        if len(named) > 1:
            for one in named:
                yield Finding(one.position, _message(key, one, [n for n in named if n is not one]))


def _where(item: Any, written: tuple[str, ...]) -> Position:
    data = item.source.data
    for field in written:
        if isinstance(data, dict) and field in data:
            return item.source.at(field)  # type: ignore[no-any-return]
    return item.source.position  # type: ignore[no-any-return]


def _message(key: NaturalKey, one: _Named, others: list[_Named]) -> str:
    parts = [f"{one.kind} {one.name!r}"]
    parts += [f"{o.kind} {o.name!r} (at {o.position})" for o in others]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    both = "both" if len(parts) == 2 else "all"
    text = f"{listed} {both} become {key.remote} {excerpt(one.remote)}"
    variants = list(dict.fromkeys(o.remote for o in others if o.remote != one.remote))
    if variants:
        verb = "is" if len(variants) == 1 else "are"
        text += f" ({', '.join(excerpt(v) for v in variants)} {verb} the same name there: case does not count)"
    field = key.written[0]
    return f"{text}; one object cannot be both: give each its own {field}"


class NaturalKeyStage:
    """The validate stage: each target's declarations, loaded only when checked.

    With an opskit.yaml that lists targets, only its enabled targets are checked; without
    one (a policy file checked alone, a library caller), every target is.
    """

    def __init__(self, targets: Mapping[str, Callable[[], Declarations]]) -> None:
        self.targets = dict(targets)

    def __call__(self, context: Context, config: Config | None, diagnostics: Diagnostics) -> None:
        for target in self.chosen(config):
            for position, message in duplicates(context.policy, self.targets[target]()):
                diagnostics.add(position, RULE, message)

    def chosen(self, config: Config | None) -> Sequence[str]:
        listed = config.targets if config is not None else {}
        if not listed:
            return list(self.targets)
        return [
            name
            for name in self.targets
            if name in listed
            and not (isinstance(listed[name], dict) and listed[name].get("enabled") is False)
        ]
