"""What `opskit sla report` reads besides Jira, and where it writes the review."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from opskit.errors import ExitCode, OpskitError, UsageError
from opskit.policy.model import Policy


def read_usage(
    folder: Path | None, root: Path, policy: Policy, customer: str | None
) -> dict[str, Any]:
    """The usage series of the customers reviewed; the folder must be inside the repository."""
    if folder is None:
        return {}
    from opskit.sla.review import usage

    resolved, inside = folder.resolve(), root.resolve()
    if resolved != inside and inside not in resolved.parents:
        raise UsageError(f"--usage: {folder} is outside the repository ({root})")
    if not resolved.is_dir():
        raise UsageError(f"--usage: {folder} is not a folder")
    names = [customer] if customer else sorted(policy.customers)
    try:
        return usage.load(resolved, names)
    except usage.UsageError as error:
        raise OpskitError(str(error), ExitCode.FINDINGS) from None


def pagerduty_reader() -> Any | None:
    """A PagerDuty client when PAGERDUTY_API_KEY is set (availability), else None."""
    import os

    if not os.environ.get("PAGERDUTY_API_KEY"):
        click.secho("opskit: note: availability not measured: PAGERDUTY_API_KEY is not set",
                    fg="yellow", err=True)  # fmt: skip
        return None
    from opskit.providers.pagerduty.client import connect

    return connect()


def render(found: Any, browse: str, output_format: str) -> str:
    from opskit.sla.review import document, markdown

    doc = document.document(found, browse)
    if output_format == "json":
        import json

        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if output_format == "html":
        from opskit.sla.review import html

        return html.render(doc)
    return markdown.markdown(doc)


def write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from opskit.disk_cache import write_atomically

    try:
        write_atomically(output, text.encode("utf-8"), shared=True)
    except OSError as error:
        raise UsageError(f"--output: cannot write {output}: {error.strerror}") from None
    click.echo(f"opskit: wrote {output}", err=True)
