"""Crashes and concurrent runs: whatever happens, each action is done exactly once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from opskit.sandbox import Sandbox
from opskit.sla.enforce import Executor, Plan, Status, plan
from opskit.sla.enforce.markers import marker_of
from opskit.sla.model import Metric, State, Ticket
from tests.sla.enforce_helpers import NOW, Site, clock, gate, make_site, ticket, writes

FIRST = Metric.FIRST_RESPONSE


@pytest.fixture
def site(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Site:
    monkeypatch.setenv("OPSKIT_RETRY_BASE_SECONDS", "0")
    return make_site(sandbox, monkeypatch, tmp_path / "cache")


def breached(key: str) -> Ticket:
    return ticket(key, clock(FIRST, State.BREACHED))


def assert_done_once(site: Site, key: str) -> None:
    issue = site.issue(key)["fields"]
    assert issue["labels"].count("sla-breached") == 1
    assert issue["priority"]["name"] == "High"  # raised once: P3 -> P2, never to P1
    markers = [marker_of(c["body"]) for c in site.comments(key)]
    assert None not in markers
    assert len(markers) == len(set(markers)) == 2, "a marked comment appears twice"
    mine = [i for i in site.incidents() if i["incident_key"] == f"opskit-sla/{key}/first_response"]
    assert len(mine) == 1


def test_a_crash_after_any_write_is_completed_by_the_next_run(site: Site) -> None:
    full = site.enforce([breached(site.new_ticket())])
    total = sum(a.status is Status.DONE for a in full.actions())
    door = gate(site.sandbox)
    for allowed in range(total + 3):  # +3: the record writes around the actions
        key = site.new_ticket()
        door.allowed = allowed
        crashed = site.enforce([breached(key)])
        door.open()
        assert crashed.count(Status.FAILED) or allowed >= total, allowed
        site.enforce([breached(key)])
        assert_done_once(site, key)


def test_two_runs_planned_together_leave_one_of_everything(site: Site) -> None:
    """Both runs read the ticket before either writes: the worst interleaving."""
    key = site.new_ticket()
    plans: list[Plan] = []
    apis = [site.jira(), site.jira()]
    for api in apis:
        plans.append(plan([breached(key)], site.policy, site.sources(api), NOW))
    assert all(p.count(Status.PENDING) == 5 for p in plans)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait()
            Executor(apis[index]).run(plans[index])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert any(w.startswith("DELETE") for w in writes(site.sandbox)), "no race happened"
    assert_done_once(site, key)
    again = site.enforce([breached(key)])
    assert again.count(Status.PENDING) == again.count(Status.DONE) == 0
