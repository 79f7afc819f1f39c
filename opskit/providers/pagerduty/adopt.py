"""Adoption: put this workspace's marker on imported objects, so they are managed from now on."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.policy.model import Policy
from opskit.providers.pagerduty import desired, live
from opskit.providers.pagerduty.client import Api
from opskit.providers.pagerduty.writer import Writer
from opskit.sync.apply import IdMap
from opskit.sync.diff import Action, Change
from opskit.sync.imported import slug


def adopt(
    api: Api, workspace: str, policy: Policy, adopted: list[tuple[str, str, str]]
) -> Iterator[str]:
    """Update each imported object to what its new policy says, marker included; yield what was done."""
    wanted = {(d.type, d.key): d for d in desired.desired(policy)[0]}
    ids = IdMap({})
    for obj in live.read(api, workspace):
        ids.add(obj.type, obj.key, obj.id)
    for kind, name, remote_id in adopted:
        ids.add(kind, slug(name), remote_id)
    writer = Writer(api, workspace)
    for kind in ("team", "schedule", "escalation_policy", "service"):
        for each_kind, name, remote_id in adopted:
            if each_kind != kind:
                continue
            want = wanted[(kind, slug(name))]
            writer.update(
                Change(Action.UPDATE, kind, want.key, remote_id, want.fields, (), want.extra), ids
            )
            renamed = (
                f" (renamed from {name!r}: opskit names are identifiers)"
                if want.key != name
                else ""
            )
            yield f"adopted {kind} {want.key!r}{renamed}"
