"""A synthetic policy repository of any size: the example company, scaled up.

One object a file, because check-jsonschema (the baseline) reads one document a file.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Singapore", "Europe/London"]
SHARED: list[dict[str, Any]] = [
    {"kind": "Calendar", "name": "office", "timezone": "Europe/Berlin",
     "working_hours": {d: ["09:00-17:30"] for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
     "holidays": {"country": "DE", "subdivision": "BE", "extra": [{"date": "2026-12-24", "name": "Christmas Eve"}]}},
    *({"kind": "Priority", "name": f"P{n}", "level": n, "title": t, "urgency": "high" if n < 3 else "low",
       "examples": [f"{t} example"]} for n, t in enumerate(["Critical", "High", "Medium", "Low"], 1)),
    {"kind": "SlaTier", "name": "premium", "calendar": "24x7", "targets": {
        f"P{n}": {"first_response": f, "next_update": u, "resolution": r}
        for n, f, u, r in [(1, "15m", "30m", "4h"), (2, "30m", "2h", "12h"), (3, "2h", "1d", "3d"), (4, "8h", "3d", "10d")]}},
    {"kind": "SlaTier", "name": "standard", "calendar": "office", "targets": {
        f"P{n}": {"first_response": f, "resolution": r}
        for n, f, r in [(1, "4h", "3bd"), (2, "8h", "5bd"), (3, "2bd", "10bd"), (4, "3bd", "20bd")]}},
]  # fmt: skip


def unit(i: int) -> Iterator[dict[str, Any]]:
    """25 objects: a team with its people, rotations, ladder, services and customers."""
    people = [f"u{i}-p{j}" for j in range(12)]
    for j, name in enumerate(people):
        yield {"kind": "Person", "name": name, "full_name": f"Person {i}.{j}",
               "email": f"{name}@example.com", "timezone": ZONES[j % 4]}  # fmt: skip
    yield {"kind": "Team", "name": f"team-{i}", "members": people, "leads": people[:1]}
    for r, members in enumerate((people[:6], people[6:])):
        yield {
            "kind": "Rotation", "name": f"rot-{i}-{r}", "timezone": "UTC", "start": "2026-01-05",
            "team": f"team-{i}", "layers": [{"name": "main", "members": members, "shift": "1w", "handoff": "09:00",
                                             "restrictions": [{"hours": "00:00-24:00"}]}],
        }  # fmt: skip
    yield {"kind": "EscalationLadder", "name": f"ladder-{i}", "team": f"team-{i}", "repeat": 2, "steps": [
        {"notify": [{"rotation": f"rot-{i}-0"}], "escalate_after": "10m"},
        {"notify": [{"rotation": f"rot-{i}-1"}, {"person": people[0]}], "escalate_after": "15m"}]}  # fmt: skip
    for s in range(3):
        yield {"kind": "Service", "name": f"svc-{i}-{s}", "team": f"team-{i}", "ladder": f"ladder-{i}",
               "tier": "premium" if s else "standard", "urgency": "high", "acknowledge_timeout": "30m"}  # fmt: skip
    for c in range(6):
        yield {"kind": "Customer", "name": f"cust-{i}-{c}", "display_name": f"Customer {i}.{c}",
               "tier": "premium" if c % 2 else "standard",
               "contacts": [{"name": "Ops", "email": f"ops@c{i}-{c}.example"}], "services": [f"svc-{i}-{c % 3}"]}  # fmt: skip


def generate(root: Path, objects: int) -> list[Path]:
    if root.exists():
        shutil.rmtree(root)
    files: list[Path] = []
    documents: list[dict[str, Any]] = list(SHARED)
    i = 0
    while len(documents) < objects:
        documents.extend(unit(i))
        i += 1
    for document in documents[:objects]:
        folder = root / "policies" / document["kind"].lower()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{document['name']}.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        files.append(path)
    (root / "opskit.yaml").write_text("workspace: bench\npolicies: [policies]\n")
    return files
