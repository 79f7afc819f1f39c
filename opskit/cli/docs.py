"""opskit docs: the published support policy and the team's handbook, as static HTML."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.options import config_option
from opskit.errors import ExitCode, OpskitError

DEFAULT_OUT = Path("site")
DONE = {"appear": "wrote", "change": "updated", "disappear": "removed"}


@click.group()
def docs() -> None:
    """The support policy as a static site, built from the policies."""


@docs.command()
@click.option(
    "--out", "out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
    help="Folder to write the site to (created if missing).",
)  # fmt: skip
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the folder is out of date.")
@click.option(
    "--now", "now_text", metavar="TIME",
    help="Build for this instant (ISO 8601; UTC unless an offset is given). Default: now; "
    "with --check, the instant the folder was built for.",
)  # fmt: skip
@config_option
def build(out: Path, check: bool, now_text: str | None, config_path: Path | None) -> int:
    """Build the support site in --out from the policies.

    \b
    Public pages: index.html (how to reach support), tiers.html (each tier's
    promises in plain words), hours.html (support hours, the next 12 months of
    holidays), severities.html, services.html. The team's handbook in internal/:
    escalation ladders, the next 4 weeks of each rotation, who is on call now,
    playbooks. Publish internal/ only where the team reads it.

    The same policies and --now give the same bytes. Files are replaced atomically;
    files of an earlier build that are no longer made are removed; the folder's
    .opskit-site.json lists what the build owns, and other files are left alone. A
    folder with files but no .opskit-site.json is refused.

    \b
    Examples:
      opskit docs build
      opskit docs build --out public --now 2026-03-02T09:00
      opskit docs build --check

    \b
    Exit codes: 0 written or up to date, 1 out of date (--check, one line per
    file), invalid policies or a broken link between pages, 2 usage error (a bad
    --now, a foreign or unwritable --out).
    """
    from opskit.cli.oncall.inputs import read_instant
    from opskit.cli.oncall.load import load_policies
    from opskit.docs import SiteInput, pages
    from opskit.docs import site as folder

    if now_text is not None:
        read_instant(now_text, "UTC", "--now")  # a bad --now is a usage error before anything
    owned = folder.read_manifest(out)
    if now_text is None and check and owned.now is not None:
        now_text = owned.now
    t = read_instant(now_text, "UTC", "--now")
    policy, config = load_policies(config_path)
    jira = config.targets.get("jira")
    desk = jira.get("service_desk") if isinstance(jira, dict) else None
    site = SiteInput(policy, config.root, t, config.workspace, str(desk) if desk else None)
    built = pages(site)
    if check:
        found = folder.changes(out, built, owned)
        for what, path in found:
            click.echo(f"would {what}: {path}")
        if found:
            click.echo(
                f"{out}: {len(found)} file(s) out of date; run `opskit docs build`", err=True
            )
            return ExitCode.FINDINGS
        click.echo(f"{out}: up to date ({len(built)} files)")
        return ExitCode.OK
    try:
        done = folder.write(out, built, owned, site.now_iso)
    except OSError as error:
        raise OpskitError(f"cannot write the site to {out}: {error}", ExitCode.USAGE) from None
    for what, path in done:
        click.echo(f"{DONE[what]} {out / path}")
    click.echo(f"{out}: {len(built)} pages, {len(done)} changed")
    return ExitCode.OK
