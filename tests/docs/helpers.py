"""Running `opskit docs build` on the example policies and on small policy repositories."""

from __future__ import annotations

import html.parser
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner, Result

from opskit.cli import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO / "opskit.yaml")
NOW = "2026-03-02T09:00"

PUBLIC = ["hours.html", "index.html", "services.html", "severities.html", "tiers.html"]
INTERNAL = ["internal/index.html", "internal/ladders.html", "internal/oncall.html",
            "internal/playbooks.html", "internal/rotations.html"]  # fmt: skip
PAGES = sorted(PUBLIC + INTERNAL)


def build(out: Path, *args: str, config: str = EXAMPLE, now: str | None = NOW) -> Result:
    when = ["--now", now] if now is not None else []
    command = ["docs", "build", "--out", str(out), *when, *args, "--config", config]
    return CliRunner().invoke(cli, command, catch_exceptions=False)


SMALL = """\
kind: Person
name: ann
full_name: Ann Archer
email: ann@example.org
timezone: Europe/Berlin
---
kind: Person
name: bob
full_name: Bob Brown
email: bob@example.org
timezone: Europe/Berlin
---
kind: Team
name: desk
members: [ann, bob]
leads: [ann]
---
kind: Calendar
name: office
timezone: Europe/Berlin
working_hours:
  monday: ["09:00-17:00"]
  tuesday: ["09:00-17:00"]
  wednesday: ["09:00-17:00"]
  thursday: ["09:00-17:00"]
  friday: ["09:00-12:00", "13:00-15:30"]
holidays: {extra: [{date: "2026-03-10", name: Office party}]}
---
kind: Priority
name: P1
level: 1
title: Urgent
urgency: high
description: DESCRIPTION
examples: [EXAMPLE]
---
kind: SlaTier
name: Basic
description: TIERTEXT
calendar: office
targets:
  P1: {first_response: 1h30m, next_update: 1h, resolution: 1bd4h}
---
kind: Rotation
name: duty
timezone: Europe/Berlin
start: "2026-01-05"
layers:
  - name: week
    members: [ann, bob]
    shift: 1w
    handoff: "09:00"
---
kind: EscalationLadder
name: main
description: LADDERTEXT
steps:
  - notify: [{rotation: duty}]
    escalate_after: 10m
  - notify: [{person: ann}]
    escalate_after: 10m
---
kind: Service
name: app
description: SERVICETEXT
team: desk
ladder: main
tier: Basic
support_hours: office
jira_component: App
---
kind: Service
name: internal-only
team: desk
ladder: main
tier: Basic
jira_component: Internal
---
kind: Customer
name: acme
display_name: Acme
tier: Basic
contacts: [{name: Carla Customer, email: carla@acme.example, role: IT}]
services: [app]
"""


def small_repo(folder: Path, text: str = SMALL, **replace: str) -> str:
    for key, value in replace.items():
        text = text.replace(key, value)
    (folder / "policies").mkdir(parents=True)
    (folder / "policies" / "all.yaml").write_text(text, encoding="utf-8")
    (folder / "opskit.yaml").write_text("workspace: small\npolicies: [policies]\n")
    return str(folder / "opskit.yaml")


class Links(html.parser.HTMLParser):
    """The ids and the href/src values of a page (an independent reading of the HTML)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def read(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def unresolved(site: Path) -> list[str]:
    """Each local href/src of the site's pages whose file or #anchor does not exist."""
    pages = {p.relative_to(site).as_posix(): read(p) for p in site.rglob("*.html")}
    bad = []
    for name, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = name
            if parts.path:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), unquote(parts.path))
                )
            missing = not (site / target).is_file()
            if missing or (parts.fragment and parts.fragment not in pages[target].ids):
                bad.append(f"{name}: {link}")
    return bad
