"""PagerDuty as a sync target: plan from policy and live state; a writer to apply."""

from __future__ import annotations

from opskit.policy.model import Policy
from opskit.providers.pagerduty import desired, live
from opskit.providers.pagerduty.client import Api, connect
from opskit.providers.pagerduty.writer import Writer
from opskit.sync.plan import Plan, make_plan
from opskit.sync.resources import Desired, Live, Warning

ORDER = ["team", "membership", "schedule", "override", "escalation_policy", "service"]


class PagerDutyProvider:
    name = "pagerduty"

    def __init__(self, workspace: str, api: Api | None = None) -> None:
        self.workspace = workspace
        self.api = api or connect()

    def plan(self, policy: Policy) -> Plan:
        wanted, warnings = desired.desired(policy)
        current = live.read(self.api, self.workspace)
        emails = {obj.key for obj in current if obj.type == "user"}
        for person in policy.people.values():
            if person.email.lower() not in emails:
                warnings.append(Warning(
                    f"{person.email} has no PagerDuty user: create it in PagerDuty first",
                    person.source.at("email"),
                    error=True,
                ))  # fmt: skip
        current = _claim_overrides(wanted, current, warnings)
        return make_plan(self.name, self.workspace, ORDER, wanted, current, warnings)

    def fingerprint(self) -> str:
        from opskit.sync.plan import fingerprint

        return fingerprint(live.read(self.api, self.workspace))

    def writer(self) -> Writer:
        return Writer(self.api, self.workspace)


def _claim_overrides(
    wanted: list[Desired], current: list[Live], warnings: list[Warning]
) -> list[Live]:
    """Overrides the policies declare are ours; the rest were made by people and stay theirs.

    A hand-made override that overlaps a declared one is reported: PagerDuty lets
    the later one win, which may not be what either author meant.
    """
    declared = {d.key: d for d in wanted if d.type == "override"}
    claimed: list[Live] = []
    for obj in current:
        if obj.type != "override":
            claimed.append(obj)
            continue
        if obj.key in declared:
            claimed.append(Live(obj.type, obj.key, obj.id, obj.fields, True, obj.extra))
            continue
        claimed.append(obj)
        schedule = obj.key.split(":", 1)[0]
        for want in declared.values():
            same_schedule = want.key.split(":", 1)[0] == schedule
            if (
                same_schedule
                and want.fields["start"] < obj.fields["end"]
                and obj.fields["start"] < want.fields["end"]
            ):
                warnings.append(Warning(
                    f"override {obj.key!r} was made by hand in PagerDuty and overlaps the declared one; "
                    "opskit leaves it alone: remove one of them",
                    want.source,
                ))  # fmt: skip
    return claimed
