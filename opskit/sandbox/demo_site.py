"""What a Jira admin sets up once on the demo site, before opskit runs: shared by `make demo`
and the tests that run the example end to end, so both start from the same site."""

from __future__ import annotations

from typing import Any


def prepare_jira(admin: Any) -> None:
    """The internal OPS project and the "Support tier" select field (the demo seed already
    has the SUP service desk). `admin` is a `jira.JIRA` client signed in to the site."""
    session = admin._session
    session.post(
        admin._get_url("project"),
        json={"key": "OPS", "name": "Operations", "projectTypeKey": "software"},
    )
    field = session.post(admin._get_url("field"), json={
        "name": "Support tier", "type": "com.atlassian.jira.plugin.system.customfieldtypes:select",
    }).json()  # fmt: skip
    context = {"name": "Default", "projectIds": [], "issueTypeIds": []}
    session.post(admin._get_url(f"field/{field['id']}/context"), json=context)
