"""The Markdown the action writes, from opskit's JSON document."""

from __future__ import annotations

import json
import re
from typing import Any

from opskit_action import render
from opskit_action.github import annotation, parse_annotation
from opskit_action.main import BODY_LIMIT

DOCUMENT = """
{"version": 1, "command": "plan", "ok": false, "pending": true,
 "counts": {"create": 1, "update": 1, "delete": 1, "unchanged": 5, "errors": 1, "warnings": 1},
 "targets": [
  {"target": "pagerduty", "workspace": "northwind", "pending": true,
   "counts": {"create": 1, "update": 1, "delete": 1, "unchanged": 5, "errors": 1, "warnings": 1},
   "changes": [
    {"action": "create", "type": "schedule", "key": "cloud-primary", "id": null,
     "source": "policies/rotations.yaml:12:7", "fields": {"name": "cloud-primary"}, "changes": []},
    {"action": "update", "type": "escalation_policy", "key": "storage-critical", "id": "P1",
     "source": "policies/ladders.yaml:5:7", "fields": {},
     "changes": [{"name": "num_loops", "before": 1, "after": 2},
                 {"name": "team", "before": null, "after": {"$ref": ["team", "storage"]}}]},
    {"action": "delete", "type": "service", "key": "old", "id": "P2", "source": null,
     "fields": {}, "changes": []},
    {"action": "unchanged", "type": "team", "key": "storage", "id": "P3", "source": null,
     "fields": {}, "changes": []}],
   "problems": [
    {"level": "error", "message": "kenji cannot be woken", "source": "policies/people.yaml:143:8"},
    {"level": "warning", "message": "@storage-team <b>no holidays</b> | *really*", "source": null}],
   "unmanaged": [{"type": "schedule", "key": "Weekend cover (manual)", "id": "P10000J"}]}]}
"""


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DOCUMENT)
    return loaded


def test_a_target_reads_as_a_diff_with_positions_and_field_changes() -> None:
    markdown = render.report_markdown(document(), "plan")
    assert "❌ 1 error, 1 warning: plan failed" in markdown
    assert "| pagerduty | 1 | 1 | 1 | 5 | 1 | 1 |" in markdown
    diff = markdown.split("```diff\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert diff == [
        "+ schedule 'cloud-primary'  (policies/rotations.yaml:12:7)",
        "~ escalation_policy 'storage-critical'  (policies/ladders.yaml:5:7)",
        "    num_loops: 1 → 2",
        "    team: null → team 'storage'",
        "- service 'old'",
    ]
    assert "- ❌ **error** at `policies/people.yaml:143:8`: kenji cannot be woken" in markdown
    assert "Left alone: 1 object not managed by opskit/northwind" in markdown


def test_policy_text_cannot_add_markup_or_mentions() -> None:
    markdown = render.report_markdown(document(), "plan")
    [warning] = [line for line in markdown.splitlines() if "no holidays" in line]
    assert "<b>" not in warning and "&lt;b&gt;" in warning
    assert "@storage-team" not in warning  # a word joiner after the @: nobody is pinged
    assert r"\| \*really\*" in warning


def test_backticks_in_a_key_do_not_end_the_code_block() -> None:
    doc = document()
    doc["targets"][0]["changes"][0]["key"] = "a ``` b"
    markdown = render.report_markdown(doc, "plan")
    assert "````diff\n+ schedule 'a ``` b'" in markdown
    assert markdown.count("````") == 2


def test_a_long_report_is_cut_under_githubs_limit_with_blocks_closed() -> None:
    doc = document()
    many: list[dict[str, Any]] = [
        {"action": "create", "type": "schedule", "key": f"rotation-{n}", "id": None,
         "source": f"policies/generated.yaml:{n}:3", "fields": {}, "changes": []}
        for n in range(5000)
    ]  # fmt: skip
    doc["targets"][0]["changes"] = many
    markdown = render.report_markdown(doc, "plan")
    assert len(markdown) > 65_536
    body = render.cap(markdown, BODY_LIMIT, "the whole plan is in the job summary")
    assert len(body) <= BODY_LIMIT < 65_536
    assert "> **Truncated:**" in body and "the whole plan is in the job summary" in body
    fences = [line for line in body.splitlines() if line.startswith("```")]
    assert fences[-1] == "```" and len(fences) % 2 == 0  # the diff block is closed again
    assert "+ schedule 'rotation-0'" in body and "rotation-4999" not in body


def test_a_short_report_is_left_whole() -> None:
    markdown = render.report_markdown(document(), "plan")
    assert render.cap(markdown, BODY_LIMIT, "elsewhere") == markdown


def test_drift_and_apply_headlines() -> None:
    clean = {**document(), "ok": True, "pending": False, "command": "drift"}
    clean["targets"] = [{**clean["targets"][0], "pending": False, "changes": [], "problems": []}]
    assert "✅ No drift: pagerduty match the policies." in render.report_markdown(clean, "drift")
    applied = {**clean, "command": "apply", "pending": True}
    applied["targets"] = [{
        **clean["targets"][0], "pending": True,
        "applied": {"done": {"create": 2}, "failed": {"type": "schedule", "key": "x"},
                    "error": "403 Forbidden", "skipped_deletes": 0},
    }]  # fmt: skip
    markdown = render.report_markdown({**applied, "ok": False}, "apply")
    assert "❌ Apply stopped at schedule `x` on pagerduty; see below." in markdown
    assert "Applied: 2 created." in markdown
    assert "Stopped at schedule `x`**: 403 Forbidden" in markdown


def test_annotations_round_trip_through_githubs_escaping() -> None:
    line = annotation("error", "50%, then: two\nlines", "policies/a,b.yaml:3:5", "rule:x")
    assert (
        line
        == "::error file=policies/a%2Cb.yaml,line=3,col=5,title=rule%3Ax::50%25, then: two%0Alines"
    )
    assert parse_annotation(line) == {
        "level": "error", "message": "50%, then: two\nlines", "file": "policies/a,b.yaml",
        "line": "3", "col": "5", "title": "rule:x",
    }  # fmt: skip
    assert re.fullmatch(r"::warning::plain", annotation("warning", "plain"))


def test_secrets_are_redacted() -> None:
    assert (
        render.redact("key=s3cr3t-value, again s3cr3t-value", ["s3cr3t-value", ""])
        == "key=***, again ***"
    )
