"""Helpers for checking the published schemas with check-jsonschema, as a user would.

check-jsonschema reads one YAML document a file (a second `---` is a parse error,
python-jsonschema/check-jsonschema#222), so multi-document files are split first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
# Every request through this proxy is refused: a schema that needs the network fails.
_NO_NETWORK = "http://127.0.0.1:9"

EXAMPLE_POLICIES = sorted(
    [
        *(REPO / "policies").rglob("*.yaml"),
        *(REPO / "playbooks").rglob("*.yaml"),
        *(REPO / "tests" / "data" / "valid").glob("*.yaml"),
    ]
)


def split_documents(text: str) -> list[str]:
    """The text of each YAML document in `text`, as a file of its own."""
    documents = []
    start = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.DocumentStartEvent) and event.start_mark:
            start = event.start_mark.index
        elif isinstance(event, yaml.DocumentEndEvent) and event.end_mark:
            documents.append(text[start : event.end_mark.index] + "\n")
    return documents


def write_documents(files: Iterable[Path], folder: Path) -> dict[Path, list[Path]]:
    """Each file's documents written to `folder`, one a file."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[Path, list[Path]] = {}
    for number, source in enumerate(files):
        parts = split_documents(source.read_text(encoding="utf-8"))
        written[source] = []
        for index, document in enumerate(parts):
            target = folder / f"{number:03d}-{source.stem}.{index}.yaml"
            target.write_text(document, encoding="utf-8")
            written[source].append(target)
    return written


def check_jsonschema(
    schema: Path, instances: Iterable[Path], cwd: Path
) -> tuple[int, dict[str, Any], str]:
    """Run check-jsonschema offline from `cwd`: exit status, JSON report, stderr."""
    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    env |= {"HTTPS_PROXY": _NO_NETWORK, "HTTP_PROXY": _NO_NETWORK, "ALL_PROXY": _NO_NETWORK}
    env["XDG_CACHE_HOME"] = str(cwd / ".cache")  # nothing downloaded before can help
    done = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--no-cache", "-o", "json", "--schemafile", str(schema)]
        + [str(path) for path in instances],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report: dict[str, Any] = json.loads(done.stdout) if done.stdout.startswith("{") else {}
    return done.returncode, report, done.stdout + done.stderr
