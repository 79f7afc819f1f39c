"""The sandbox behaves as Jira Cloud does where the Jira sync relies on it."""

from __future__ import annotations

import pytest
from jira import JIRA, JIRAError

from opskit.sandbox import Sandbox
from tests.sandbox.fixtures import error_body, jira_client_for


@pytest.fixture
def jira(sandbox: Sandbox) -> JIRA:
    return jira_client_for(sandbox)


def test_component_keeps_its_assignee_type(jira: JIRA) -> None:
    jira._session.post(
        jira._get_url("project"), json={"key": "SUP", "name": "S", "projectTypeKey": "software"}
    )
    made = jira._session.post(jira._get_url("component"), json={
        "name": "Storage", "project": "SUP", "assigneeType": "COMPONENT_LEAD",
    }).json()  # fmt: skip
    assert made["assigneeType"] == "COMPONENT_LEAD"
    [listed] = jira.project_components("SUP")
    assert listed.raw["assigneeType"] == "COMPONENT_LEAD"
    with pytest.raises(JIRAError) as refused:
        jira._session.put(jira._get_url(f"component/{made['id']}"), json={"assigneeType": "NOBODY"})
    assert error_body(refused.value)["errors"] == {
        "assigneeType": "The assignee type is not valid."
    }


def test_priority_description_is_limited_to_255_characters(jira: JIRA) -> None:
    with pytest.raises(JIRAError) as refused:
        jira._session.post(jira._get_url("priority"), json={
            "name": "Urgent", "statusColor": "#ff0000", "description": "x" * 256,
        })  # fmt: skip
    assert refused.value.status_code == 400
    assert "255" in error_body(refused.value)["errors"]["description"]
    made = jira._session.post(jira._get_url("priority"), json={
        "name": "Urgent", "statusColor": "#ff0000", "description": "x" * 255,
    })  # fmt: skip
    assert made.status_code == 201


def test_priority_scheme_takes_projects_from_other_schemes(jira: JIRA) -> None:
    session, url = jira._session, jira._get_url
    project = session.post(
        url("project"), json={"key": "SUP", "name": "S", "projectTypeKey": "software"}
    ).json()
    first = session.post(url("priorityscheme"), json={
        "name": "Old", "defaultPriorityId": 3, "priorityIds": [1, 3], "projectIds": [project["id"]],
    }).json()  # fmt: skip
    second = session.post(url("priorityscheme"), json={
        "name": "New", "defaultPriorityId": 1, "priorityIds": [1, 2], "projectIds": [project["id"]],
    }).json()  # fmt: skip
    listed = session.get(url("priorityscheme"), params={"expand": "projects"}).json()["values"]
    projects = {s["id"]: [p["key"] for p in s["projects"]["values"]] for s in listed}
    assert projects == {first["id"]: [], second["id"]: ["SUP"]}  # a project has one scheme
    with pytest.raises(JIRAError) as refused:
        session.put(
            url(f"priorityscheme/{second['id']}"), json={"priorities": {"remove": {"ids": [1]}}}
        )
    assert "defaultPriorityId" in error_body(refused.value)["errors"]
