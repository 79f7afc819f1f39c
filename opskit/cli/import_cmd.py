"""opskit import: adopt objects made by hand in a target, as policy YAML."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import yaml

from opskit.cli.options import config_option
from opskit.cli.sync import load
from opskit.errors import ExitCode, OpskitError, UsageError
from opskit.files import read_at_most
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.discover import display_path, policy_files
from opskit.policy.loader import Document, load_file, load_text
from opskit.policy.model import Policy
from opskit.policy.validate import Result, validate_documents
from opskit.rules import validate_stages
from opskit.sync.imported import Imported

MODELINE = "# yaml-language-server: $schema="
ORIGINS = {"pagerduty": "PagerDuty", "jira": "Jira"}
# What was found, and how to adopt it against the policies as they will be written.
Adopter = Callable[[Policy], Iterator[str]]


def _schema_reference(policy_paths: list[Path], folder: Path) -> str | None:
    """The schema the repository's own files point editors at, seen from `folder`."""
    for path in policy_files(policy_paths):
        first = read_at_most(path, 4096).decode("utf-8", errors="replace").split("\n", 1)[0]
        if first.startswith(MODELINE):
            target = first[len(MODELINE) :].strip()
            if "://" in target:
                return target
            return os.path.relpath((path.parent / target).resolve(), folder.resolve())
    return None


def _render(stem: str, documents: list[dict[str, object]], schema: str | None, origin: str) -> str:
    modeline = f"{MODELINE}{schema}\n" if schema else ""
    header = f"{modeline}# {stem}: imported from {origin} on {dt.date.today()}\n"
    return header + yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True)


def _check(config: Config, texts: dict[Path, str]) -> Result:
    """Validate the repository as it would be with the new files, before writing any."""
    diagnostics = Diagnostics()
    loaded: list[Document] = []
    for path in policy_files(config.policy_paths):
        loaded += load_file(path, diagnostics, display=display_path(path))
    for path, text in texts.items():
        loaded += load_text(display_path(path), text, diagnostics)
    return validate_documents(loaded, diagnostics, config, stages=validate_stages())


def _pagerduty(
    config: Config, policy: Policy, names: set[str], teams: set[str], everything: bool,
    tier: str | None,
) -> tuple[Imported, Adopter]:  # fmt: skip
    from opskit.providers.pagerduty.adopt import adopt
    from opskit.providers.pagerduty.client import connect
    from opskit.providers.pagerduty.importer import Importer

    api = connect()
    importer = Importer(api, config.workspace, policy, tier)
    result = importer.run(importer.candidates(names, teams, everything))
    return result, lambda written: adopt(api, config.workspace, written, result.adopted)


def _jira(
    config: Config, policy: Policy, names: set[str], _teams: set[str], everything: bool,
    tier: str | None,
) -> tuple[Imported, Adopter]:  # fmt: skip
    from opskit.providers.jira.adopt import imported
    from opskit.providers.jira.client import connect
    from opskit.providers.jira.importer import Importer
    from opskit.providers.jira.settings import Settings

    settings = Settings.from_config(config.targets)
    api = connect()
    importer = Importer(api, config.workspace, policy, settings, tier)
    result = importer.run(importer.candidates(names, everything))
    desk = importer.site.desk
    return result, lambda written: imported(
        api, config.workspace, settings, written, result.adopted, desk
    )


SOURCES = {"pagerduty": _pagerduty, "jira": _jira}


@click.command("import")
@config_option
@click.option(
    "--target", "-t", type=click.Choice(list(SOURCES)), required=True, help="Where to import from."
)
@click.option("--all", "everything", is_flag=True, help="Every object not yet managed by opskit.")
@click.option("--name", "names", multiple=True, help="An object's name in the target (repeatable).")
@click.option("--team", "teams", multiple=True, help="Objects of a team (repeatable; PagerDuty).")
@click.option(
    "--tier",
    help="SlaTier for imported PagerDuty services, and Jira customers whose organisation names none.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the YAML (default: policies/imported).",
)
@click.option(
    "--dry-run", is_flag=True, help="Show the YAML and what would be adopted; change nothing."
)
def import_command(
    config_path: Path | None, target: str, everything: bool, names: tuple[str, ...], teams: tuple[str, ...],
    tier: str | None, out: Path | None, dry_run: bool,
) -> int:  # fmt: skip
    """Write policy YAML for existing objects and adopt them (so plan shows no changes).

    \b
    PagerDuty: teams, schedules, escalation policies and services (--team picks by team).
    Jira: priorities and Service Management organisations; components and tier options
    are listed with what to write instead.
    """
    if not (everything or names or teams):
        raise UsageError("say what to import: --all, --name NAME or --team TEAM")
    if teams and target != "pagerduty":
        raise UsageError(
            f"--team is for PagerDuty: {ORIGINS[target]} objects have no team; use --name or --all"
        )
    config, policy = load(config_path)
    if tier is not None and tier not in policy.tiers:
        raise UsageError(f"no SlaTier named {tier!r}")
    result, adopt = SOURCES[target](config, policy, set(names), set(teams), everything, tier)
    folder = (
        out
        or (config.policy_paths[0] if config.policy_paths else config.root / "policies")
        / "imported"
    )
    schema = _schema_reference(config.policy_paths, folder)
    texts = {
        folder / f"{stem}.yaml": _render(stem, docs, schema, ORIGINS[target])
        for stem, docs in sorted(result.documents.items())
    }
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for notice in result.notices:
        click.echo(f"note: {notice}", err=True)
    if not result.adopted:
        click.echo("Nothing to import: every matching object is already managed or defined.")
        return ExitCode.OK
    if dry_run:
        for path, text in texts.items():
            click.echo(f"--- {display_path(path)}\n{text}")
        click.echo(
            "Would adopt: " + ", ".join(f"{kind} {name!r}" for kind, name, _ in result.adopted)
        )
        return ExitCode.OK
    existing = [p for p in texts if p.exists()]
    if existing:
        raise UsageError(f"{display_path(existing[0])} exists; pass another --out")
    checked = _check(config, texts)
    problems = checked.diagnostics
    if problems.errors:
        for problem in problems.sorted():
            click.echo(
                f"{problem.position}: {problem.level}: {problem.message} [{problem.rule}]", err=True
            )
        raise OpskitError(
            "the imported policies would not validate; nothing was written or adopted",
            ExitCode.FINDINGS,
        )
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {display_path(path)}")
    # the model just checked is the repository as written: adopt against it
    for line in adopt(checked.policy):
        click.echo(line)
    return ExitCode.OK
