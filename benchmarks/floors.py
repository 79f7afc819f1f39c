"""The floors benchmarks measure opskit against: reading its input through the vendors'
clients, or the YAML parser, and nothing else.

    floors.py tickets URL CA JQL WEEKS   the tickets of the last WEEKS, with capacity's fields
    floors.py pages URL CA WEEKS         the incidents, overview log entries and users
    floors.py yaml FOLDER                every .yaml file under FOLDER, loaded with PyYAML's
                                         C loader (CSafeLoader) in one process
"""

from __future__ import annotations

import datetime as dt
import ssl
import sys


def tickets(url: str, ca: str, jql: str, weeks: int) -> int:
    from jira import JIRA

    client = JIRA(url, basic_auth=("anna@northwind.example", "demo-token"), options={"verify": ca})
    org = next(f["id"] for f in client.fields()
               if str(f.get("schema", {}).get("custom", "")).endswith("sd-customer-organizations"))  # fmt: skip
    fields = ["created", "priority", "components", "timespent", org]
    query = f"{jql} AND created >= -{weeks * 7}d"
    return len(client.enhanced_search_issues(query, fields=fields, maxResults=0))


def pages(url: str, ca: str, weeks: int) -> int:
    from pagerduty import RestApiV2Client

    context = ssl.create_default_context(cafile=ca)
    client = RestApiV2Client("demo-token", base_url=url, verify=context)
    until = dt.datetime.now(dt.UTC)
    window = {"since": (until - dt.timedelta(weeks=weeks)).isoformat(), "until": until.isoformat()}
    read = list(client.iter_all("incidents", params=window))
    read += list(client.iter_all("log_entries", params={**window, "is_overview": "true"}))
    return len(read) + len(list(client.iter_all("users")))


def yaml_files(folder: str) -> int:
    """The documents of every file, as plain PyYAML gives them (no positions, no checks)."""
    from pathlib import Path

    import yaml

    documents = 0
    for path in sorted(Path(folder).rglob("*.yaml")):
        documents += len(list(yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader)))
    return documents


if __name__ == "__main__":
    kind, *rest = sys.argv[1:]
    if kind == "tickets":
        print(tickets(rest[0], rest[1], rest[2], int(rest[3])))
    elif kind == "yaml":
        print(yaml_files(rest[0]))
    else:
        print(pages(rest[0], rest[1], int(rest[2])))
