"""Which tickets to read, and reading only what changed since the last run.

The scope is a JQL query (default: the policy's Jira projects). Without a read mark the
first run reads the open tickets of the scope (`statusCategory != Done`); later runs ask
for the tickets updated since the mark less `OVERLAP` (clock skew, Jira's minute-precision
dates), or since `--since`. Of those, only tickets whose `updated` differs from the cached
one are read in full (fields, changelog, organisation members). Every cached ticket's
clocks are then computed at `--now`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from opskit.errors import OpskitError, UsageError
from opskit.providers.jira.client import Api
from opskit.sla import cache, jira_read
from opskit.sla.assign import Directory
from opskit.sla.history import Issue, parse_time
from opskit.sync.apply import TargetError
from opskit.time import zones

OVERLAP = dt.timedelta(minutes=10)
DEFAULT_MAX_ISSUES = 5000
_ORDER = re.compile(r"\border\s+by\b.*$", re.IGNORECASE | re.DOTALL)
_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,49}-[1-9][0-9]{0,9}$")


@dataclass
class Reading:
    """The scope's tickets after a read, with organisation members and status categories."""

    issues: list[Issue]
    directory: Directory
    categories: dict[str, str]
    searched: int = 0  # issues the incremental query found
    read: int = 0  # issues read in full this run
    notes: list[str] = field(default_factory=list)


def scope_of(jql: str | None, projects: list[str]) -> str:
    if jql is not None:
        scope = _ORDER.sub("", jql).strip()
        if not scope:
            raise UsageError("--jql: give a query (ORDER BY alone selects nothing)")
        return scope
    if not projects:
        raise UsageError("no Jira projects: pass --jql or set targets.jira.projects in opskit.yaml")
    return f"project in ({', '.join(projects)})"


def jql_time(t: dt.datetime, zone: str) -> str:
    """A JQL date literal in the caller's zone (JQL reads dates in it), minute precision."""
    local = t.astimezone(zones.zone(zone)) if zone else t.astimezone(dt.UTC)
    return local.strftime('"%Y-%m-%d %H:%M"')


def _jira(call: str, error: TargetError) -> OpskitError:
    return OpskitError(f"Jira refused the {call}: {error}")


def read(
    api: Api, scope: str, *, since: dt.datetime | None, max_issues: int, use_cache: bool,
    started: dt.datetime,
) -> Reading:  # fmt: skip
    store = cache.load(cache.path_for(api.site, scope) if use_cache else None)
    notes = [store.note] if store.note else []
    bound = since or (store.read_at - OVERLAP if store.read_at else None)
    if bound is not None:
        store.zone = store.zone or _zone(api)
        jql = f"({scope}) AND updated >= {jql_time(bound, store.zone)}"
    else:
        jql = f"({scope}) AND statusCategory != Done"
    try:
        found = jira_read.changed(api, jql, max_issues)
    except TargetError as error:
        raise _jira("query", error) from None
    stale = [
        k
        for k, u in found.items()
        if k not in store.issues or store.issues[k].updated != parse_time(jira_read.jira_time(u))
    ]
    fresh = _full(api, stale) if stale else []
    _merge(api, store, fresh)
    store.read_at = started
    cache.save(store)
    return Reading(list(store.issues.values()), directory(store), store.categories,
                   len(found), len(fresh), notes)  # fmt: skip


def _zone(api: Api) -> str:
    zone = jira_read.user_zone(api)
    try:
        zones.zone(zone)
    except ValueError:
        return "UTC"
    return zone


def _full(api: Api, keys: list[str]) -> list[Issue]:
    try:
        return jira_read.full(api, keys, jira_read.organizations_field(api))
    except TargetError as error:
        raise _jira("read", error) from None


def _merge(api: Api, store: cache.Store, fresh: list[Issue]) -> None:
    orgs: dict[str, str] = {}
    for issue in fresh:
        store.issues[issue.key] = issue
        if issue.status and issue.status_category:
            store.categories[issue.status] = issue.status_category
        orgs.update(zip(issue.organization_ids, issue.organizations, strict=False))
    for org_id, name in orgs.items():  # one read per organisation of the changed tickets
        try:
            members = jira_read.members(api, org_id)
        except TargetError:
            continue  # not readable with these permissions: the other agent rules still hold
        store.orgs[org_id] = {"name": name, "members": sorted(members)}


def directory(store: cache.Store) -> Directory:
    return Directory({o["name"].casefold(): frozenset(o["members"]) for o in store.orgs.values()})


def read_one(api: Api, key: str) -> Reading:
    """One ticket, fresh from Jira (for `sla show`); unknown keys are an error."""
    if not _KEY.match(key):
        raise UsageError(f"{key[:60]!r} is not an issue key (e.g. SUP-123)")
    store = cache.Store(None)
    try:
        issues = _full(api, [key])
    except OpskitError as error:
        if "400" in str(error) or "404" in str(error):
            raise UsageError(f"no issue {key} in Jira (or no permission to see it)") from None
        raise
    if not issues:
        raise UsageError(f"no issue {key} in Jira (or no permission to see it)")
    _merge(api, store, issues)
    return Reading(issues, directory(store), store.categories, 1, 1)
