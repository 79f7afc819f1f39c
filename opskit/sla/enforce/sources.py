"""Where the planner reads from: Jira tickets, Jira users, PagerDuty services, the roster.

Everything is read lazily and once a run: PagerDuty is not asked at all unless a tier
pages, and the rotations are not rendered unless a tier notifies the on-call person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opskit.policy.model import Policy
from opskit.providers.jira.client import Api as JiraApi
from opskit.providers.pagerduty.client import Api as PagerDutyApi
from opskit.sla.enforce import jira_side
from opskit.sla.enforce.on_call import Roster

NO_SERVICE = object()  # PagerDuty has no service of that name


class Sources:
    def __init__(
        self, policy: Policy, now: dt.datetime, jira: JiraApi,
        pagerduty: Callable[[], PagerDutyApi] | None = None,
    ) -> None:  # fmt: skip
        self.jira, self._connect_pagerduty = jira, pagerduty
        self.roster = Roster(policy, now)
        self._accounts: dict[str, str | None] = {}
        self._keys: dict[str, str | None] | None = None

    def live(self, key: str) -> jira_side.Live:
        return jira_side.read(self.jira, key)

    def account(self, email: str) -> str | None:
        if email not in self._accounts:
            self._accounts[email] = jira_side.find_account(self.jira, email)
        return self._accounts[email]

    def routing_key(self, service: str) -> str | object | None:
        """The key, None (the service has no Events v2 integration) or NO_SERVICE."""
        if self._keys is None:
            from opskit.sla.enforce.pagerduty_side import routing_keys

            if self._connect_pagerduty is None:
                from opskit.providers.pagerduty.client import connect

                self._connect_pagerduty = connect
            self._keys = routing_keys(self._connect_pagerduty())
        return self._keys.get(service, NO_SERVICE)

    def browse(self, key: str) -> str:
        return f"{self.jira.site.rstrip('/')}/browse/{key}"
