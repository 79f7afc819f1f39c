"""Jira platform endpoints through the official ``jira`` client."""

from __future__ import annotations

import pytest
from jira import JIRA, JIRAError

from opskit.sandbox import Sandbox
from tests.sandbox.fixtures import error_body


def test_client_sees_a_cloud_site(jira: JIRA) -> None:
    assert jira.deploymentType == "Cloud"
    assert jira._is_cloud
    me = jira.myself()
    assert me["emailAddress"] == "anna@northwind.example"
    found = jira.search_users(query="anna@northwind.example")
    assert [u.accountId for u in found] == [me["accountId"]]


def test_priorities_create_update_list(jira: JIRA) -> None:
    url = jira._get_url("priority")
    resp = jira._session.post(
        url,
        json={
            "name": "P1",
            "statusColor": "#ff0000",
            "description": "Critical",
            "iconUrl": "/images/icons/priorities/critical.png",
        },
    )
    pid = resp.json()["id"]
    jira._session.put(f"{url}/{pid}", json={"description": "Customers cannot work"})
    by_name = {p.name: p for p in jira.priorities()}
    assert by_name["P1"].description == "Customers cannot work"
    with pytest.raises(JIRAError) as dup:
        jira._session.post(url, json={"name": "p1", "statusColor": "#ff0000"})
    assert dup.value.status_code == 400
    assert "name" in error_body(dup.value)["errors"]


def test_projects_and_components_use_self_links(jira: JIRA) -> None:
    me = jira.myself()
    jira._session.post(
        jira._get_url("project"),
        json={
            "key": "SUP",
            "name": "Support",
            "projectTypeKey": "service_desk",
            "leadAccountId": me["accountId"],
        },
    )
    assert [p.key for p in jira.projects()] == ["SUP"]
    comp = jira.create_component("Billing", "SUP", description="Invoices")
    assert comp.self.endswith(f"/rest/api/2/component/{comp.id}")
    comp.update(description="Invoices and refunds")
    assert jira.component(comp.id).description == "Invoices and refunds"
    assert [c.name for c in jira.project_components("SUP")] == ["Billing"]
    comp.delete()
    assert jira.project_components("SUP") == []
    with pytest.raises(JIRAError) as missing:
        jira.component(comp.id)
    assert missing.value.status_code == 404
    assert error_body(missing.value)["errorMessages"]


def test_custom_field_contexts_and_options(jira: JIRA) -> None:
    field = jira._session.post(
        jira._get_url("field"),
        json={
            "name": "Customer tier",
            "type": "com.atlassian.jira.plugin.system.customfieldtypes:select",
        },
    ).json()
    ctx_url = jira._get_url(f"field/{field['id']}/context")
    ctx = jira._session.post(ctx_url, json={"name": "Default"}).json()
    opt_url = f"{ctx_url}/{ctx['id']}/option"
    created = jira._session.post(
        opt_url, json={"options": [{"value": "Gold"}, {"value": "Silver"}]}
    ).json()
    assert [o["value"] for o in created["options"]] == ["Gold", "Silver"]
    gold = created["options"][0]
    jira._session.put(
        opt_url, json={"options": [{"id": gold["id"], "value": "Gold", "disabled": True}]}
    )
    listed = jira._session.get(opt_url).json()
    assert listed["isLast"] and listed["values"][0]["disabled"] is True
    assert any(f["id"] == field["id"] for f in jira.fields())


def test_platform_errors_have_jira_shape(sandbox: Sandbox, jira: JIRA) -> None:
    with pytest.raises(JIRAError) as bad:
        jira._session.post(
            jira._get_url("project"), data=b"{oops", headers={"Content-Type": "application/json"}
        )
    assert bad.value.status_code == 400
    assert set(error_body(bad.value)) == {"errorMessages", "errors"}
    with pytest.raises(JIRAError) as invalid:
        jira._session.post(jira._get_url("project"), json={"key": "lower", "name": 3})
    assert invalid.value.status_code == 400
    assert {"projectKey", "projectName"} <= set(error_body(invalid.value)["errors"])
