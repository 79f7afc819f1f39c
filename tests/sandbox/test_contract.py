"""The contract checker itself: it must catch what breaks the vendors' documents."""

from __future__ import annotations

import json
from typing import Any

from opskit.sandbox.contract import ContractChecker
from opskit.sandbox.reqlog import Exchange

PD_HEADERS = {
    "Authorization": "Token token=x",
    "Accept": "application/vnd.pagerduty+json;version=2",
}


def pd_users(body: Any, status: int = 200) -> Exchange:
    return Exchange(
        method="GET",
        path="/users",
        query=[("limit", "10")],
        headers=PD_HEADERS,
        body=b"",
        status=status,
        response_headers={"Content-Type": "application/json"},
        response_body=json.dumps(body).encode(),
        route="/users",
        api="pagerduty",
    )


def test_valid_exchange_passes(sandbox_spec_checker: ContractChecker) -> None:
    ok = pd_users({"users": [], "limit": 10, "offset": 0, "more": False, "total": None})
    assert sandbox_spec_checker.problems(ok) == []


def test_wrong_response_types_are_caught(sandbox_spec_checker: ContractChecker) -> None:
    bad = pd_users({"users": [{"id": 7}], "limit": "ten", "offset": 0, "more": False})
    problems = sandbox_spec_checker.problems(bad)
    assert len(problems) == 1 and "GET /users -> 200: response" in problems[0]


def test_invalid_request_accepted_is_caught_but_refusal_is_fine(
    sandbox_spec_checker: ContractChecker,
) -> None:
    body = json.dumps({"escalation_policy": {"name": 5}}).encode()
    accepted = Exchange(
        method="POST",
        path="/escalation_policies",
        query=[],
        headers={**PD_HEADERS, "Content-Type": "application/json"},
        body=body,
        status=201,
        response_headers={"Content-Type": "application/json"},
        response_body=b"{}",
        route="/escalation_policies",
        api="pagerduty",
    )
    assert any("request accepted but invalid" in p for p in sandbox_spec_checker.problems(accepted))
    refused = Exchange(
        **{
            **accepted.__dict__,
            "status": 400,
            "response_body": json.dumps(
                {"error": {"message": "Invalid Input Provided", "code": 2001, "errors": []}}
            ).encode(),
        }
    )
    assert sandbox_spec_checker.problems(refused) == []


def test_jira_v2_paths_are_checked_against_v3_document(
    sandbox_spec_checker: ContractChecker,
) -> None:
    exchange = Exchange(
        method="GET",
        path="/rest/api/2/serverInfo",
        query=[],
        headers={},
        body=b"",
        status=200,
        response_headers={"Content-Type": "application/json"},
        response_body=json.dumps({"deploymentType": 3}).encode(),
        route="/rest/api/2/serverInfo",
        api="jira",
    )
    assert "response" in sandbox_spec_checker.problems(exchange)[0]


def _assign(body: Any, status: int = 204) -> Exchange:
    return Exchange(
        method="PUT",
        path="/rest/api/2/issue/SUP-1/assignee",
        query=[],
        headers={"Content-Type": "application/json"},
        body=json.dumps(body).encode(),
        status=status,
        response_headers={},
        response_body=b"",
        route="/rest/api/2/issue/<key>/assignee",
        api="jira",
    )


def test_null_account_unassigns_but_other_wrong_types_are_caught(
    sandbox_spec_checker: ContractChecker,
) -> None:
    # The document's description says null unassigns; its schema forgets to allow it.
    assert sandbox_spec_checker.problems(_assign({"accountId": None})) == []
    problems = sandbox_spec_checker.problems(_assign({"accountId": 42}))
    assert any("request accepted but invalid" in p for p in problems)
