"""PagerDuty as a sync target: plan from policy and live state; a writer to apply."""

from __future__ import annotations

from opskit.policy.model import Person, Policy
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

    def read(self) -> tuple[list[Live], set[str]]:
        """The account as it is: objects, and the names of its priorities."""
        current = live.read(self.api, self.workspace)
        return current, {str(p.get("name")) for p in self.api.pages("/priorities")}

    def plan(
        self,
        policy: Policy,
        *,
        strict: bool = False,
        state: tuple[list[Live], set[str]] | None = None,
    ) -> Plan:
        wanted, warnings = desired.desired(policy)
        current, account = state if state is not None else self.read()
        users = {obj.key: obj for obj in current if obj.type == "user"}
        emails = set(users)
        warnings += _readiness(policy, users, strict)
        for person in policy.people.values():
            if person.email.lower() not in emails:
                warnings.append(Warning(
                    f"{person.email} has no PagerDuty user: create it in PagerDuty first",
                    person.source.at("email"),
                    error=True,
                ))  # fmt: skip
        for priority in policy.priorities.values():
            if priority.name not in account:
                warnings.append(Warning(
                    f"PagerDuty has no priority {priority.name!r} (it has {', '.join(sorted(account)) or 'none'}); "
                    "priorities are made in its incident-priority settings, not through the API",
                    priority.source.position,
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


def _on_call(policy: Policy) -> list[Person]:
    """Everyone a rotation or a ladder can page."""
    seen: dict[str, Person] = {}
    for rotation in policy.rotations.values():
        seen.update((p.name, p) for p in rotation.people)
    for ladder in policy.ladders.values():
        seen.update((p.name, p) for p in ladder.reachable())
    return list(seen.values())


def _readiness(policy: Policy, users: dict[str, Live], strict: bool) -> list[Warning]:
    """Nobody should be left on call who cannot be woken: say so before they are paged."""
    found = []
    for person in _on_call(policy):
        user = users.get(person.email.lower())
        if user is not None and not user.extra.get("wakeable"):
            found.append(Warning(
                f"{person.name} is on call but cannot be woken: their PagerDuty user has no high-urgency "
                "notification rule to a phone, SMS or push contact",
                person.source.at("email"),
                error=strict,
            ))  # fmt: skip
    return found
