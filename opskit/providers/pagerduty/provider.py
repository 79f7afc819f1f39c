"""PagerDuty as a sync target: plan from policy and live state; a writer to apply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opskit.policy.model import Person, Policy
from opskit.providers.pagerduty import desired, holidays, live, paging
from opskit.providers.pagerduty.client import Api, connect
from opskit.providers.pagerduty.settings import CREATE_SETTING, FROM_ENV, Settings
from opskit.providers.pagerduty.writer import Writer
from opskit.sync.plan import Plan, make_plan
from opskit.sync.resources import Desired, Live, Warning

if TYPE_CHECKING:
    from opskit.policy.config import Config

# Users come first: everything else may page them. opskit creates users only when
# targets.pagerduty.create_users says so, and never updates or deletes one.
ORDER = ["user", "team", "membership", "schedule", "override", "escalation_policy", "service"]


class PagerDutyProvider:
    name = "pagerduty"

    def __init__(
        self, workspace: str, api: Api | None = None, settings: Settings | None = None
    ) -> None:
        self.workspace = workspace
        self.settings = settings or Settings.from_environment()
        self.api = api or connect(default_from=self.settings.sender)

    @classmethod
    def from_config(cls, config: Config, api: Api | None = None) -> PagerDutyProvider:
        """The provider for a repository: its workspace and its targets.pagerduty settings."""
        return cls(config.workspace, api, Settings.from_config(config))

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
        wanted, warnings = desired.desired(policy, holiday_overrides=self.settings.holiday_overrides)
        current, account = state if state is not None else self.read()
        users = {obj.key: obj for obj in current if obj.type == "user"}
        warnings += _readiness(policy, users, strict)
        missing = [p for p in policy.people.values() if p.email.lower() not in users]
        if self.settings.create_users:
            made, found = self._new_users(policy, missing, strict)
            wanted, warnings = made + wanted, warnings + found
        else:
            for person in missing:
                warnings.append(Warning(
                    f"{person.email} has no PagerDuty user: create it in PagerDuty first "
                    f"(or let opskit create it: set {CREATE_SETTING}: true in opskit.yaml)",
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
        read = current
        wanted, current = holidays.claim(wanted, current)
        current = _claim_overrides(wanted, current, warnings)
        people = {p.email.lower(): p.name for p in policy.people.values()}
        wanted, current, notes = paging.with_paging(wanted, current, people)
        warnings += notes
        plan = make_plan(self.name, self.workspace, ORDER, wanted, current, warnings, read=read)
        # Every user of the account is someone else's: listing them all says nothing.
        plan.unmanaged = [o for o in plan.unmanaged if o["type"] != "user"]
        return plan

    def _new_users(
        self, policy: Policy, missing: list[Person], strict: bool
    ) -> tuple[list[Desired], list[Warning]]:
        """Users to create for people PagerDuty does not know (opted in with create_users)."""
        where = self.settings.where or "opskit.yaml"
        if self.settings.sender is None:
            waiting = ", ".join(p.email for p in missing)
            return [], [Warning(
                f"{CREATE_SETTING} is on, but PagerDuty creates users only for a request that names "
                f"one of the account's users in its From header: set targets.pagerduty.from "
                f"(or {FROM_ENV}) to that user's email"
                + (f" (people without a user: {waiting})" if waiting else ""),
                where,
                error=True,
            )]  # fmt: skip
        if not missing:
            return [], []
        found = [Warning(
            f"{len(missing)} PagerDuty user(s) will be created ({CREATE_SETTING}); opskit never updates "
            "or deletes a user, not even one it created and not with --prune: people own their "
            "profiles, and users are removed in PagerDuty by hand",
            where,
        )]  # fmt: skip
        new = {p.email.lower() for p in missing}
        for person in _on_call(policy):
            if person.email.lower() in new:
                found.append(Warning(
                    f"{person.name} is on call but cannot be woken once their PagerDuty user is created: "
                    "a new user has no high-urgency notification rule to a phone, SMS or push contact "
                    "until they add one",
                    person.source.at("email"),
                    error=strict,
                ))  # fmt: skip
        return desired.users(missing), found

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
        if obj.type != "override" or obj.managed:  # managed: a holiday override opskit made
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
