"""Reading tickets from Jira in bulk, read-only, through opskit's client (paced and retried).

- `search/jql` pages by `nextPageToken` (100 a page): first with `updated` only, to learn
  which issues changed, then with the fields the engine needs for the changed ones.
- `POST /changelog/bulkfetch` reads the status, priority and resolution histories of up to
  100 issues a request (paged by its own `nextPageToken`); `expand=changelog` is truncated.
- Comments come with the search; an issue with more than the search returned is read
  further through `/issue/{key}/comment`, 100 a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opskit.errors import OpskitError
from opskit.providers.jira.client import Api
from opskit.sla.history import Change, Comment, Issue, Person, parse_time

PAGE = 100
KEYS_PER_SEARCH = 100
CHANGELOG_FIELDS = ["status", "priority", "resolution"]
ORG_FIELD_NAME = "Organizations"
FIELDS = ["summary", "status", "priority", "created", "updated", "reporter", "components",
          "labels", "comment", "resolutiondate"]  # fmt: skip


class TooMany(OpskitError):
    pass


def organizations_field(api: Api) -> str | None:
    """The JSM Organizations field's id (customfield_NNNNN differs between sites)."""
    for f in api.call("GET", "/rest/api/3/field") or []:
        if isinstance(f, dict) and f.get("name") == ORG_FIELD_NAME:
            return str(f["id"])
    return None


def user_zone(api: Api) -> str:
    """JQL reads dates in the caller's time zone."""
    me = api.call("GET", "/rest/api/3/myself") or {}
    return str(me.get("timeZone") or "UTC")


def search(api: Api, jql: str, fields: list[str], limit: int) -> Iterator[dict[str, Any]]:
    """Every issue the query finds, `fields` of each, paged; TooMany past `limit`."""
    token: str | None = None
    seen = 0
    while True:
        body: dict[str, Any] = {"jql": jql, "fields": fields, "maxResults": PAGE}
        if token:
            body["nextPageToken"] = token
        page = api.call("POST", "/rest/api/3/search/jql", json=body) or {}
        for issue in page.get("issues", []):
            seen += 1
            if seen > limit:
                raise TooMany(f"more than {limit} issues match; narrow --jql or raise --max-issues")
            yield issue
        token = page.get("nextPageToken")
        if not token or page.get("isLast", False) or not page.get("issues"):
            return


def changed(api: Api, jql: str, limit: int) -> dict[str, str]:
    """key -> `updated` of every issue the query finds."""
    return {
        str(i["key"]): str(i["fields"]["updated"]) for i in search(api, jql, ["updated"], limit)
    }


def full(api: Api, keys: list[str], org_field: str | None) -> list[Issue]:
    fields = [*FIELDS, *([org_field] if org_field else [])]
    raw: list[dict[str, Any]] = []
    for n in range(0, len(keys), KEYS_PER_SEARCH):
        chunk = keys[n : n + KEYS_PER_SEARCH]
        raw += search(api, f"key in ({', '.join(chunk)})", fields, len(chunk))
    histories = changelogs(api, [str(i["id"]) for i in raw])
    return [_issue(api, i, org_field, histories.get(str(i["id"]), [])) for i in raw]


def changelogs(api: Api, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for n in range(0, len(ids), KEYS_PER_SEARCH):
        body: dict[str, Any] = {"issueIdsOrKeys": ids[n : n + KEYS_PER_SEARCH],
                                "fieldIds": CHANGELOG_FIELDS, "maxResults": 1000}  # fmt: skip
        while True:
            page = api.call("POST", "/rest/api/3/changelog/bulkfetch", json=body) or {}
            for log in page.get("issueChangeLogs", []):
                out.setdefault(str(log["issueId"]), []).extend(log.get("changeHistories", []))
            if not page.get("nextPageToken"):
                break
            body["nextPageToken"] = page["nextPageToken"]
    return out


def members(api: Api, org_id: str) -> frozenset[str]:
    """Account ids and lower-cased emails of a JSM organisation's members."""
    found: set[str] = set()
    for m in api.jsm_pages(f"/rest/servicedeskapi/organization/{org_id}/user"):
        found.add(str(m.get("accountId", "")))
        if m.get("emailAddress"):
            found.add(str(m["emailAddress"]).casefold())
    return frozenset(found - {""})


def _person(raw: Any) -> Person | None:
    if not isinstance(raw, dict) or not raw.get("accountId"):
        return None
    return Person(
        str(raw["accountId"]), str(raw.get("emailAddress") or ""), str(raw.get("accountType") or "")
    )


def _comments(api: Api, key: str, block: Any) -> list[dict[str, Any]]:
    comments = list(block.get("comments", [])) if isinstance(block, dict) else []
    total = block.get("total", len(comments)) if isinstance(block, dict) else 0
    while len(comments) < total:
        page = api.call("GET", f"/rest/api/3/issue/{key}/comment",
                        params={"startAt": len(comments), "maxResults": PAGE}) or {}  # fmt: skip
        more = page.get("comments", [])
        if not more:
            break
        comments += more
    return comments


def _comment(raw: dict[str, Any]) -> Comment | None:
    author = _person(raw.get("author"))
    if author is None:
        return None
    public = raw.get("jsdPublic", True) is not False and not raw.get("visibility")
    return Comment(parse_time(jira_time(raw["created"])), author, public)


def jira_time(text: str) -> str:
    """Jira's `2026-03-02T09:15:00.000+0000` as Python reads it."""
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        return f"{text[:-2]}:{text[-2:]}"
    return text


def _changes(histories: list[dict[str, Any]]) -> list[Change]:
    out: list[Change] = []
    for h in histories:
        at, author = (
            parse_time(jira_time(h["created"])),
            str((h.get("author") or {}).get("accountId", "")),
        )
        items = h.get("items", [])
        resolution = next(
            (i for i in items if i.get("fieldId", i.get("field")) == "resolution"), None
        )
        resolved = (
            None
            if resolution is None
            else resolution.get("to") is not None or bool(resolution.get("toString"))
        )
        for item in items:
            name = item.get("fieldId") or item.get("field")
            if name in ("status", "priority"):
                out.append(Change(at, name, item.get("fromString"), item.get("toString"), author,
                                  resolved if name == "status" else None))  # fmt: skip
    return sorted(out, key=lambda c: c.at)


def _issue(
    api: Api, raw: dict[str, Any], org_field: str | None, histories: list[dict[str, Any]]
) -> Issue:
    f = raw["fields"]
    status = f.get("status") or {}
    orgs = [o for o in (f.get(org_field) or [] if org_field else []) if isinstance(o, dict)]
    comments = [c for c in map(_comment, _comments(api, str(raw["key"]), f.get("comment"))) if c]
    return Issue(
        key=str(raw["key"]), id=str(raw["id"]), summary=str(f.get("summary") or ""),
        status=str(status.get("name", "")),
        status_category=str((status.get("statusCategory") or {}).get("key", "")),
        priority=str((f.get("priority") or {}).get("name", "")),
        created=parse_time(jira_time(f["created"])), updated=parse_time(jira_time(f["updated"])),
        reporter=_person(f.get("reporter")),
        organizations=tuple(str(o.get("name", "")) for o in orgs),
        organization_ids=tuple(str(o.get("id", "")) for o in orgs),
        components=tuple(str(c.get("name", "")) for c in f.get("components") or []),
        labels=tuple(map(str, f.get("labels") or [])),
        comments=tuple(sorted(comments, key=lambda c: c.at)), changes=tuple(_changes(histories)),
        resolved_at=parse_time(jira_time(f["resolutiondate"])) if f.get("resolutiondate") else None,
    )  # fmt: skip
