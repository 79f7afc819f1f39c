"""The target step kinds (page, jira, http, notify, sla) against the sandbox: each does its
effect once, adopts it when an interrupted attempt already did it, fails in one line, and
keeps secrets out of its outputs."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opskit.playbooks.step_api import StepFailed, StepResult
from opskit.playbooks.steps import kind
from opskit.playbooks.steps.http import Http
from opskit.playbooks.steps.jira import Jira, marker
from opskit.playbooks.steps.notify import Notify
from opskit.playbooks.steps.page import Page
from opskit.playbooks.steps.sla import Sla
from opskit.policy.model import Policy
from opskit.sandbox import Sandbox
from opskit.sandbox.pytest_plugin import *  # noqa: F403
from tests.playbooks.kinds_helpers import Io, context, loopback
from tests.sla.enforce_helpers import PD_TOKEN, Site, make_site
from tests.sla.site import admin

SECRET = "status-token-9f2c41d7"


@pytest.fixture
def site(
    sandbox: Sandbox, sandbox_contract: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Site]:
    yield make_site(sandbox, monkeypatch, tmp_path / "cache")
    # the plugin checks this after each test only where it is a conftest: here, by hand
    problems = sandbox_contract.problems()
    assert not problems, "sandbox traffic breaks the vendor contract:\n  " + "\n  ".join(
        problems[:10]
    )


def incidents(site: Site, dedup_key: str) -> list[dict[str, Any]]:
    return [
        i
        for i in site.pd.iter_all("incidents", params={"date_range": "all"})
        if i.get("incident_key") == dedup_key
    ]


def events(site: Site, dedup_key: str) -> list[dict[str, Any]]:
    out = []
    for exchange in site.sandbox.log.snapshot():
        if exchange.method == "POST" and exchange.path == "/v2/enqueue":
            body = json.loads(exchange.body)
            if body.get("dedup_key") == dedup_key:
                out.append(body)
    return out


def labelled(site: Site, label: str) -> list[str]:
    answer = admin(site.sandbox, "POST", "/rest/api/3/search/jql",
                   {"jql": f'labels = "{label}"', "fields": ["summary"]})  # fmt: skip
    return [str(i["key"]) for i in answer.json()["issues"]]


def status_of(site: Site, key: str) -> str:
    return str(site.issue(key)["fields"]["status"]["name"])


def run(site: Site, step: str, kind_name: str, values: dict[str, Any], **extra: Any) -> StepResult:
    return kind(kind_name).execute(context(site.policy, step, kind_name, values, **extra))


def test_the_kinds_load_by_name_and_describe_without_the_network() -> None:
    lines = {
        "page": Page().describe({"action": "trigger", "service": "major-incident",
                                 "summary": "Major incident", "severity": "critical"}),
        "resolve": Page().describe({"action": "resolve", "service": "storage-api", "of": "page"}),
        "jira": Jira().describe({"action": "create", "project": "OPS", "summary": "Outage"}),
        "comment": Jira().describe({"action": "comment", "body": "Restored."}),
        "move": Jira().describe({"action": "transition", "transition": "Mitigated"}),
        "http": Http().describe({"method": "POST", "url": "https://status.example/x",
                                 "expect_status": 201}),
        "notify": Notify().describe({"service": "storage-api", "message": "Look"}),
        "sla": Sla().describe({"ticket": "SUP-1"}),
    }  # fmt: skip
    assert lines["page"] == "PagerDuty: trigger major-incident (critical): Major incident"
    assert lines["resolve"] == "PagerDuty: resolve the incident of step page on storage-api"
    assert lines["jira"] == "Jira: create a Task in OPS: Outage"
    assert lines["comment"] == "Jira: comment on this run's issue: Restored."
    assert lines["move"] == "Jira: move this run's issue to Mitigated"
    assert lines["http"] == "HTTP: POST https://status.example/x (expects 201)"
    assert "storage-api" in lines["notify"] and "SUP-1" in lines["sla"]
    for name in ("page", "jira", "http", "notify", "sla"):
        assert callable(kind(name).execute)


# --- page -----------------------------------------------------------------------------


def test_a_trigger_opens_one_incident_and_an_interrupted_one_is_adopted(site: Site) -> None:
    values = {"action": "trigger", "service": "storage-api", "summary": "Storage down",
              "severity": "critical"}  # fmt: skip
    first = run(site, "declare-major", "page", values)
    mark = context(site.policy, "declare-major", "page", values).mark
    assert first.outcome == "done" and not first.adopted
    assert first.outputs["dedup_key"] == mark
    [incident] = incidents(site, mark)
    assert first.outputs["incident_id"] == incident["id"]
    assert first.outputs["incident_number"] == incident["incident_number"]
    assert first.outputs["incident_url"] == incident["html_url"]

    again = run(site, "declare-major", "page", values, in_flight=True)
    assert again.adopted and again.outcome == "done"
    assert again.outputs["incident_id"] == incident["id"]
    assert len(incidents(site, mark)) == 1
    assert PD_TOKEN not in json.dumps([first.outputs, again.outputs])
    assert not any("routing" in k for k in first.outputs)


def test_an_interrupted_trigger_that_never_arrived_is_sent(site: Site) -> None:
    values = {"action": "trigger", "service": "file-sync", "summary": "Sync down",
              "dedup_key": "storage-2026-12-02"}  # fmt: skip
    result = run(site, "page", "page", values, in_flight=True)
    assert result.outcome == "done" and not result.adopted
    assert result.outputs["dedup_key"] == "storage-2026-12-02"
    assert len(incidents(site, "storage-2026-12-02")) == 1


def test_acknowledge_and_resolve_reach_the_incident_of_an_earlier_step(site: Site) -> None:
    trigger = run(site, "open", "page", {"service": "storage-api", "summary": "Down"})
    key = trigger.outputs["dedup_key"]
    outputs = {"open": trigger.outputs}
    ack = run(site, "ack", "page", {"action": "acknowledge", "service": "storage-api",
                                    "of": "open"}, outputs=outputs)  # fmt: skip
    assert ack.outputs["status"] == "acknowledged" and ack.outputs["dedup_key"] == key
    # no `of`: the latest trigger of this run on the same service
    resolve = run(site, "resolve-page", "page", {"action": "resolve", "service": "storage-api"},
                  outputs=outputs)  # fmt: skip
    assert resolve.outcome == "done" and resolve.outputs["status"] == "resolved"
    [incident] = incidents(site, key)
    assert incident["status"] == "resolved"
    sent = len(events(site, key))

    again = run(site, "resolve-page", "page", {"action": "resolve", "service": "storage-api"},
                outputs=outputs, in_flight=True)  # fmt: skip
    assert again.adopted and again.outputs["status"] == "resolved"
    assert len(events(site, key)) == sent  # nothing sent again
    # a trigger adopted after its incident was resolved does not open another
    retrigger = run(site, "open", "page", {"service": "storage-api", "summary": "Down"},
                    in_flight=True)  # fmt: skip
    assert retrigger.adopted and len(incidents(site, key)) == 1


def test_page_failures_are_one_line(site: Site) -> None:
    with pytest.raises(StepFailed, match="unknown service 'nope': not in the policy"):
        run(site, "p", "page", {"service": "nope", "summary": "x"})
    with pytest.raises(StepFailed, match="'backup' has no Events API v2 integration"):
        run(site, "p", "page", {"service": "backup", "summary": "x"})
    with pytest.raises(StepFailed, match="no earlier page trigger on 'storage-api'"):
        run(site, "p", "page", {"action": "resolve", "service": "storage-api"})
    with pytest.raises(StepFailed, match="no outputs of step 'missing'"):
        run(site, "p", "page", {"action": "resolve", "service": "storage-api", "of": "missing"})
    with pytest.raises(StepFailed, match="`severity` must be one of"):
        run(site, "p", "page", {"service": "storage-api", "summary": "x", "severity": "loud"})


def test_resolving_a_key_no_incident_has_says_so(site: Site) -> None:
    values = {"action": "resolve", "service": "storage-api", "dedup_key": "never-sent"}
    result = run(site, "resolve-page", "page", values)
    assert result.outcome == "done" and "incident_id" not in result.outputs
    assert result.message.endswith("(no incident has that key)")


def test_page_without_pagerduty_credentials_fails_in_one_line(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAGERDUTY_API_KEY")
    with pytest.raises(StepFailed, match="PAGERDUTY_API_KEY is not set"):
        run(site, "p", "page", {"service": "storage-api", "summary": "x"})


# --- jira -----------------------------------------------------------------------------

CREATE = {"action": "create", "project": "OPS", "summary": "Storage outage",
          "body": "Opened from the storage-outage playbook.", "priority": "P1"}  # fmt: skip


def test_create_makes_one_labelled_issue_and_adopts_it_when_interrupted(site: Site) -> None:
    first = run(site, "open-incident", "jira", CREATE)
    mark = context(site.policy, "open-incident", "jira", CREATE).mark
    key = first.outputs["key"]
    assert first.outcome == "done" and not first.adopted and key.startswith("OPS-")
    assert first.outputs["url"] == f"{site.sandbox.url}/browse/{key}"
    issue = site.issue(key)
    assert mark in issue["fields"]["labels"]
    assert issue["fields"]["summary"] == "Storage outage"
    assert issue["fields"]["priority"]["name"] == "Highest"
    prop = admin(site.sandbox, "GET", f"/rest/api/2/issue/{key}/properties/opskit.playbook")
    assert prop.json()["value"] == {"run": context(site.policy, "x", "jira", {}).run_id,
                                    "step": "open-incident"}  # fmt: skip

    again = run(site, "open-incident", "jira", CREATE, in_flight=True)
    assert again.adopted and again.outputs == first.outputs
    assert labelled(site, mark) == [key]


def test_an_interrupted_create_before_the_property_finishes_the_record(site: Site) -> None:
    mark = context(site.policy, "open-incident", "jira", CREATE).mark
    made = admin(site.sandbox, "POST", "/rest/api/2/issue", {"fields": {
        "project": {"key": "OPS"}, "summary": "Storage outage", "issuetype": {"name": "Task"},
        "labels": [mark]}}).json()  # fmt: skip
    result = run(site, "open-incident", "jira", CREATE, in_flight=True)
    assert result.adopted and result.outputs["key"] == made["key"]
    prop = admin(site.sandbox, "GET",
                 f"/rest/api/2/issue/{made['key']}/properties/opskit.playbook")  # fmt: skip
    assert prop.json()["value"]["step"] == "open-incident"
    assert labelled(site, mark) == [made["key"]]


def test_comment_on_the_run_s_issue_once(site: Site) -> None:
    created = run(site, "open-incident", "jira", CREATE)
    outputs = {"open-incident": created.outputs}
    key = created.outputs["key"]
    values = {"action": "comment", "body": "Service restored."}
    first = run(site, "update-ticket", "jira", values, outputs=outputs)
    mark = context(site.policy, "update-ticket", "jira", values).mark
    assert first.outcome == "done" and first.outputs["key"] == key
    again = run(site, "update-ticket", "jira", values, outputs=outputs, in_flight=True)
    assert again.adopted and again.outputs["comment_id"] == first.outputs["comment_id"]
    marked = [c for c in site.comments(key) if marker(mark) in c["body"]]
    assert len(marked) == 1 and marked[0]["body"].startswith("Service restored.")


def test_each_visit_of_a_loop_comments_once_and_adopts_only_its_own(site: Site) -> None:
    created = run(site, "open-incident", "jira", CREATE)
    outputs = {"open-incident": created.outputs}
    key = created.outputs["key"]
    values = {"action": "comment", "body": "Progress since the last update."}
    first = run(site, "progress", "jira", values, outputs=outputs)
    # the loop comes back: the second visit cut off before its comment landed must post
    # its own, not adopt the first visit's
    second = run(site, "progress", "jira", values, outputs=outputs, in_flight=True, visit=2)
    assert not second.adopted and second.outputs["comment_id"] != first.outputs["comment_id"]
    again = run(site, "progress", "jira", values, outputs=outputs, in_flight=True, visit=2)
    assert again.adopted and again.outputs["comment_id"] == second.outputs["comment_id"]
    marks = [context(site.policy, "progress", "jira", values, visit=v).mark for v in (1, 2)]
    assert marks[1] == f"{marks[0]}-v2"
    bodies = [c["body"] for c in site.comments(key)]
    assert [sum(marker(m) in b for b in bodies) for m in marks] == [1, 1]


def test_comment_on_a_named_ticket(site: Site) -> None:
    key = site.new_ticket()
    result = run(site, "note", "jira", {"action": "comment", "issue": key, "body": "Looking."})
    assert result.outputs["key"] == key
    assert any("Looking." in c["body"] for c in site.comments(key))


def test_transition_by_name_and_adopt_when_already_there(site: Site) -> None:
    created = run(site, "open-incident", "jira", CREATE)
    outputs = {"open-incident": created.outputs}
    key = created.outputs["key"]
    values = {"action": "transition", "transition": "In Progress"}
    first = run(site, "mitigated", "jira", values, outputs=outputs)
    assert first.outcome == "done" and not first.adopted
    assert status_of(site, key) == "In Progress" and first.outputs["status"] == "In Progress"
    before = len(site.sandbox.log.snapshot())
    again = run(site, "mitigated", "jira", values, outputs=outputs, in_flight=True)
    assert again.adopted and again.outputs["status"] == "In Progress"
    assert not [e for e in site.sandbox.log.snapshot()[before:] if e.method == "POST"
                and e.path.endswith("/transitions")]  # fmt: skip
    # a transition whose screen asks for a resolution gets one
    done = run(site, "close", "jira", {"action": "transition", "transition": "resolved"},
               outputs=outputs)  # fmt: skip
    assert done.outputs["status"] == "Resolved" and status_of(site, key) == "Resolved"


def test_jira_failures_are_one_line(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StepFailed, match=r"Jira refused to create the issue in NOPE: .*400"):
        run(site, "o", "jira", {**CREATE, "project": "NOPE"})
    with pytest.raises(StepFailed, match="no issue: give `issue`"):
        run(site, "c", "jira", {"action": "comment", "body": "x"})
    key = site.new_ticket()
    with pytest.raises(StepFailed, match=f"Jira {key} \\(Open\\) has no transition 'Mitigated'"):
        run(site, "t", "jira", {"action": "transition", "issue": key, "transition": "Mitigated"})
    with pytest.raises(StepFailed, match="Jira refused the comment on SUP-999"):
        run(site, "c", "jira", {"action": "comment", "issue": "SUP-999", "body": "x"})
    with pytest.raises(StepFailed, match="`action` must be one of create, comment, transition"):
        run(site, "c", "jira", {"action": "delete"})
    monkeypatch.delenv("JIRA_API_TOKEN")
    with pytest.raises(StepFailed, match="JIRA_API_TOKEN not set"):
        run(site, "o", "jira", CREATE)


# --- http -----------------------------------------------------------------------------


def http_values(url: str, **extra: Any) -> dict[str, Any]:
    return {"method": "POST", "url": f"{url}/api/v1/incidents", "json": {"status": "investigating"},
            "headers": {"Authorization": {"env": "STATUS_TOKEN", "prefix": "Bearer "},
                        "X-Source": "opskit"},
            "expect_status": 201, "timeout": "5s", **extra}  # fmt: skip


ENV = {"STATUS_TOKEN": SECRET}


def test_http_sends_once_with_the_idempotency_key_and_keeps_the_secret_out() -> None:
    with loopback() as (url, got):
        ctx = context(None, "status-page", "http", http_values(url), env=ENV)  # type: ignore[arg-type]
        result = Http().execute(ctx)
        assert result.outcome == "done", result.message
        assert got.keys == {ctx.mark: 1}
        [seen] = got.requests
        assert seen["headers"]["Authorization"] == f"Bearer {SECRET}"
        assert seen["headers"]["X-Source"] == "opskit"
        assert seen["body"] == {"status": "investigating"}
        assert result.outputs["status"] == 201 and result.outputs["idempotency_key"] == ctx.mark
        assert result.outputs["json"]["seen"]["path"] == "/api/v1/incidents"
        assert SECRET not in json.dumps(result.outputs) + result.message
        assert "***" in result.outputs["body"]  # echoed back, redacted


def test_http_in_flight_resends_an_idempotent_call_with_the_same_key() -> None:
    with loopback() as (url, got):
        values = http_values(url, idempotent=True)
        first = Http().execute(context(None, "s", "http", values, env=ENV))  # type: ignore[arg-type]
        io = Io()
        ctx = context(None, "s", "http", values, env=ENV, in_flight=True, io=io)  # type: ignore[arg-type]
        again = Http().execute(ctx)
        assert first.outcome == again.outcome == "done"
        assert got.keys == {ctx.mark: 2} and not io.asked  # one key: the server keeps one


def test_http_in_flight_asks_before_sending_again() -> None:
    with loopback() as (url, got):
        values = http_values(url)
        Http().execute(context(None, "s", "http", values, env=ENV))  # type: ignore[arg-type]
        no = Io(answer=False)
        ctx = context(None, "s", "http", values, env=ENV, in_flight=True, io=no)  # type: ignore[arg-type]
        skipped = Http().execute(ctx)
        assert skipped.outcome == "skipped" and len(no.asked) == 1
        assert got.keys == {ctx.mark: 1}
        yes = Io(answer=True)
        ctx = context(None, "s", "http", values, env=ENV, in_flight=True, io=yes)  # type: ignore[arg-type]
        assert Http().execute(ctx).outcome == "done"
        assert got.keys == {ctx.mark: 2}


def test_http_failures() -> None:
    with loopback() as (url, got):
        got.status = 500
        got.reply = b'{"error": "database down"}'
        ctx = context(None, "s", "http", http_values(url), env=ENV)  # type: ignore[arg-type]
        failed = Http().execute(ctx)
        assert failed.outcome == "failed"
        assert failed.message.endswith(': 500, expected 201: {"error": "database down"}')
        assert failed.outputs["status"] == 500
        with pytest.raises(StepFailed, match="environment variable STATUS_TOKEN is not set"):
            Http().execute(context(None, "s", "http", http_values(url), env={}))  # type: ignore[arg-type]
        sent = sum(got.keys.values())
    assert sent == 1
    with pytest.raises(StepFailed, match="must be https://"):
        Http().execute(context(None, "s", "http", {"url": "http://status.example/x"}, env={}))  # type: ignore[arg-type]
    with pytest.raises(StepFailed, match="cannot reach it"):
        Http().execute(context(None, "s", "http", {"url": "http://127.0.0.1:9/x"}, env={}))  # type: ignore[arg-type]
    with pytest.raises(StepFailed, match="`timeout`"):
        Http().execute(context(None, "s", "http", {"url": url, "timeout": "soon"}, env={}))  # type: ignore[arg-type]


def test_http_bounds_the_body_it_keeps() -> None:
    with loopback() as (url, got):
        got.status = 200
        got.reply = b"x" * (200 * 1024)
        result = Http().execute(context(None, "s", "http", {"url": url + "/big"}, env={}))  # type: ignore[arg-type]
    assert result.outcome == "done" and result.outputs["truncated"] is True
    assert len(result.outputs["body"]) == 64 * 1024 and "json" not in result.outputs


# --- wait until -----------------------------------------------------------------------


def until_http(url: str, **extra: Any) -> dict[str, Any]:
    return {"duration": "1s", "until": {"http": {"url": f"{url}/healthz", **extra}}}


def test_wait_until_a_health_check_passes_checks_again_at_the_end() -> None:
    with loopback() as (url, got):
        got.status, got.statuses = 200, [503]
        io = Io()
        result = kind("wait").execute(
            context(Policy(), "healthy", "wait", until_http(url), io=io)
        )
    assert result.outcome == "done" and result.next_step is None
    assert result.outputs["met"] is True and result.outputs["checks"] == 2
    assert result.outputs["last"] == f"GET {url}/healthz: 200"
    assert [r["method"] for r in got.requests] == ["GET", "GET"]
    assert any("not yet: GET" in line and ": 503" in line for line in io.said)


def test_wait_until_that_never_passes_goes_to_on_timeout_or_fails() -> None:
    with loopback() as (url, got):
        got.status = 503
        values = {**until_http(url, expect_status=204), "on_timeout": "escalate"}
        result = kind("wait").execute(context(Policy(), "healthy", "wait", values))
        assert result.next_step == "escalate" and result.outputs["met"] is False
        assert result.outputs["checks"] == 2 and "on to escalate" in result.message
        with pytest.raises(StepFailed, match=r"not within 1s \(2 checks; last: GET .*: 503\)"):
            kind("wait").execute(context(Policy(), "healthy", "wait", until_http(url)))


def test_wait_until_refuses_what_it_cannot_check(monkeypatch: pytest.MonkeyPatch) -> None:
    for values, message in [
        ({"duration": "1m", "until": {"http": {"url": "http://example.org/"}}}, "must be https"),
        ({"duration": "1m", "until": {"ping": "x"}}, "unknown check 'ping'"),
        ({"duration": "1m", "until": {"http": {"url": "https://x.example/"}}, "every": "2s"},
         "every: at least 5s"),
        ({"duration": "1m", "until": {"acknowledged": "open"}}, "no outputs of step 'open'"),
    ]:  # fmt: skip
        with pytest.raises(StepFailed, match=message):
            kind("wait").execute(context(Policy(), "w", "wait", values))


def test_wait_until_the_page_is_acknowledged_reads_the_incident(site: Site) -> None:
    trigger = run(site, "open", "page", {"service": "storage-api", "summary": "Down"})
    outputs = {"open": trigger.outputs}
    values = {"duration": "1s", "until": {"acknowledged": "open"}}
    with pytest.raises(StepFailed, match=r"not within 1s \(2 checks; last: incident #\d+ triggered"):
        run(site, "acked", "wait", values, outputs=outputs)
    run(site, "ack", "page", {"action": "acknowledge", "service": "storage-api", "of": "open"},
        outputs=outputs)  # fmt: skip
    acked = run(site, "acked", "wait", values, outputs=outputs)
    assert acked.outputs["met"] is True and acked.outputs["checks"] == 1
    assert acked.outputs["last"].endswith(" acknowledged")
    resolved = {"duration": "1s", "until": {"resolved": "open"}}
    with pytest.raises(StepFailed, match="acknowledged"):
        run(site, "gone", "wait", resolved, outputs=outputs)


# --- notify ---------------------------------------------------------------------------


def test_notify_pages_whoever_is_on_call_once(site: Site) -> None:
    io = Io()
    values = {"service": "storage-api", "message": "Storage outage: please join #inc-storage"}
    first = Notify().execute(context(site.policy, "tell", "notify", values, io=io))
    mark = context(site.policy, "tell", "notify", values).mark
    assert first.outcome == "done" and not first.adopted
    assert first.outputs["on_call"] and all(isinstance(n, str) for n in first.outputs["on_call"])
    assert first.outputs["dedup_key"] == mark
    assert io.said and io.said[0].startswith("On call for storage-api")
    [incident] = incidents(site, mark)
    assert incident["title"] == values["message"]
    again = Notify().execute(context(site.policy, "tell", "notify", values, in_flight=True))
    assert again.adopted and len(incidents(site, mark)) == 1
    with pytest.raises(StepFailed, match="unknown service 'nope'"):
        Notify().execute(context(site.policy, "tell", "notify", {"service": "nope",
                                                                 "message": "x"}))  # fmt: skip


# --- sla ------------------------------------------------------------------------------


def test_sla_shows_the_ticket_s_clocks(site: Site) -> None:
    key = site.new_ticket()
    io = Io()
    before = len([e for e in site.sandbox.log.snapshot() if e.method in ("PUT", "DELETE")])
    result = Sla().execute(context(site.policy, "clocks", "sla", {"ticket": key.lower()}, io=io))
    assert result.outcome == "done" and result.outputs["ticket"] == key
    clocks = result.outputs["clocks"]
    assert "first_response" in clocks
    assert {"state", "remaining", "deadline"} <= set(clocks["first_response"])
    assert io.said[0].startswith(key) and any("first_response" in line for line in io.said)
    after = len([e for e in site.sandbox.log.snapshot() if e.method in ("PUT", "DELETE")])
    assert after == before  # no effect
    with pytest.raises(StepFailed, match="no issue SUP-999"):
        Sla().execute(context(site.policy, "clocks", "sla", {"ticket": "SUP-999"}))
    with pytest.raises(StepFailed, match="needs `ticket`"):
        Sla().execute(context(site.policy, "clocks", "sla", {}))


def test_the_incident_clocks_line_is_read_at_most_once_a_minute(site: Site) -> None:
    from rich.console import Console

    from opskit.playbooks.console import Progress
    from opskit.playbooks.incident_clocks import IncidentClocks

    key = site.new_ticket()
    ticks = [1000.0]
    clocks = IncidentClocks(site.policy, key.lower(), monotonic=lambda: ticks[0])

    def reads() -> int:
        return sum(1 for e in site.sandbox.log.snapshot() if e.path.startswith("/rest/"))

    line = clocks.line()
    assert line is not None and line.startswith(f"{key} (") and "first_response" in line
    seen = reads()
    ticks[0] += 59
    assert clocks.line() == line and reads() == seen  # cached
    ticks[0] += 2
    clocks.line()
    assert reads() > seen  # read again after a minute
    console = Console(record=True, width=200, color_system=None)
    progress = Progress(console, dt.datetime.now(dt.UTC), clocks.line)
    progress.step(1, 2, {"id": "page", "kind": "page"}, "next-one")
    assert f"SLA {key} (" in console.export_text()

    missing = IncidentClocks(site.policy, "SUP-999", monotonic=lambda: ticks[0])
    first = missing.line()
    assert first is not None and first.startswith("SUP-999: SLA clocks unavailable (")
    ticks[0] += 61
    assert missing.line() is None  # said once
