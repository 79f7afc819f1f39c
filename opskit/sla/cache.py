"""What `opskit sla` read from Jira, kept between runs so a cron run reads only what changed.

One JSON file per Jira site and query scope under the cache folder
(`<cache>/sla/<sha256 of site and scope>.json`, see `opskit.disk_cache`), written aside and
renamed (atomic). It holds the read mark (when the last read started), the JQL time zone,
the normalised issues (`opskit.sla.history`: times, authors' account ids and emails,
statuses and priorities; no comment text, no secret), JSM organisation members, and the
status categories seen. Bounded to `MAX_ISSUES` issues (open ones kept first, then the most
recently updated). A file that cannot be read, or of another format, is rebuilt from Jira.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opskit.disk_cache import cache_dir, write_atomically
from opskit.sla.history import Issue, from_json, parse_time, to_json

FORMAT = 1
MAX_ISSUES = 20_000


def path_for(site: str, scope: str) -> Path:
    digest = hashlib.sha256(f"{site}\n{scope}".encode()).hexdigest()[:24]
    return cache_dir() / "sla" / f"{digest}.json"


@dataclass
class Store:
    """What `opskit sla` keeps of a query between runs: the read mark, issues and orgs."""

    path: Path | None  # None: not kept (--no-cache)
    read_at: dt.datetime | None = None
    zone: str | None = None
    issues: dict[str, Issue] = field(default_factory=dict)
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {name, members}
    categories: dict[str, str] = field(default_factory=dict)
    note: str = ""  # e.g. that an unreadable cache was rebuilt


def load(path: Path | None) -> Store:
    if path is None or not path.exists():
        return Store(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ValueError("another format")
        return Store(
            path, parse_time(raw["read_at"]) if raw.get("read_at") else None, raw.get("zone"),
            {k: from_json(v) for k, v in raw["issues"].items()},
            {str(k): {"name": str(v["name"]), "members": [str(m) for m in v["members"]]}
             for k, v in raw["orgs"].items()},
            {str(k): str(v) for k, v in raw["categories"].items()},
        )  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        note = f"the SLA cache {path} was unreadable ({type(error).__name__}): rebuilt from Jira"
        return Store(path, note=note)


def _kept(issues: dict[str, Issue]) -> dict[str, Issue]:
    if len(issues) <= MAX_ISSUES:
        return issues
    ranked = sorted(issues.values(), key=lambda i: (i.done, -i.updated.timestamp()))
    return {i.key: i for i in ranked[:MAX_ISSUES]}


def save(store: Store) -> None:
    if store.path is None:
        return
    store.issues = _kept(store.issues)
    body = {
        "format": FORMAT, "read_at": store.read_at.isoformat() if store.read_at else None,
        "zone": store.zone, "issues": {k: to_json(v) for k, v in sorted(store.issues.items())},
        "orgs": store.orgs, "categories": store.categories,
    }  # fmt: skip
    with contextlib.suppress(OSError):  # a cache that cannot be written is simply not kept
        write_atomically(store.path, json.dumps(body, sort_keys=True, separators=(",", ":")))
