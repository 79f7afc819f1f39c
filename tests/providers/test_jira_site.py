"""A Jira site as an admin has set it up before opskit runs: people, projects, the tier field.

Helpers for the Jira tests and benchmark (this module holds no tests of its own)."""

from __future__ import annotations

from typing import Any

from jira import JIRA

from opskit.policy.config import load_config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.model import Policy
from opskit.policy.validate import validate_files
from opskit.sandbox import Sandbox
from opskit.sandbox.jira.common import account_id
from tests.sandbox.fixtures import jira_client_for


def example_policy(repo: Any) -> Policy:
    config = load_config(repo / "opskit.yaml", Diagnostics())
    return validate_files(config.policy_paths, config).policy


def add_user(sb: Sandbox, email: str, name: str) -> str:
    """Jira has no API to make accounts; people sign up (or are invited) themselves."""
    aid = account_id(email)
    sb.store.put("jira.user", aid, {
        "accountId": aid, "emailAddress": email, "active": True, "timeZone": "UTC",
        "displayName": name, "accountType": "atlassian",
    })  # fmt: skip
    return aid


def set_up_site(sb: Sandbox, policy: Policy, *, field: str = "Support tier") -> JIRA:
    for person in policy.people.values():
        add_user(sb, person.email, person.full_name)
    for customer in policy.customers.values():
        for contact in customer.contacts:
            add_user(sb, contact.email, contact.name)
    admin = jira_client_for(sb)
    for key, kind in (("SUP", "service_desk"), ("OPS", "software")):
        body = {"key": key, "name": key, "projectTypeKey": kind}
        admin._session.post(admin._get_url("project"), json=body)
    made = admin._session.post(admin._get_url("field"), json={
        "name": field, "type": "com.atlassian.jira.plugin.system.customfieldtypes:select",
    }).json()  # fmt: skip
    context = {"name": "Default", "projectIds": [], "issueTypeIds": []}
    admin._session.post(admin._get_url(f"field/{made['id']}/context"), json=context)
    return admin
