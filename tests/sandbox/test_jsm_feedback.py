"""JSM customer satisfaction (``/rest/servicedeskapi/request/{key}/feedback``), the ticket
loader's ``feedback`` and the demo seed's ratings, over HTTP and contract-checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from opskit.sandbox import Sandbox
from opskit.sandbox.jira.common import account_id, parse_jira_time
from opskit.sandbox.seed_feedback import DELIBERATE_RATINGS
from opskit.sandbox.seed_jira import DEMO_TICKETS
from opskit.sandbox.seed_tickets import DELIBERATE
from tests.sandbox.jira_site import Desk

EMAIL = "anna@northwind.example"
FEEDBACK = "/rest/servicedeskapi/request/{}/feedback"


def as_bob(desk: Desk, method: str, key: str, **kw: Any) -> requests.Response:
    return requests.request(
        method, desk.sb.url + FEEDBACK.format(key), auth=("bob@northwind.example", "t"),
        verify=str(desk.sb.ca_path), timeout=30, **kw,
    )  # fmt: skip


def resolved_request(desk: Desk) -> str:
    issue = desk.issue("Sync stopped")
    desk.clock.advance(hours=2)
    desk.jc.transition_issue(issue, "Resolved")
    desk.clock.advance(minutes=30)
    return str(issue.key)


def feedback(desk: Desk, key: str, method: str = "GET", **kw: Any) -> requests.Response:
    return desk.call(method, FEEDBACK.format(key), **kw)


def test_feedback_is_given_read_replaced_and_deleted(desk: Desk) -> None:
    key = resolved_request(desk)
    given = feedback(desk, key, "POST", json={"type": "csat", "rating": 4,
                                              "comment": {"body": "Great work!"}})  # fmt: skip
    assert given.status_code == 201, given.text
    assert given.json() == {"type": "csat", "rating": 4, "comment": {"body": "Great work!"}}
    issue_id = desk.call("GET", f"issue/{key}").json()["id"]
    assert feedback(desk, key).json() == given.json()
    assert feedback(desk, issue_id).json() == given.json()  # by id as by key
    stored = desk.sb.store.get("jsm.feedback", issue_id)
    assert stored is not None and parse_jira_time(stored["at"]) == desk.clock.now
    assert stored["author"] == desk.anna
    desk.clock.advance(days=1)
    again = feedback(desk, key, "POST", json={"type": "csat", "rating": 2})
    assert again.status_code == 201 and again.json() == {"type": "csat", "rating": 2}
    assert feedback(desk, key).json() == {"type": "csat", "rating": 2}  # no comment: none shown
    stored = desk.sb.store.get("jsm.feedback", issue_id)
    assert stored is not None and parse_jira_time(stored["at"]) == desk.clock.now
    blank = feedback(
        desk, key, "POST", json={"type": "csat", "rating": 3, "comment": {"body": " "}}
    )
    assert blank.json() == {"type": "csat", "rating": 3}
    deleted = feedback(desk, key, "DELETE")
    assert deleted.status_code == 204 and not deleted.content
    gone = feedback(desk, key)
    assert gone.status_code == 404 and set(gone.json()) == {"errorMessage", "i18nErrorMessage"}
    assert feedback(desk, key, "DELETE").status_code == 204  # nothing left to delete: still 204


def test_missing_requests_and_missing_feedback_are_404(desk: Desk) -> None:
    assert feedback(desk, "SUP-999").status_code == 404
    assert feedback(desk, "SUP-999", "POST", json={"type": "csat", "rating": 5}).status_code == 404
    assert feedback(desk, "SUP-999", "DELETE").status_code == 404
    never = desk.issue("Not rated")
    resp = feedback(desk, never.key)
    assert resp.status_code == 404 and "has no feedback" in resp.json()["errorMessage"]
    s = desk.jc._session
    s.post(desk.jc._get_url("project"), json={"key": "OPS", "name": "Ops",
           "projectTypeKey": "software", "leadAccountId": desk.anna})  # fmt: skip
    software = desk.jc.create_issue(fields={"project": {"key": "OPS"}, "summary": "x",
                                            "issuetype": {"name": "Task"}})  # fmt: skip
    assert feedback(desk, software.key).status_code == 404  # not a customer request


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "csat", "rating": 0}, "between 1 and 5"),
        ({"type": "csat", "rating": 6}, "between 1 and 5"),
        ({"type": "csat", "rating": "4"}, "between 1 and 5"),
        ({"type": "csat", "rating": True}, "between 1 and 5"),
        ({"type": "csat", "rating": 4.5}, "between 1 and 5"),
        ({"type": "csat"}, "between 1 and 5"),
        ({"rating": 4}, "type must be csat"),
        ({"type": "nps", "rating": 4}, "type must be csat"),
        ({"type": "csat", "rating": 4, "score": 9}, 'Unrecognized field "score"'),
        ({"type": "csat", "rating": 4, "comment": "nice"}, "comment must be an object"),
        ({"type": "csat", "rating": 4, "comment": {"body": "x", "public": True}}, "comment must"),
        ({"type": "csat", "rating": 4, "comment": {"body": 7}}, "comment.body must be text"),
        ([{"type": "csat", "rating": 4}], "must be a JSON object"),
    ],
)
def test_invalid_feedback_is_400(desk: Desk, body: Any, message: str) -> None:
    key = resolved_request(desk)
    resp = feedback(desk, key, "POST", json=body)
    assert resp.status_code == 400 and message in resp.json()["errorMessage"]
    assert feedback(desk, key).status_code == 404  # nothing was stored


def test_only_resolved_requests_are_rated_and_only_by_their_reporter(desk: Desk) -> None:
    open_one = desk.issue("Still open")
    resp = feedback(desk, open_one.key, "POST", json={"type": "csat", "rating": 5})
    assert resp.status_code == 400 and "is not resolved" in resp.json()["errorMessage"]
    key = resolved_request(desk)
    for method, body in (("POST", {"type": "csat", "rating": 1}), ("DELETE", None)):
        refused = as_bob(desk, method, key, json=body)
        assert refused.status_code == 403 and "reporter" in refused.json()["errorMessage"]
    assert feedback(desk, key, "POST", json={"type": "csat", "rating": 5}).status_code == 201
    assert as_bob(desk, "GET", key).json() == {"type": "csat", "rating": 5}  # agents may read
    assert as_bob(desk, "DELETE", key).status_code == 403
    assert feedback(desk, key).status_code == 200


def load(desk: Desk, tickets: list[dict[str, Any]]) -> requests.Response:
    return requests.post(
        f"{desk.sb.url}/_sandbox/jira/tickets", json={"tickets": tickets},
        verify=str(desk.sb.ca_path), timeout=30,
    )  # fmt: skip


T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def rated(**feedback_: Any) -> dict[str, Any]:
    at = [(T0 + timedelta(hours=h)).isoformat() for h in (1, 3, 30)]
    return {
        "project": "SUP", "summary": "Rated", "priority": "High", "reporter": EMAIL,
        "created": T0.isoformat(),
        "events": [{"at": at[0], "author": EMAIL, "status": "In Progress"},
                   {"at": at[1], "author": EMAIL, "status": "Resolved"},
                   {"at": at[2], "author": EMAIL, "status": "Closed"}],
        "feedback": feedback_,
    }  # fmt: skip


def test_loader_gives_feedback_at_the_resolution_or_later(desk: Desk) -> None:
    later = (T0 + timedelta(days=1)).isoformat()
    reopened = rated(rating=2)
    reopened["events"][2] = {"at": later, "author": EMAIL, "status": "In Progress"}
    resp = load(desk, [rated(rating=4, comment="Thanks"), rated(rating=5, at=later), reopened])
    assert resp.status_code == 201, resp.text
    first, second, third = resp.json()["keys"]
    assert feedback(desk, first).json() == {"type": "csat", "rating": 4,
                                            "comment": {"body": "Thanks"}}  # fmt: skip
    assert feedback(desk, second).json() == {"type": "csat", "rating": 5}
    assert feedback(desk, third).json() == {"type": "csat", "rating": 2}  # rated, then reopened
    ids = [desk.call("GET", f"issue/{k}").json()["id"] for k in (first, second)]
    docs = [desk.sb.store.get("jsm.feedback", i) or {} for i in ids]
    assert parse_jira_time(docs[0]["at"]) == T0 + timedelta(hours=3)  # resolved, not closed
    assert parse_jira_time(docs[1]["at"]) == T0 + timedelta(days=1)
    assert docs[0]["author"] == account_id(EMAIL)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"feedback": {"rating": 3}, "events": []}, "never resolved"),
        ({"feedback": {"rating": 6}}, "feedback.rating: a rating is an integer from 1 to 5"),
        ({"feedback": {"rating": "5"}}, "feedback.rating"),
        ({"feedback": {"rating": 3, "at": (T0 + timedelta(hours=2)).isoformat()}},
         "feedback.at: feedback cannot come before the ticket was resolved"),
        ({"feedback": {"rating": 3, "at": "2030-01-01T00:00:00+00:00"}}, "after the sandbox's"),
        ({"feedback": {"rating": 3, "comment": 5}}, "feedback.comment"),
        ({"feedback": 4}, "feedback must be an object"),
    ],
)  # fmt: skip
def test_refused_feedback_loads_nothing(desk: Desk, change: dict[str, Any], message: str) -> None:
    resp = load(desk, [rated(rating=5), {**rated(rating=5), **change}])
    assert resp.status_code == 400
    assert message in resp.json()["error"] and "tickets[1]" in resp.json()["error"]
    assert desk.jc.enhanced_search_issues("project = SUP", maxResults=0) == []
    assert desk.sb.store.all("jsm.feedback") == []
    assert load(desk, [rated(rating=5)]).json() == {"keys": ["SUP-1"]}


NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(db=tmp_path_factory.mktemp("csat") / "sb.db", seed="demo",
                 clock=lambda: NOW) as sb:  # fmt: skip
        yield sb


def ratings(sb: Sandbox, keys: list[str]) -> dict[str, int]:
    found = {}
    for key in keys:
        resp = requests.get(sb.url + FEEDBACK.format(key), auth=(EMAIL, "t"),
                            verify=str(sb.ca_path), timeout=30)  # fmt: skip
        assert resp.status_code in (200, 404), resp.text
        if resp.status_code == 200:
            found[key] = resp.json()["rating"]
    return found


def test_seed_rates_deliberate_and_random_tickets(
    seeded: Sandbox, watch_sandbox: Callable[[Sandbox], Sandbox]
) -> None:
    watch_sandbox(seeded)
    names = {f"SUP-{DEMO_TICKETS + n}": m.__name__ for n, m in enumerate(DELIBERATE, 1)}
    got = ratings(seeded, list(names))
    assert {names[k]: v for k, v in got.items()} == {
        name: rating for name, (rating, _, _) in DELIBERATE_RATINGS.items()
    }
    docs = seeded.store.all("jsm.feedback")
    issues = {i["id"]: i for i in seeded.store.all("jira.issue")}
    resolved = [i for i in issues.values() if i.get("resolutiondate") and
                int(i["key"].split("-")[1]) <= DEMO_TICKETS]  # fmt: skip
    random_rated = [d for d in docs if int(d["key"].split("-")[1]) <= DEMO_TICKETS]
    assert 0.4 * len(resolved) < len(random_rated) < 0.8 * len(resolved)
    assert {d["rating"] for d in random_rated} == {1, 2, 3, 4, 5}
    for d in docs:
        issue = issues[d["id"]]
        assert d["author"] == issue["reporter"]
        assert parse_jira_time(d["at"]) <= NOW
        if issue.get("resolutiondate"):
            assert parse_jira_time(d["at"]) >= parse_jira_time(issue["resolutiondate"])
        assert d["comment"] or d["rating"] > 2  # low ratings always say why


def test_seed_ratings_are_the_same_for_the_same_anchor(
    seeded: Sandbox, sandbox_factory: Callable[..., Sandbox]
) -> None:
    other = sandbox_factory(seed="demo", clock=lambda: NOW + timedelta(minutes=10))
    keys = [f"SUP-{n}" for n in range(1, DEMO_TICKETS + len(DELIBERATE) + 1, 7)]
    first = ratings(seeded, keys)
    assert first and ratings(other, keys) == first
    assert seeded.store.all("jsm.feedback") == other.store.all("jsm.feedback")
