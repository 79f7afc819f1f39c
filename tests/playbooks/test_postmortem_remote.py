"""The postmortem reads PagerDuty and Jira: who was notified and who acknowledged (the
incident's log entries), and the linked tickets' SLA clocks now."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from opskit.cli.app import cli
from opskit.sandbox import Sandbox
from opskit.sandbox.pytest_plugin import *  # noqa: F403
from tests.sla.enforce_helpers import Site, make_site
from tests.sla.site import copy_example

PLAYBOOK = {
    "kind": "Playbook", "name": "page-only", "title": "Page storage",
    "steps": [{"id": "page", "kind": "page", "action": "trigger", "service": "storage-api",
               "summary": "Storage down"}],
}  # fmt: skip


@pytest.fixture
def site(sandbox: Sandbox, sandbox_contract: Any, monkeypatch: pytest.MonkeyPatch,
         tmp_path: Path) -> Iterator[Site]:  # fmt: skip
    found = make_site(sandbox, monkeypatch, tmp_path / "cache")
    root = copy_example(tmp_path / "repo")
    (root / "playbooks" / "page-only.yaml").write_text(yaml.safe_dump(PLAYBOOK, sort_keys=False))
    monkeypatch.chdir(root)
    yield found
    problems = sandbox_contract.problems()
    assert not problems, "sandbox traffic breaks the vendor contract:\n  " + "\n  ".join(
        problems[:10]
    )


def opskit(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["--no-color", "playbook", *args])
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    return result


def test_who_acknowledged_and_the_ticket_s_clocks_now(site: Site) -> None:
    ticket = site.new_ticket()
    ran = opskit("run", "page-only", "--service", "storage-api", "--ticket", ticket, "--yes")
    assert ran.exit_code == 0, ran.output
    run_id = ran.stdout.splitlines()[0].removeprefix("run ")
    [incident] = [i for i in site.incidents() if i.get("incident_key", "").startswith("opskit-")]
    # the person on call acknowledges on their phone
    answer = site.pd.put(f"/incidents/{incident['id']}", headers={"From": "anna@northwind.example"},
                         json={"incident": {"type": "incident", "status": "acknowledged"}})  # fmt: skip
    assert answer.status_code == 200
    out = opskit("postmortem", run_id).stdout
    assert "notified: Anna" in out and "acknowledged: Anna" in out
    assert f"Incident #{incident['incident_number']} (storage-api) was acknowledged by Anna" in out
    assert f"- {ticket} (tier " in out and ", now (" in out and "first_response" in out
    assert "- Note:" not in out  # everything could be read
    offline = opskit("postmortem", run_id, "--offline").stdout
    assert "acknowledged: Anna" not in offline and "- Note:" not in offline
    assert "Acknowledgements were not read from PagerDuty (written --offline)." in offline
