"""`opskit init`: the files of a new policy repository, rendered from templates.

The templates (package data in templates/) are string.Template files. Every value put into
a YAML file goes through `scalar`, a double-quoted YAML scalar dumped by yaml.safe_dump, so
no answer (quotes, colons, `#`, unicode) can change the structure of a document; answers
with control characters (a newline) are refused before anything is rendered.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import yaml

from opskit import __version__

HOOK_REPO = "https://github.com/opskit/opskit"
SCHEMA_FOLDER = ".opskit/schemas"

# path in the new repository -> template file
TEMPLATES: dict[str, str] = {
    "opskit.yaml": "opskit.yaml.tmpl",
    "policies/calendars.yaml": "calendars.yaml.tmpl",
    "policies/people.yaml": "people.yaml.tmpl",
    "policies/teams.yaml": "teams.yaml.tmpl",
    "policies/priorities.yaml": "priorities.yaml.tmpl",
    "policies/tiers.yaml": "tiers.yaml.tmpl",
    "policies/rotations.yaml": "rotations.yaml.tmpl",
    "policies/ladders.yaml": "ladders.yaml.tmpl",
    "policies/services.yaml": "services.yaml.tmpl",
    "policies/customers.yaml": "customers.yaml.tmpl",
    "policies/tests/p1.yaml": "policytest.yaml.tmpl",
    "playbooks/web-app-outage.yaml": "playbook.yaml.tmpl",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.tmpl",
    ".github/workflows/opskit.yml": "workflow.yml.tmpl",
}
SETTINGS = ".vscode/settings.json"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORKSPACE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_JIRA_KEY = re.compile(r"[A-Z][A-Z0-9_]{1,9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AnswerError(ValueError):
    """An answer that cannot go into the scaffold; the message says why."""


def _printable(value: str, what: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise AnswerError(f"{what} is empty")
    if _CONTROL.search(value):
        raise AnswerError(f"{what} has a control character (such as a newline or tab)")
    if len(value) > limit:
        raise AnswerError(f"{what} is longer than {limit} characters")
    return value


def check_workspace(value: str) -> str:
    value = _printable(value, "the workspace name", 40)
    if not _WORKSPACE.fullmatch(value):
        raise AnswerError(
            f"{value!r} is not a workspace name: lowercase letters, digits and '-', "
            "starting with a letter or digit, at most 40"
        )
    return value


def check_timezone(value: str) -> str:
    value = _printable(value, "the time zone", 200)
    if value not in zoneinfo.available_timezones():
        raise AnswerError(f"{value!r} is not an IANA time zone (such as Europe/Berlin or UTC)")
    return value


def check_country(value: str) -> str:
    import holidays

    value = _printable(value, "the holiday country", 10).upper()
    if value not in holidays.list_supported_countries():
        raise AnswerError(f"{value!r} is not a country the holidays library knows (such as US, DE)")
    return value


def check_jira_project(value: str) -> str:
    value = _printable(value, "the Jira project key", 10).upper()
    if not _JIRA_KEY.fullmatch(value):
        raise AnswerError(
            f"{value!r} is not a Jira project key: a letter, then 1-9 letters, digits or '_'"
        )
    return value


def check_full_name(value: str) -> str:
    return _printable(value, "the name", 200)


def check_email(value: str) -> str:
    value = _printable(value, "the email", 254)
    if not _EMAIL.fullmatch(value):
        raise AnswerError(f"{value!r} is not an email address")
    return value


def slug(text: str, fallback: str) -> str:
    """A policy name (letters, digits, '.', '_', '-') made from free text."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
    return found or fallback


def default_workspace(folder: Path) -> str:
    name = slug(folder.resolve().name, "support")
    try:
        return check_workspace(name)
    except AnswerError:
        return "support"


@dataclass(frozen=True, slots=True)
class Answers:
    """What `opskit init` asks for a new policy repository: workspace, zone, project, lead."""

    workspace: str = "support"
    timezone: str = "UTC"
    country: str = "US"
    jira_project: str = "SUP"
    full_name: str = "Jordan Lead"
    email: str = "jordan@example.com"

    def checked(self) -> Answers:
        return Answers(
            workspace=check_workspace(self.workspace),
            timezone=check_timezone(self.timezone),
            country=check_country(self.country),
            jira_project=check_jira_project(self.jira_project),
            full_name=check_full_name(self.full_name),
            email=check_email(self.email),
        )


def scalar(value: str) -> str:
    """`value` as one double-quoted YAML scalar, escaped by yaml.safe_dump."""
    dumped = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=1_000_000)
    text = dumped.removesuffix("\n...\n").removesuffix("\n")
    if "\n" in text or yaml.safe_load(text) != value:  # pragma: no cover - safety net
        raise AnswerError(f"{value!r} cannot be written as one YAML line")
    return text


def _working_day(day: dt.date, country: str) -> bool:
    import holidays

    closed = holidays.country_holidays(country, years=day.year)
    return day.weekday() < 5 and day not in closed


def values(answers: Answers, today: dt.date) -> dict[str, str]:
    """Every placeholder of the templates, as raw (not yet escaped) text."""
    person1 = slug(answers.full_name, "") or slug(answers.email.partition("@")[0], "lead")
    domain = answers.email.rpartition("@")[2]
    person2 = "robin" if person1 != "robin" else "robin-2"
    person2_email = f"{person2}@{domain}"
    if person2_email.lower() == answers.email.lower():  # pragma: no cover - defensive
        person2_email = f"{person2}-2@{domain}"
    start = today - dt.timedelta(days=today.weekday())  # this week's Monday
    # The test's incident: 10:00 on the first working Wednesday from next week on.
    day = start + dt.timedelta(days=9)
    while not _working_day(day, answers.country):
        day += dt.timedelta(days=7)
    week = (day - start).days // 7  # the turn hands off Monday 09:00, before Wednesday 10:00
    on_call = (person1, person2)[week % 2]
    return {
        "workspace": answers.workspace,
        "timezone": answers.timezone,
        "country": answers.country,
        "jira_project": answers.jira_project,
        "person1": person1,
        "person1_full_name": answers.full_name,
        "person1_email": answers.email,
        "person2": person2,
        "person2_full_name": "Robin Teammate",
        "person2_email": person2_email,
        "rotation_start": start.isoformat(),
        "test_at": f"{day.isoformat()}T10:00",
        "test_due": f"{day.isoformat()}T11:00",  # P1: 1h first response in office hours
        "test_on_call": on_call,
        "rev": f"v{__version__}",
    }


def template(name: str) -> str:
    return resources.files("opskit.scaffold").joinpath("templates", name).read_text("utf-8")


def settings() -> str:
    mapping: dict[str, Any] = {
        f"./{SCHEMA_FOLDER}/policy.schema.json": [
            "policies/*.yaml",
            "policies/**/*.yaml",
            "playbooks/*.yaml",
            "playbooks/**/*.yaml",
        ],
        f"./{SCHEMA_FOLDER}/opskit.schema.json": "opskit.yaml",
    }
    return json.dumps({"yaml.schemas": mapping}, indent=2) + "\n"


def render(answers: Answers, today: dt.date | None = None) -> dict[str, str]:
    """The text of every file but the schemas, by path relative to the new repository."""
    raw = values(answers, today or dt.date.today())
    escaped: Mapping[str, str] = {key: scalar(value) for key, value in raw.items()}
    files: dict[str, str] = {}
    for path, name in TEMPLATES.items():
        # the workflow's and hook's `rev` is in a plain (non-YAML-value) position: it is fixed text
        text = Template(template(name)).substitute(raw if path.startswith(".") else escaped)
        list(yaml.safe_load_all(text))  # every file parses
        files[path] = text
    files[SETTINGS] = settings()
    return dict(sorted(files.items()))


def schema_files() -> dict[str, bytes]:
    """The schemas as `opskit schemas export` writes them, by path in the new repository."""
    from opskit.policy.schema_publish import PATTERN
    from opskit.policy.schemas import schema_dir

    return {
        f"{SCHEMA_FOLDER}/{path.name}": path.read_bytes()
        for path in sorted(schema_dir().glob(PATTERN))
    }


def conflicts(root: Path, files: Mapping[str, str | bytes]) -> list[str]:
    """Paths that already exist in `root` (schemas identical to opskit's do not count)."""
    found = []
    for relative, content in files.items():
        path = root / relative
        if not (path.exists() or path.is_symlink()):
            continue
        same = isinstance(content, bytes) and path.is_file() and not path.is_symlink()
        if same and path.read_bytes() == content:
            continue
        found.append(relative)
    return found


def write(root: Path, files: Mapping[str, str], *, force: bool) -> list[str]:
    """Write the files and export the schemas; the paths written, relative to `root`."""
    from opskit.policy.schema_publish import export

    written = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()  # never write through a link to somewhere else
        path.write_text(text, encoding="utf-8")
        written.append(relative)
    done = export(root / SCHEMA_FOLDER, force=force)
    written += [f"{SCHEMA_FOLDER}/{path.name}" for path in done.written]
    return written
