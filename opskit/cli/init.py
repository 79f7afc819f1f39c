"""opskit init: scaffold a policy repository that validates, tests and plans clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from opskit.errors import ExitCode, OpskitError, UsageError


def _ask(text: str, default: str, check: Callable[[str], str]) -> str:
    from opskit.scaffold import AnswerError

    def proc(value: str) -> str:
        try:
            return check(value)
        except AnswerError as bad:
            raise click.UsageError(str(bad)) from None  # click.prompt shows it and asks again

    result: str = click.prompt(text, default=default, value_proc=proc)
    return result


@click.command()
@click.argument(
    "folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--workspace", help="Workspace name (lowercase letters, digits, '-').")
@click.option("--timezone", help="IANA time zone of the office calendar and people (default UTC).")
@click.option("--country", help="Holiday country of the office calendar (default US).")
@click.option("--jira-project", help="Key of the Jira project and service desk (default SUP).")
@click.option("--name", "full_name", help="The first person's full name.")
@click.option("--email", help="The first person's email (their PagerDuty and Jira login).")
@click.option("--non-interactive", is_flag=True, help="Ask nothing: options, else defaults.")
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@click.option("--dry-run", is_flag=True, help="List the files that would be written; write none.")
def init(
    folder: Path,
    workspace: str | None,
    timezone: str | None,
    country: str | None,
    jira_project: str | None,
    full_name: str | None,
    email: str | None,
    non_interactive: bool,
    force: bool,
    dry_run: bool,
) -> int:
    """Scaffold a policy repository in FOLDER (default: here).

    Writes opskit.yaml, one policy of each kind (policies/, playbooks/, a PolicyTest in
    policies/tests/), the JSON Schemas in .opskit/schemas with .vscode/settings.json
    pointing at them, a pre-commit hook and a GitHub workflow (.github/workflows/opskit.yml).
    Asks for the values it needs unless --non-interactive; options answer in advance.
    Existing files are never replaced without --force.
    """
    from opskit import scaffold

    defaults = scaffold.Answers(workspace=scaffold.default_workspace(folder))
    given = {
        "workspace": workspace,
        "timezone": timezone,
        "country": country,
        "jira_project": jira_project,
        "full_name": full_name,
        "email": email,
    }
    questions: dict[str, tuple[str, Callable[[str], str]]] = {
        "workspace": ("Workspace name", scaffold.check_workspace),
        "timezone": ("Time zone (IANA)", scaffold.check_timezone),
        "country": ("Holiday country", scaffold.check_country),
        "jira_project": ("Jira project key", scaffold.check_jira_project),
        "full_name": ("Your name", scaffold.check_full_name),
        "email": ("Your email", scaffold.check_email),
    }
    chosen: dict[str, str] = {}
    for key, (text, check) in questions.items():
        value = given[key]
        if value is None and not non_interactive:
            value = _ask(text, getattr(defaults, key), check)
        chosen[key] = getattr(defaults, key) if value is None else value
    try:
        answers = scaffold.Answers(**chosen).checked()
    except scaffold.AnswerError as bad:
        raise UsageError(str(bad)) from None

    files = scaffold.render(answers)
    schemas = scaffold.schema_files()
    every: dict[str, str | bytes] = {**files, **schemas}
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    existing = scaffold.conflicts(folder, every) if folder.is_dir() else []
    if existing and not force and not dry_run:
        raise UsageError(f"{folder} already has {', '.join(existing)}; --force replaces them")
    if dry_run:
        for relative in sorted(every):
            note = " (exists; --force replaces it)" if relative in existing else ""
            click.echo(f"would write {folder / relative}{note}")
        click.echo(f"{len(every)} files; nothing written (--dry-run)")
        return ExitCode.OK
    try:
        written = scaffold.write(folder, files, force=force)
    except OSError as error:
        raise OpskitError(f"cannot write the scaffold to {folder}: {error}") from None
    for relative in sorted(written):
        click.echo(f"wrote {folder / relative}")
    click.echo(
        f"{len(written)} files written in {folder}. Next: cd into it, then "
        "`opskit validate` and `opskit test`."
    )
    return ExitCode.OK
