"""opskit oncall diff: who-is-on-call changes between a git ref and the working tree."""

from __future__ import annotations

from pathlib import Path

import click

from opskit.cli.oncall.inputs import read_horizon, read_instant, within_render_budget
from opskit.cli.oncall.load import load_policies
from opskit.cli.oncall.output import echo_json
from opskit.cli.options import config_option, format_option
from opskit.errors import ExitCode, UsageError
from opskit.policy.config import Config
from opskit.policy.model import Policy


@click.command("diff")
@click.argument("base_ref", required=False)
@click.option("--from", "from_text", help="Start of the comparison (default: now).")
@click.option("--horizon", help="How far to look (default: opskit.yaml validate.horizon).")
@format_option("text", "markdown", "json")
@config_option
def diff_command(
    base_ref: str | None, from_text: str | None, horizon: str | None, output_format: str,
    config_path: Path | None,
) -> int:  # fmt: skip
    """Who-is-on-call changes between BASE_REF (default: the merge base with main) and the working tree.

    Says it in people's terms: who gains or loses which days in each rotation and at
    each ladder step, double-bookings that begin or end, new gaps, promises that
    move; as text, Markdown for a pull-request comment, or JSON. The ref's
    files are read with git archive into a temporary folder; the working tree is
    not touched.
    """
    from opskit.oncall import diff_report

    policy, config = load_policies(config_path)
    lo = read_instant(from_text, "UTC", "--from")
    hi = lo + read_horizon(horizon or config.horizon)
    base, ref = load_base_policies(config, base_ref)
    within_render_budget([*base.rotations.values(), *policy.rotations.values()], lo, hi)
    found = diff_report.report(base, policy, lo, hi, ref)
    if output_format == "json":
        echo_json(found)
    elif output_format == "markdown":
        click.echo(diff_report.as_markdown(found), nl=False)
    else:
        click.echo(diff_report.as_text(found))
    return ExitCode.OK


def load_base_policies(config: Config, base_ref: str | None) -> tuple[Policy, str]:
    """The policies at BASE_REF (default: the merge base with main), and the ref used."""
    import tempfile

    from opskit.oncall import gitref

    try:
        root = gitref.toplevel(config.root)
        ref = base_ref or gitref.default_base(root)
        with tempfile.TemporaryDirectory(prefix="opskit-diff-") as folder:
            relative = [str(p.resolve().relative_to(root.resolve())) for p in config.policy_paths]
            assert config.path is not None
            config_file = str(config.path.resolve().relative_to(root.resolve()))
            gitref.unpack(root, ref, [config_file, *relative], Path(folder))
            base_config = Path(folder) / config_file
            if not base_config.is_file():
                raise UsageError(f"{config_file} does not exist at {ref}")
            base, _ = load_policies(base_config, f"the policies at {ref}")
    except gitref.GitError as error:
        raise UsageError(f"git: {error}") from None
    except ValueError:
        raise UsageError("the policies are not inside a git repository") from None
    return base, ref
