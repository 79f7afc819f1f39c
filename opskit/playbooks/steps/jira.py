"""`jira`: create an issue, comment on one, or transition one (by name).

Values by action:
- create: `project`, `summary` (default the step's title), `body` (the description),
  `issue_type` (default Task), `priority` (optional: a policy priority such as P1, sent as
  its Jira name, or a Jira priority name), `labels` (optional, more labels).
- comment: `body`, `issue` (optional), `internal` (optional, JSM: an internal note).
- transition: `transition` (the transition's name, or the name of the status it leads
  to), `issue` (optional), `resolution` (optional, for a screen that asks for one).

The issue of comment and transition: `issue` if given (a key, e.g. `{{ inputs.ticket }}`),
else the issue made by the first `jira` create step of this run (the earliest outputs
with `action: create`). Without either, the step fails.

Idempotency: a created issue carries the label `ctx.mark` and the entity property
`opskit.playbook` = {run, step}; when an earlier attempt was cut off, `labels = "<mark>"`
is searched first and the issue found is adopted (its property written if missing). A
comment ends with a marker line naming the mark; cut off, the issue's comments are searched
for it first. A transition is adopted when the issue already is in its target status.

Outputs: `action`, `key`, `id` (the issue's; create), `url` (`<site>/browse/KEY`);
comment adds `comment_id`; transition adds `status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opskit.playbooks.step_api import StepContext, StepFailed, StepResult
from opskit.playbooks.steps import targets
from opskit.providers.jira.client import Api
from opskit.providers.jira.client import connect as jira_connect
from opskit.providers.jira.comments import comments

ACTIONS = ("create", "comment", "transition")
PROPERTY = "opskit.playbook"


def marker(mark: str) -> str:
    return f"(opskit playbook: {mark})"


def sign(body: str, mark: str) -> str:
    """The body with the marker line (Jira wiki markup: a grey line) at its end."""
    return f"{body.rstrip()}\n\n{{color:#97a0af}}{marker(mark)}{{color}}"


def browse(api: Api, key: str) -> str:
    return f"{api.site.rstrip('/')}/browse/{key}"


def find_labelled(api: Api, label: str) -> dict[str, Any] | None:
    page = api.call("POST", "/rest/api/3/search/jql", json={
        "jql": f'labels = "{label}" ORDER BY created ASC', "fields": ["status"],
        "maxResults": 10})  # fmt: skip
    issues = (page or {}).get("issues") or []
    return dict(issues[0]) if issues else None


def find_comment(api: Api, key: str, mark: str) -> str | None:
    wanted = marker(mark)
    found = (raw for raw in comments(api, key) if wanted in str(raw.get("body") or ""))
    first = next(found, None)
    return str(first["id"]) if first is not None else None


def issue_of(ctx: StepContext) -> str:
    given = targets.optional(ctx.values, "issue")
    if given:
        return given.upper()
    created = targets.earlier(
        ctx, lambda out: out.get("action") == "create" and isinstance(out.get("key"), str)
    )
    if not created:
        raise StepFailed("no issue: give `issue` or create one in an earlier jira step")
    return str(ctx.outputs[created[0]]["key"])


def jira_priority(ctx: StepContext, name: str) -> str:
    found = ctx.policy.priorities.get(name)
    return found.jira_name if found else name


class Jira:
    def describe(self, values: Mapping[str, Any]) -> str:
        action = str(values.get("action") or "?")
        issue = values.get("issue") or "this run's issue"
        if action == "create":
            kind = values.get("issue_type") or "Task"
            summary = values.get("summary") or values.get("title") or ""
            return f"Jira: create a {kind} in {values.get('project') or '?'}: {summary}"
        if action == "comment":
            body = " ".join(str(values.get("body") or "").split())
            return f"Jira: comment on {issue}: {body[:80]}{'…' if len(body) > 80 else ''}"
        if action == "transition":
            return f"Jira: move {issue} to {values.get('transition') or '?'}"
        return f"Jira: {action}"

    def execute(self, ctx: StepContext) -> StepResult:
        action = targets.choice(ctx.values, "action", ACTIONS, "")
        with targets.remote(f"Jira {action}"):
            api = jira_connect()
            if action == "create":
                return self._create(ctx, api)
            if action == "comment":
                return self._comment(ctx, api)
            return self._transition(ctx, api)

    def _create(self, ctx: StepContext, api: Api) -> StepResult:
        values = ctx.values
        project = targets.text(values, "project").upper()
        summary = targets.text(values, "summary", default=str(values.get("title") or ""))
        if not summary:
            raise StepFailed("the step needs `summary`")
        found = find_labelled(api, ctx.mark) if ctx.in_flight else None
        adopted = found is not None
        if found is None:
            extra = values.get("labels") or []
            if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
                raise StepFailed("`labels` must be a list of strings")
            fields: dict[str, Any] = {
                "project": {"key": project},
                "summary": summary[:255],
                "issuetype": {"name": targets.text(values, "issue_type", default="Task")},
                "labels": [ctx.mark, *extra],
            }
            body = targets.optional(values, "body")
            if body:
                fields["description"] = body
            priority = targets.optional(values, "priority")
            if priority:
                fields["priority"] = {"name": jira_priority(ctx, priority)}
            with targets.remote(f"Jira refused to create the issue in {project}"):
                found = api.call("POST", "/issue", json={"fields": fields})
        key, issue_id = str(found["key"]), str(found["id"])
        record: dict[str, Any] = {"run": ctx.run_id, "step": ctx.step_id}
        if ctx.visit > 1:
            record["visit"] = ctx.visit
        there = api.call("GET", f"/issue/{key}/properties/{PROPERTY}", missing_ok=True)
        if not isinstance(there, dict) or there.get("value") != record:
            api.call("PUT", f"/issue/{key}/properties/{PROPERTY}", json=record)
        outputs = {"action": "create", "key": key, "id": issue_id, "url": browse(api, key)}
        verb = "found" if adopted else "created"
        return StepResult("done", outputs, adopted=adopted, message=f"Jira {key} {verb}")

    def _comment(self, ctx: StepContext, api: Api) -> StepResult:
        key = issue_of(ctx)
        body = targets.text(ctx.values, "body")
        found = find_comment(api, key, ctx.mark) if ctx.in_flight else None
        adopted = found is not None
        if found is None:
            payload: dict[str, Any] = {"body": sign(body, ctx.mark)}
            if ctx.values.get("internal"):
                payload["properties"] = [{"key": "sd.public.comment", "value": {"internal": True}}]
            with targets.remote(f"Jira refused the comment on {key}"):
                made = api.call("POST", f"/issue/{key}/comment", json=payload)
            found = str(made["id"])
        outputs = {"action": "comment", "key": key, "url": browse(api, key), "comment_id": found}
        verb = "found" if adopted else "added"
        return StepResult("done", outputs, adopted=adopted, message=f"Jira {key}: comment {verb}")

    def _transition(self, ctx: StepContext, api: Api) -> StepResult:
        key = issue_of(ctx)
        name = targets.text(ctx.values, "transition")
        with targets.remote(f"Jira refused to read {key}"):
            issue = api.call("GET", f"/issue/{key}", params={"fields": "status"})
        status = str(((issue.get("fields") or {}).get("status") or {}).get("name") or "")
        listed = api.call(
            "GET", f"/issue/{key}/transitions", params={"expand": "transitions.fields"}
        )
        options = (listed or {}).get("transitions") or []
        chosen = next(
            (t for t in options if str(t.get("name", "")).casefold() == name.casefold()),
            None,
        ) or next(
            (
                t
                for t in options
                if str((t.get("to") or {}).get("name", "")).casefold() == name.casefold()
            ),
            None,
        )
        target = str((chosen.get("to") or {}).get("name") or name) if chosen else name
        outputs: dict[str, Any] = {"action": "transition", "key": key, "url": browse(api, key)}
        if status.casefold() == target.casefold():
            return StepResult(
                "done",
                {**outputs, "status": status},
                adopted=ctx.in_flight,
                message=f"Jira {key} already in {status}",
            )
        if chosen is None:
            names = ", ".join(sorted(str(t.get("name")) for t in options)) or "none"
            raise StepFailed(f"Jira {key} ({status}) has no transition {name!r} (it has: {names})")
        body: dict[str, Any] = {"transition": {"id": str(chosen["id"])}}
        screen = chosen.get("fields") or {}
        resolution = screen.get("resolution")
        if isinstance(resolution, dict) and resolution.get("required"):
            wanted = targets.optional(ctx.values, "resolution")
            allowed = [str(v.get("name")) for v in resolution.get("allowedValues") or []]
            pick = wanted or ("Done" if "Done" in allowed else (allowed[0] if allowed else None))
            if pick is None:
                raise StepFailed(f"Jira {key}: the transition asks for a resolution; give one")
            body["fields"] = {"resolution": {"name": pick}}
        with targets.remote(f"Jira refused to move {key} to {target}"):
            api.call("POST", f"/issue/{key}/transitions", json=body)
        return StepResult(
            "done", {**outputs, "status": target}, message=f"Jira {key} moved to {target}"
        )
