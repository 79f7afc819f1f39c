"""The demo's paging history end to end: the demo seed, `opskit apply` of the example
policies, ``POST /_sandbox/pagerduty/seed-pages``, the pages read back with
``capacity.pages.read_pages`` through opskit's client, and the on-call load from them."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from opskit.capacity.load import Limits, load
from opskit.capacity.pages import Page, read_pages
from opskit.cli import cli
from opskit.oncall.render import render
from opskit.policy.model import Policy
from opskit.providers.pagerduty.client import connect
from opskit.sandbox import Sandbox
from opskit.sandbox.seed_pages import NOISY, RATES, WEEKS
from opskit.time import zones
from tests.providers.test_jira_site import example_policy
from tests.sandbox.fixtures import pd_client_for

REPO = Path(__file__).resolve().parents[2]
SEED_NOW = dt.datetime(2026, 6, 1, 10, 30, tzinfo=dt.UTC)
ANCHOR = SEED_NOW.replace(minute=0)  # the demo seed's anchor: the hour it was seeded
SINCE = ANCHOR - dt.timedelta(weeks=WEEKS)  # 2 March 2026: rotations began 5 January


@dataclass
class Site:
    sb: Sandbox
    policy: Policy
    first: dict[str, Any]  # the first answer of seed-pages
    again: dict[str, Any]  # the second
    pages: list[Page]
    requests: int  # what read_pages sent


def seed_pages(sb: Sandbox) -> requests.Response:
    return requests.post(
        f"{sb.url}/_sandbox/pagerduty/seed-pages", verify=str(sb.ca_path), timeout=60
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sandbox_spec_checker: Any) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("pages")
    with (
        Sandbox(db=folder / "sb.db", seed="demo", clock=lambda: SEED_NOW) as sb,
        pytest.MonkeyPatch.context() as env,
    ):
        for name, value in {"PAGERDUTY_API_KEY": "pd-pages-token", "PAGERDUTY_URL": sb.url,
                            "OPSKIT_CA_BUNDLE": str(sb.ca_path), "OPSKIT_RETRY_BASE_SECONDS": "0.01"}.items():  # fmt: skip
            env.setenv(name, value)
        env.chdir(REPO)
        applied = CliRunner().invoke(
            cli, ["apply", "--target", "pagerduty", "--yes"], catch_exceptions=False
        )
        assert applied.exit_code == 0, applied.output
        start = len(sb.log.snapshot())
        first, again = seed_pages(sb), seed_pages(sb)
        assert first.status_code == again.status_code == 200, first.text
        api = connect(per_minute=6000)  # the sandbox allows 960 a minute: no pacing needed here
        pages = read_pages(api, SINCE, ANCHOR)
        # read_pages's traffic, contract-checked: its every kind of request, five of each
        # (the log reads differ only in the incident, and checking all of them takes long)
        routes: Counter[str] = Counter()
        sample = []
        for exchange in sb.log.snapshot()[start:]:
            routes[exchange.route] += 1
            if routes[exchange.route] <= 5:
                sample.append(exchange)
        assert len(routes) == 3, routes  # users, incidents, log entries (admin is not logged)
        problems = [p for e in sample for p in sandbox_spec_checker.problems(e)]
        assert not problems, problems[:5]
        yield Site(sb, example_policy(REPO), first.json(), again.json(), pages, api.requests)


def test_the_pages_load_once_and_read_back_whole(site: Site) -> None:
    assert site.first["waiting"] == [] and len(site.first["ids"]) > 10 * WEEKS
    assert site.again == {"ids": [], "waiting": []}  # once per database
    assert sorted(p.incident for p in site.pages) == sorted(site.first["ids"])
    assert {p.service for p in site.pages} == set(RATES) == set(site.policy.services)
    assert all(
        SINCE <= p.start < ANCHOR and p.end is not None and p.end > p.start for p in site.pages
    )
    minutes = [(p.end - p.start).total_seconds() / 60 for p in site.pages if p.end]
    assert min(minutes) >= 10 and max(minutes) <= 240
    assert {p.urgency for p in site.pages} == {"high", "low"}
    night = [p for p in site.pages if p.start.hour >= 22 or p.start.hour < 7]
    assert 0.2 < len(night) / len(site.pages) < 0.45
    assert any(2 <= p.start.hour < 5 for p in night)
    # users (1 page), incidents (one window of 100 a page), the account's overview log
    # (100 a page; a day past the window for late acknowledgements), not a read an incident
    window = {"since": SINCE.isoformat(), "until": (ANCHOR + dt.timedelta(days=1)).isoformat(),
              "is_overview": "true", "total": "true", "limit": 1}  # fmt: skip
    entries = requests.get(f"{site.sb.url}/log_entries", params=window, verify=str(site.sb.ca_path),
                           headers={"Authorization": "Token token=pd-pages-token"}, timeout=30)  # fmt: skip
    total = entries.json()["total"]
    assert len(site.pages) * 3 <= total <= len(site.pages) * 5
    assert site.requests == 1 + math.ceil(len(site.pages) / 100) + math.ceil(total / 100)


def on_call(pd: Any, policy_id: str) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """First-level on-call entries of the escalation policy over the history, per PagerDuty."""
    params = {"escalation_policy_ids[]": [policy_id], "since": SINCE.isoformat(),
              "until": ANCHOR.isoformat(), "time_zone": "UTC"}  # fmt: skip
    return [(dt.datetime.fromisoformat(o["start"]), dt.datetime.fromisoformat(o["end"]), o["user"]["id"])
            for o in pd.iter_all("oncalls", params=params) if o["escalation_level"] == 1]  # fmt: skip


def test_each_page_reached_whoever_was_on_call_then(
    site: Site, watch_sandbox: Callable[..., Any]
) -> None:
    pd = pd_client_for(watch_sandbox(site.sb))
    emails = {u["id"]: u["email"] for u in pd.iter_all("users")}
    services = {s["name"]: s["escalation_policy"]["id"] for s in pd.iter_all("services")}
    shifts = {name: on_call(pd, services[name]) for name in RATES}
    for p in site.pages:
        now = [user for a, b, user in shifts[p.service] if a <= p.start < b]
        assert p.person == (emails[now[0]] if now else ""), p
    people = Counter(p.person for p in site.pages)
    assert people[""] < len(site.pages) / 10 and len(people) >= 8
    # and as opskit's own rendering of the policy says for the follow-the-sun primary
    primary = site.policy.rotations["cloud-primary"]
    rendered = render(primary, zones.from_datetime(SINCE), zones.from_datetime(ANCHOR))
    for p in (p for p in site.pages if site.policy.services[p.service].ladder.name != "app-support-desk"
              and p.service != "major-incident"):  # fmt: skip
        t = zones.from_datetime(p.start)
        [name] = [s.person for s in rendered if s.start <= t < s.end]
        assert site.policy.people[name].email == p.person


def test_the_log_says_who_was_paged_and_who_answered(
    site: Site, watch_sandbox: Callable[..., Any]
) -> None:
    pd = pd_client_for(watch_sandbox(site.sb))
    acked = [p for p in site.pages if p.person]
    for p in (acked[0], acked[len(acked) // 2]):
        incident = pd.rget(f"incidents/{p.incident}")
        assert incident["status"] == "resolved" and incident["assignments"] == []  # cleared
        entries = list(
            reversed(pd.get(f"/incidents/{p.incident}/log_entries").json()["log_entries"])
        )
        kinds = [e["type"] for e in entries]
        assert kinds[:3] == ["trigger_log_entry", "assign_log_entry", "notify_log_entry"]
        assert kinds[-1] == "resolve_log_entry" and kinds.count("acknowledge_log_entry") <= 1
        user = pd.rget(f"users/{entries[1]['assignees'][0]['id']}")
        assert user["email"] == p.person and entries[0]["created_at"] == p.start.isoformat()


def test_the_noisy_week_stands_out(site: Site) -> None:
    service, week, count = NOISY
    weeks = Counter(
        (p.start - SINCE) // dt.timedelta(weeks=1) for p in site.pages if p.service == service
    )
    assert weeks[week] >= count
    assert max(n for w, n in weeks.items() if w != week) * 2 < weeks[week]


def test_the_load_from_the_pages_breaks_a_limit_of_three_pages_a_shift(site: Site) -> None:
    lo, hi = zones.from_datetime(SINCE), zones.from_datetime(ANCHOR)
    first_steps = {site.policy.services[name].ladder.steps[0].rotations[0].name for name in RATES}
    assert first_steps == {"cloud-primary", "app-support-desk", "manager-on-duty"}
    shifts: dict[str, list[tuple[int, int]]] = {}
    for rotation in first_steps:
        for s in render(site.policy.rotations[rotation], lo, hi):
            shifts.setdefault(site.policy.people[s.person].email, []).append((s.start, s.end))
    people = {p.email: p.timezone for p in site.policy.people.values()}
    found = load(site.pages, shifts, people, SINCE, ANCHOR, Limits(pages_per_shift=3))
    mine = Counter(p.person for p in site.pages if p.person)
    assert {f.person: f.pages for f in found if f.pages} == dict(mine)
    broken = {f.person: f.broken for f in found if f.broken}
    noisy = Counter(p.person for p in site.pages if p.service == NOISY[0]
                    and (p.start - SINCE) // dt.timedelta(weeks=1) == NOISY[1])  # fmt: skip
    assert noisy.most_common(1)[0][0] in broken
    for breaches in broken.values():
        assert all(b.limit == "pages_per_shift" for b in breaches)
        assert all(re.fullmatch(r"\d+ pages in the shift starting \d{4}-\d\d-\d\d \d\d:\d\d \S+, limit 3"
                                r"( \(\d+ more shifts over it\))?", b.reason) for b in breaches)  # fmt: skip
    assert all(0 <= f.project_share <= 1 for f in found)


def test_without_the_services_the_pages_wait_and_without_the_seed_they_are_refused(
    sandbox_factory: Callable[..., Sandbox],
) -> None:
    waiting = seed_pages(sandbox_factory(seed="demo", clock=lambda: SEED_NOW))
    assert waiting.status_code == 200 and waiting.json() == {"ids": [], "waiting": sorted(RATES)}
    refused = seed_pages(sandbox_factory(clock=lambda: SEED_NOW))
    assert refused.status_code == 409 and "demo seed" in refused.json()["error"]


def _oncall(*args: str) -> Any:
    return CliRunner().invoke(
        cli, ["capacity", "oncall", "--now", ANCHOR.isoformat(), *args], catch_exceptions=False
    )


def _position_of(text: str, key: str, after: str) -> tuple[int, int]:
    """1-based line and column of `key:` in the first `load_limits:` block after `after`."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line == after)
    block = next(n for n in range(start, len(lines)) if lines[n].startswith("load_limits:"))
    for n in range(block + 1, len(lines)):
        if lines[n].lstrip().startswith(f"{key}:"):
            return n + 1, lines[n].index(":") + 3
    raise AssertionError(f"no {key} under {after}")


def test_capacity_oncall_reports_each_breach_at_the_limits_line(site: Site) -> None:
    done = _oncall("--format", "json")
    assert done.exit_code == 1, done.output
    doc = json.loads(done.output)
    assert doc["pages"]["total"] == len(site.pages)
    assert {p["email"]: p["pages"] for p in doc["people"] if p["pages"]} == dict(
        Counter(p.person for p in site.pages if p.person)
    )
    rotations = (REPO / "policies" / "rotations.yaml").read_text()
    line, column = _position_of(rotations, "pages_per_shift", "name: cloud-primary")
    assert doc["problems"], "the noisy week breaks cloud-primary's pages_per_shift"
    noisy = Counter(p.person for p in site.pages if p.service == NOISY[0]
                    and (p.start - SINCE) // dt.timedelta(weeks=1) == NOISY[1])  # fmt: skip
    named = {p["email"] for p in doc["people"] if p["name"] in {b["person"] for b in doc["problems"]}}
    assert noisy.most_common(1)[0][0] in named
    for problem in doc["problems"]:
        assert (problem["file"], problem["line"], problem["column"]) == (
            "policies/rotations.yaml", line, column)  # fmt: skip
        assert problem["rotation"] == "cloud-primary" and problem["limit"] == "pages_per_shift"
    text = _oncall()
    assert text.exit_code == 1
    assert f"policies/rotations.yaml:{line}:{column} [error] cloud-primary: " in text.output
    assert text.output.count("(load-limit)") == len(doc["problems"])


def test_someone_on_two_rotations_is_held_to_the_stricter_limit(
    site: Site, tmp_path: Path
) -> None:
    copy = tmp_path / "repo"
    for part in ("policies", "playbooks", "schemas"):
        shutil.copytree(REPO / part, copy / part)
    shutil.copy(REPO / "opskit.yaml", copy / "opskit.yaml")
    rotations = copy / "policies" / "rotations.yaml"
    text = rotations.read_text()
    marker = "name: platform-secondary\n"
    assert marker in text
    rotations.write_text(text.replace(marker, marker + "load_limits:\n  pages_per_shift: 1\n", 1))
    done = _oncall("--format", "json", "--config", str(copy / "opskit.yaml"),
                   "--rotation", "platform-secondary")  # fmt: skip
    doc = json.loads(done.output)
    assert doc["rotations"] == ["platform-secondary"]
    people = {p["name"]: p for p in doc["people"]}
    on_both = [p for p in people.values() if "platform-secondary" in p["rotations"]]
    assert on_both and all(p["limits"]["pages_per_shift"] == 1 for p in on_both)
    over = {p["name"] for p in on_both if p["most_in_a_shift"] > 1}
    assert over and {b["person"] for b in doc["problems"]} >= over
    assert {b["rotation"] for b in doc["problems"]} == {"platform-secondary"}
    assert done.exit_code == 1


def test_a_rotation_without_limits_passes_and_lists_only_its_people(site: Site) -> None:
    done = _oncall("--format", "json", "--rotation", "app-support-desk")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.output)
    desk = {p.email for p in site.policy.rotations["app-support-desk"].people}
    listed = {p["email"] for p in doc["people"]}
    assert desk <= listed and doc["problems"] == []
    assert all(p["rotations"] in (["app-support-desk"], []) for p in doc["people"])


def test_capacity_oncall_as_a_subprocess(site: Site) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "capacity", "oncall", "--now", ANCHOR.isoformat()],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "pd-pages-token" not in done.stdout + done.stderr
    assert "[error] cloud-primary:" in done.stdout and "project time" in done.stdout
