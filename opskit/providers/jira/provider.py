"""Jira and Jira Service Management as a sync target."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from opskit.errors import ExitCode, OpskitError
from opskit.policy.config import Config
from opskit.policy.model import Policy
from opskit.providers.jira import claims, desired, live, organizations, schemes
from opskit.providers.jira.client import Api, connect
from opskit.providers.jira.settings import Settings
from opskit.providers.jira.writer import Writer
from opskit.sync.apply import TargetError
from opskit.sync.plan import Plan, fingerprint, make_plan
from opskit.sync.resources import Live, Warning

ORDER = ["priority", "priority_scheme", "component", "tier_option", "organization"]


class JiraProvider:
    name = "jira"

    def __init__(self, workspace: str, api: Api | None = None, *, settings: Settings) -> None:
        self.workspace = workspace
        self.settings = settings
        with _reading():
            self.api = api or connect()
        self.clashes: list[Live] = []  # made by hand, with a name the policies want

    @classmethod
    def from_config(cls, config: Config) -> JiraProvider:
        return cls(config.workspace, settings=Settings.from_config(config.targets))

    def read(self) -> live.Site:
        """The site's state; needs no policy, so it is read while the policies are checked."""
        with _reading():
            return live.read(self.api, self.workspace, self.settings)

    def plan(self, policy: Policy, *, strict: bool = False, state: live.Site | None = None) -> Plan:
        """`strict` makes people missing in Jira (leads, customers' contacts) errors."""
        with _reading():
            return self._plan(
                policy, strict, state or live.read(self.api, self.workspace, self.settings)
            )

    def _plan(self, policy: Policy, strict: bool, site: live.Site) -> Plan:
        accounts = self.accounts(desired.emails_needed(policy))
        wanted, warnings = desired.desired(policy, self.settings, accounts)
        if strict:
            warnings = [Warning(w.message, w.source, True) for w in warnings]
        wanted += schemes.desired(policy, self.workspace, site.project_ids)
        objects = claims.claim_by_name(wanted, site.objects)
        objects, finishing = organizations.finish_unfinished(
            self.api, self.workspace, ORDER, wanted, objects
        )
        warnings += finishing
        wanted = [claims.with_ids(d, site) for d in wanted]
        found, self.clashes = claims.site_warnings(
            site, wanted, objects, self.settings, self.workspace
        )
        warnings += found
        result = make_plan(self.name, self.workspace, ORDER, wanted, objects, warnings)
        result.fingerprint = digest(site.objects)
        if _running("drift"):  # the SLA settings are set by hand: only drift looks at them
            from opskit.providers.jira import sla_drift

            changes, notes = sla_drift.check(self.api, policy, self.settings)
            result.changes += changes
            result.warnings += notes
        return result

    def fingerprint(self) -> str:
        with _reading():
            return digest(live.read(self.api, self.workspace, self.settings).objects)

    def writer(self) -> Writer:
        return Writer(self.api, self.workspace)

    def accounts(self, emails: list[str]) -> dict[str, str]:
        """Jira account ids by email, found through user search (exact match on the address)."""
        found: dict[str, str] = {}
        for email in emails:
            for user in self.api.call("GET", "/user/search", params={"query": email}):
                if str(user.get("emailAddress", "")).lower() == email:
                    found[email] = str(user["accountId"])
        return found


@contextmanager
def _reading() -> Iterator[None]:
    """A failed read is the target failing (exit 3), not a bug: say so in one line."""
    try:
        yield
    except TargetError as error:
        raise OpskitError(f"jira: {error}", ExitCode.RUNTIME) from None


def _running(command: str) -> bool:
    context = click.get_current_context(silent=True)
    return context is not None and context.command.name == command


def digest(objects: list[Live]) -> str:
    """The state's digest, everything counted in full: which priorities and options are
    opskit's depends on the policies, which a saved plan's check does not have."""
    return fingerprint([Live(o.type, o.key, o.id, o.fields, True) for o in objects])
