"""opskit schemas: the JSON Schemas, for editors and other validators."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.errors import ExitCode, OpskitError, UsageError


@click.group()
def schemas() -> None:
    """The JSON Schemas that policies are checked against, for editors and CI."""


@schemas.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace files in FOLDER that differ from opskit's.")
def export(folder: Path, force: bool) -> int:
    """Write the schemas into FOLDER (made if missing).

    Each file is self-contained, so it checks every reference offline. Point an
    editor's yaml.schemas setting (or a yaml-language-server modeline) at
    FOLDER/policy.schema.json for policies and FOLDER/opskit.schema.json for opskit.yaml.
    """
    from opskit.policy.schema_publish import ExportRefused
    from opskit.policy.schema_publish import export as export_schemas

    try:
        done = export_schemas(folder, force=force)
    except ExportRefused as refused:
        hint = "; --force replaces them" if refused.differing else ""
        raise UsageError(f"{refused}{hint}") from None
    except OSError as error:
        raise OpskitError(f"cannot write the schemas to {folder}: {error}") from None
    for path in done.written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(done.written)} written, {len(done.unchanged)} already up to date in {folder}")
    return ExitCode.OK
