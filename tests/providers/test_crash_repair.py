"""A crash never leaves a state opskit refuses to repair.

`opskit apply` of the example repository (PagerDuty, then Jira) runs as a real process
against the sandbox and is killed with SIGKILL as it sends its (N+1)th write, so exactly N
writes were made (with others of the same wave possibly in flight, refused unseen); then apply runs again, and the plan after it must show nothing to do, with
no object made twice and nothing refused.

The full apply makes about a hundred writes. By default the test kills it at a stratified
sample of them: just after the first write of each kind (a team, a membership, a schedule,
..., a component, a tier option), after each write of the first organisation's sequence
(create, `opskit` property, members, desk link, and before it), and before the last write.
OPSKIT_CRASH_POSITIONS=all kills it after every single write instead (several minutes);
OPSKIT_CRASH_POSITIONS=3,17 at just those.

Ctrl-C is the gentle case of the same: a real SIGINT just after the first write of a kind,
after which the apply must stop by itself, exit 130, and leave what the next one finishes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.providers.test_jira_site import example_policy, set_up_site
from tests.providers.test_pagerduty_sync import create_users
from tests.sandbox.fixtures import pd_client_for

REPO = Path(__file__).resolve().parents[2]
PD_TOKEN = "crash-test-pagerduty-token"
ORGS = "/rest/servicedeskapi/organization"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READS_BY_POST = ("/schedules/preview", "/search/jql", "/changelog/bulkfetch")

# What a write is, by its path: the strata of the sample.
KINDS = [
    ("pagerduty team", r"/teams"),
    ("pagerduty membership", r"/teams/[^/]+/users/[^/]+"),
    ("pagerduty schedule", r"/schedules"),
    ("pagerduty override", r"/schedules/[^/]+/overrides"),
    ("pagerduty escalation policy", r"/escalation_policies"),
    ("pagerduty service", r"/services"),
    ("pagerduty service integration", r"/services/[^/]+/integrations"),
    ("jira priority", r"/rest/api/\d/priority(/[^/]+)?"),
    ("jira priority scheme", r"/rest/api/\d/priorityscheme(/[^/]+)?"),
    ("jira component", r"/rest/api/\d/component(/[^/]+)?"),
    ("jira tier option", r"/rest/api/\d/field/[^/]+/context/[^/]+/option"),
    ("jsm organisation", rf"{ORGS}"),
    ("jsm organisation property", rf"{ORGS}/[^/]+/property/[^/]+"),
    ("jsm organisation members", rf"{ORGS}/[^/]+/user"),
    ("jsm desk link", r"/rest/servicedeskapi/servicedesk/[^/]+/organization"),
]


def kind_of(path: str) -> str:
    return next((kind for kind, pattern in KINDS if re.fullmatch(pattern, path)), path)


@dataclass
class KillGate:
    """WSGI middleware in front of the sandbox. It lets `allowed` writes through; when the
    next one arrives it kills the client and drops that request unseen by the sandbox. With
    `interrupt`, it sends Ctrl-C's SIGINT instead and lets that request and those after it
    through, as a terminal would: the apply decides what still goes out."""

    app: Callable[..., Iterable[bytes]]
    allowed: int | None = None
    victim: subprocess.Popen[bytes] | None = None
    writes: list[str] = field(default_factory=list)
    killed: bool = False
    interrupt: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        admin = path.startswith("/_sandbox") or path.endswith(READS_BY_POST)
        if environ["REQUEST_METHOD"] in WRITES and not admin:
            with self.lock:
                if self.allowed is not None and len(self.writes) >= self.allowed:
                    self._signal()
                    if not self.interrupt:  # killed: its request never reaches the sandbox
                        start_response("503 Service Unavailable", [("Content-Length", "0")])
                        return [b""]
                self.writes.append(path)
        return self.app(environ, start_response)

    def _signal(self) -> None:
        """Once: SIGINT, or SIGKILL and wait until the client is gone (`killed` says sent)."""
        if self.victim is not None and not self.killed:
            self.victim.send_signal(signal.SIGINT if self.interrupt else signal.SIGKILL)
            if not self.interrupt:
                self.victim.wait()
            self.killed = True


@dataclass
class Site:
    sandbox: Sandbox
    gate: KillGate
    env: dict[str, str]


@contextmanager
def site_from(prepared: Path, folder: Path, allowed: int | None) -> Iterator[Site]:
    """A sandbox started on a copy of the prepared database, behind a gate."""
    db = folder / f"site-{len(list(folder.glob('site-*.db')))}.db"
    shutil.copy(prepared, db)
    with Sandbox(db=db) as sandbox:
        server = sandbox._server  # the werkzeug server: its WSGI app is looked up per request
        assert server is not None
        gate = KillGate(server.app, allowed)
        server.app = gate
        env = {
            "PAGERDUTY_API_KEY": PD_TOKEN, "PAGERDUTY_URL": sandbox.url,
            "JIRA_URL": sandbox.url, "JIRA_EMAIL": "anna@northwind.example",
            "JIRA_API_TOKEN": "crash-test-jira-token", "OPSKIT_CA_BUNDLE": str(sandbox.ca_path),
            "OPSKIT_RETRY_BASE_SECONDS": "0.01", "NO_COLOR": "1",
        }  # fmt: skip
        yield Site(sandbox, gate, env)


def apply_process(site: Site) -> tuple[int, str]:
    """`opskit apply --yes` as a process of its own, as CI runs it (and as it is killed)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "opskit", "apply", "--yes"], cwd=REPO,
        env={**os.environ, **site.env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    site.gate.victim = process
    output, _ = process.communicate(timeout=300)
    return process.returncode, output.decode(errors="replace")


def opskit(site: Site, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=site.env, catch_exceptions=False)
    return result.exit_code, result.output


def objects(db: Path) -> Counter[str]:
    """How many objects of each kind the sandbox holds."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return Counter(dict(connection.execute("SELECT kind, COUNT(*) FROM docs GROUP BY kind")))


@dataclass(frozen=True)
class Reference:
    writes: list[str]  # the paths of a full apply's writes, in order
    objects: Counter[str]  # what the sandbox holds after it


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sandbox database where both targets are set up for the example policies, as their
    admins would: PagerDuty users with phones, Jira people, projects, the tier field."""
    db = tmp_path_factory.mktemp("crash") / "prepared.db"
    with Sandbox(db=db) as sandbox:
        client = pd_client_for(sandbox, PD_TOKEN)
        create_users(client)
        client.close()
        set_up_site(sandbox, example_policy(REPO))
    return db


@pytest.fixture(scope="module")
def reference(prepared: Path) -> Reference:
    """The full apply, uninterrupted: its writes and the state it leaves."""
    folder = prepared.parent
    with site_from(prepared, folder, None) as site:
        code, output = apply_process(site)
        assert code == 0, output
        writes = list(site.gate.writes)
        db = Path(site.sandbox.config.db)
        found = objects(db)
    return Reference(writes, found)


def positions(writes: list[str]) -> list[int]:
    """How many writes each run lets through before its apply is killed."""
    chosen = os.environ.get("OPSKIT_CRASH_POSITIONS", "")
    if chosen == "all":
        return list(range(len(writes)))
    if chosen:
        return sorted({int(n) for n in chosen.split(",")})
    firsts: dict[str, int] = {}
    for index, path in enumerate(writes):
        firsts.setdefault(kind_of(path), index)
    sample = {index + 1 for index in firsts.values()}  # just after the first of each kind
    create = firsts["jsm organisation"]  # the first organisation: before and after each write
    sample |= set(range(create, create + 5))
    sample.add(len(writes) - 1)  # all but the last write
    return sorted(sample)


def test_the_full_apply_makes_every_kind_of_write(reference: Reference) -> None:
    kinds = Counter(kind_of(path) for path in reference.writes)
    assert set(kinds) == {kind for kind, _ in KINDS}, kinds
    assert kinds["jsm organisation"] == kinds["jsm organisation property"] == 10


def test_an_apply_killed_after_any_write_is_finished_by_the_next(
    prepared: Path, reference: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    folder = prepared.parent
    failures: list[str] = []
    for allowed in positions(reference.writes):
        after = reference.writes[allowed - 1] if allowed else "nothing"
        where = f"killed after write {allowed} ({kind_of(after) if allowed else after})"
        with site_from(prepared, folder, allowed) as site:
            code, output = apply_process(site)
            if not site.gate.killed or code != -signal.SIGKILL:
                failures.append(f"{where}: the apply was not killed (exit {code}): {output[-400:]}")
                continue
            # writes of one kind go out side by side, so which ones came first varies
            # (and with them the ids in their paths); how many, and of what kinds, does not
            assert len(site.gate.writes) == allowed, where
            made = Counter(kind_of(path) for path in site.gate.writes)
            assert made <= Counter(kind_of(path) for path in reference.writes), where
            failures += finished_by_the_next(site, reference, where)
    assert not failures, "\n".join(failures)


def finished_by_the_next(site: Site, reference: Reference, where: str) -> list[str]:
    """Apply again with the gate open: it must succeed, leave an empty plan, and leave the
    sandbox holding what an uninterrupted apply leaves, nothing made twice."""
    site.gate.allowed = None
    again, output = opskit(site, "apply", "--yes")
    if again != 0:
        return [f"{where}: apply again exited {again}: {output[-1500:]}"]
    failures = []
    code, output = opskit(site, "plan", "--detailed-exitcode")
    clean = all(
        f"Plan for {target}: 0 to create, 0 to update, 0 to delete" in output
        for target in ("pagerduty", "jira")
    )
    if code != 0 or not clean:
        failures.append(f"{where}: the plan after it is not empty: {output[-1500:]}")
    found = objects(Path(site.sandbox.config.db))
    if found != reference.objects:
        extra, missing = found - reference.objects, reference.objects - found
        failures.append(f"{where}: objects differ: extra {dict(extra)}, missing {dict(missing)}")
    return failures


@pytest.mark.parametrize("kind", ["pagerduty membership", "pagerduty service", "jsm organisation"])
def test_ctrl_c_during_an_apply_stops_it_cleanly_and_the_next_finishes_it(
    prepared: Path, reference: Reference, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Ctrl-C (a real SIGINT to the process) just after the first write of a kind: the writes
    in flight land, no more start, the process says so and exits 130, and what it leaves is
    what the next apply finishes without refusing or doubling anything."""
    monkeypatch.chdir(REPO)
    allowed = 1 + next(i for i, path in enumerate(reference.writes) if kind_of(path) == kind)
    with site_from(prepared, prepared.parent, allowed) as site:
        site.gate.interrupt = True
        code, output = apply_process(site)
        assert site.gate.killed, output[-800:]
        assert code == 130 and output.rstrip().endswith("opskit: aborted"), output[-800:]
        assert "Traceback" not in output
        assert len(site.gate.writes) < len(reference.writes), "it went on to the end"
        assert finished_by_the_next(site, reference, f"Ctrl-C after the first {kind}") == []


@dataclass
class Recreated:
    admin: Any  # a JIRA client of the site's admin
    org: str  # the id of the bare "Harbor Dental Group"
    old: str  # the id of the one the apply made


@pytest.fixture
def recreated(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Recreated:
    """The example applied to Jira; then "Harbor Dental Group" deleted and made again with
    nothing in it, as a create of the next apply that stopped before its property leaves it."""
    for name, value in {
        "JIRA_URL": sandbox.url, "JIRA_EMAIL": "anna@northwind.example",
        "JIRA_API_TOKEN": "jira-token", "OPSKIT_CA_BUNDLE": str(sandbox.ca_path),
        "OPSKIT_RETRY_BASE_SECONDS": "0.01",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(REPO)
    admin = set_up_site(sandbox, example_policy(REPO))
    assert jira("apply", "--yes").exit_code == 0
    [old] = [o["id"] for o in orgs(admin) if o["name"] == "Harbor Dental Group"]
    admin._session.delete(f"{admin.server_url}{ORGS}/{old}")
    bare = admin._session.post(admin.server_url + ORGS, json={"name": "Harbor Dental Group"})
    assert bare.status_code == 201
    return Recreated(admin, str(bare.json()["id"]), str(old))


def jira(*args: str) -> Any:
    return CliRunner().invoke(cli, [*args, "--target", "jira"], catch_exceptions=False)


def orgs(admin: Any) -> list[dict[str, Any]]:
    return list(admin._session.get(admin.server_url + ORGS).json()["values"])


def test_the_organisation_a_stopped_apply_left_bare_is_finished_not_refused(
    recreated: Recreated,
) -> None:
    admin = recreated.admin
    plan = jira("plan")
    assert plan.exit_code == 0, plan.output
    assert "~ organization 'Harbor Dental Group'  (policies/customers.yaml:28:7)" in plan.output
    assert (
        "policies/customers.yaml:28:7: warning: organization 'Harbor Dental Group' has no owner "
        "and nothing in it yet, as an apply that stopped after creating it leaves it: this plan "
        "finishes it as opskit/northwind's"
    ) in plan.output
    assert "1 to update, 0 to delete, 31 unchanged" in plan.output
    assert jira("apply", "--yes").exit_code == 0
    again = jira("plan", "--detailed-exitcode")
    assert again.exit_code == 0 and "0 to create, 0 to update, 0 to delete" in again.output
    [harbor] = [o for o in orgs(admin) if o["name"] == "Harbor Dental Group"]
    assert harbor["id"] == recreated.org
    facts = admin._session.get(f"{admin.server_url}{ORGS}/{harbor['id']}/property/opskit").json()
    assert facts["value"]["tier"] == "Premium"


@pytest.mark.parametrize("touched", ["member", "property", "desk", "name case", "work before it"])
def test_an_organisation_not_exactly_as_a_stopped_apply_leaves_it_still_needs_adopting(
    recreated: Recreated, touched: str
) -> None:
    """Used by someone already, not the policy's very name, or not what the apply would do
    first: made by someone, so never taken silently."""
    admin, site = recreated.admin, recreated.admin.server_url
    path = f"{site}{ORGS}/{recreated.org}"
    if touched == "member":
        [luis] = admin._session.get(
            f"{site}/rest/api/2/user/search", params={"query": "luis.moreno@harbordental.example"}
        ).json()
        admin._session.post(f"{path}/user", json={"accountIds": [luis["accountId"]]})
    elif touched == "property":
        admin._session.put(f"{path}/property/crm", json={"account": "HD-1"})
    elif touched == "desk":
        [desk] = admin._session.get(f"{site}/rest/servicedeskapi/servicedesk").json()["values"]
        link = f"{site}/rest/servicedeskapi/servicedesk/{desk['id']}/organization"
        admin._session.post(link, json={"organizationId": int(recreated.org)})
    elif touched == "name case":
        admin._session.delete(path)
        admin._session.post(site + ORGS, json={"name": "Harbor dental group"})
    else:  # a component edited by hand: the apply would mend it before any organisation
        component = admin._session.get(f"{site}/rest/api/2/project/SUP/components").json()[0]
        admin._session.put(
            f"{site}/rest/api/2/component/{component['id']}", json={"description": "by hand"}
        )
    plan = jira("plan")
    assert plan.exit_code == 1, plan.output
    assert "already exists in Jira and is not managed by opskit/northwind" in plan.output


def test_an_empty_organisation_jira_dates_before_yesterday_is_someone_s() -> None:
    import datetime as dt

    from opskit.providers.jira.organizations import unfinished
    from opskit.sync.resources import Live

    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    made = int((now - dt.timedelta(days=2)).timestamp() * 1000)
    old = Live("organization", "Acme", "7", {"name": "Acme"}, False, {"created": made})
    # decided from the date alone, before anything is read (so no client is needed)
    assert unfinished(None, old, now) is False  # type: ignore[arg-type]
