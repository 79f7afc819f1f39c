"""Comments by id, visibility and JSM's public/internal comments, paging and expansions."""

from __future__ import annotations

import pytest
from jira import JIRAError

from tests.sandbox.fixtures import error_body
from tests.sandbox.jira_site import Desk

ROLE = {"type": "role", "value": "Administrators"}


def test_comment_by_id_edit_and_delete_show_in_updated(desk: Desk) -> None:
    issue = desk.issue()
    made = desk.jc.add_comment(issue, "First look")
    desk.clock.advance(minutes=10)
    made.update(body="First look: the toner is empty")
    got = desk.jc.comment(issue.key, made.id)
    assert got.body == "First look: the toner is empty"
    assert got.created.startswith("2026-01-07T09:00") and got.updated.startswith("2026-01-07T09:10")
    assert desk.jc.issue(issue.key).fields.updated.startswith("2026-01-07T09:10")
    desk.clock.advance(minutes=5)
    got.delete()
    assert desk.jc.comments(issue.key) == []
    assert desk.jc.issue(issue.key).fields.updated.startswith("2026-01-07T09:15")
    with pytest.raises(JIRAError) as gone:
        desk.jc.comment(issue.key, made.id)
    assert gone.value.status_code == 404 and error_body(gone.value)["errorMessages"]


def test_visibility_and_internal_comments_on_a_service_desk(desk: Desk) -> None:
    issue = desk.issue()
    public = desk.jc.add_comment(issue, "We are on it")
    restricted = desk.jc.add_comment(issue, "Agents only", visibility=ROLE)
    internal = desk.jc.add_comment(issue, "Internal note", is_internal=True)
    jsm = desk.call(
        "POST", f"/rest/servicedeskapi/request/{issue.key}/comment",
        json={"body": "Escalating to storage", "public": False},
    )  # fmt: skip
    assert jsm.status_code == 201 and jsm.json()["public"] is False
    by_id = {c.id: c.raw for c in desk.jc.comments(issue.key, expand="properties")}
    assert by_id[public.id]["jsdPublic"] is True
    assert by_id[restricted.id]["jsdPublic"] is False
    assert by_id[restricted.id]["visibility"]["value"] == "Administrators"
    assert by_id[internal.id]["jsdPublic"] is False
    assert by_id[jsm.json()["id"]]["jsdPublic"] is False
    prop = {p["key"]: p["value"] for p in by_id[internal.id]["properties"]}
    assert prop["sd.public.comment"] == {"internal": True}
    listed = desk.call("GET", f"/rest/servicedeskapi/request/{issue.key}/comment",
                       params={"internal": "false"}).json()  # fmt: skip
    assert [c["body"] for c in listed["values"]] == ["We are on it"]
    bad = desk.call("POST", f"issue/{issue.key}/comment",
                    json={"body": "x", "visibility": {"type": "role", "value": "Pirates"}})  # fmt: skip
    assert bad.status_code == 400 and bad.json()["errors"]
    missing = desk.call("POST", f"/rest/servicedeskapi/request/{issue.key}/comment",
                        json={"body": "no flag"})  # fmt: skip
    assert missing.status_code == 400 and set(missing.json()) == {
        "errorMessage",
        "i18nErrorMessage",
    }


def test_comments_outside_a_service_desk_are_always_jsd_public(desk: Desk) -> None:
    desk.call("POST", "project", json={"key": "OPS", "name": "Ops", "projectTypeKey": "software"})
    issue = desk.jc.create_issue(
        fields={"project": {"key": "OPS"}, "summary": "Rotate keys", "issuetype": {"name": "Task"}}
    )
    comment = desk.jc.add_comment(issue, "Team only", visibility=ROLE)
    assert comment.raw["jsdPublic"] is True and comment.raw["visibility"]["type"] == "role"
    not_a_request = desk.call("GET", f"/rest/servicedeskapi/request/{issue.key}/comment")
    assert not_a_request.status_code == 404


def test_comment_paging_ordering_and_rendered_bodies(desk: Desk) -> None:
    issue = desk.issue()
    for n in range(5):
        desk.clock.advance(minutes=1)
        desk.jc.add_comment(issue, f"note <{n}>")
    page = desk.call("GET", f"issue/{issue.key}/comment",
                     params={"startAt": "1", "maxResults": "2", "orderBy": "-created",
                             "expand": "renderedBody"}).json()  # fmt: skip
    assert page["total"] == 5 and page["startAt"] == 1 and page["maxResults"] == 2
    assert [c["body"] for c in page["comments"]] == ["note <3>", "note <2>"]
    assert page["comments"][0]["renderedBody"] == "<p>note &lt;3&gt;</p>"
    v3 = desk.call("GET", f"issue/{issue.key}/comment", version="3").json()["comments"][0]
    assert (
        v3["body"]["type"] == "doc" and v3["body"]["content"][0]["content"][0]["text"] == "note <0>"
    )
    bad = desk.call("GET", f"issue/{issue.key}/comment", params={"orderBy": "author"})
    assert bad.status_code == 400
    adf = {"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "from ADF"}]}]}  # fmt: skip
    made = desk.call("POST", f"issue/{issue.key}/comment", version="3", json={"body": adf})
    assert made.status_code == 201
    assert desk.jc.comment(issue.key, made.json()["id"]).body == "from ADF"
