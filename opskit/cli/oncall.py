"""opskit oncall: who is on call, when, with which gaps, how fairly; calendars to import."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from opskit.cli.errors import ExitCode, OpskitError, UsageError
from opskit.cli.options import config_option, format_option
from opskit.cli.repository import open_repository, policy_paths
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics, Level
from opskit.policy.model import Policy

F = TypeVar("F", bound=Callable[..., Any])
WEEK = 7 * 86_400


def _load(config_path: Path | None, label: str = "the policies") -> tuple[Policy, Config]:
    from opskit.policy.checks.deliverability import RULE_IDS
    from opskit.policy.validate import validate_files

    problems = Diagnostics()
    config = open_repository(config_path, problems, required=True)
    assert config is not None
    result = validate_files(policy_paths((), config), config)
    # Gaps and double bookings are what these commands show: only other errors stop them.
    errors = [
        d for d in result.diagnostics.items if d.level is Level.ERROR and d.rule not in RULE_IDS
    ]
    if errors:
        raise UsageError(f"{label} have {len(errors)} error(s); run 'opskit validate' first")
    return result.policy, config


def _instant(text: str | None, timezone: str, option: str) -> int:
    from opskit.oncall import zones
    from opskit.oncall.window import parse_instant, reference

    if text is None:
        return reference()
    try:
        return zones.from_datetime(parse_instant(text, timezone))
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None


def _zone(name: str) -> str:
    from opskit.oncall.schedule import valid_zone

    if not valid_zone(name):
        raise UsageError(f"--tz: {name!r} is not an IANA time zone")
    return name


def _pick(table: Mapping[str, Any], name: str | None, what: str) -> None:
    from opskit.policy.schemas import suggest

    if name is not None and name not in table:
        raise UsageError(f"no {what} {name!r}{suggest(name, table)}")


def _horizon(text: str, option: str = "--horizon") -> int:
    from opskit.oncall.window import horizon_seconds

    try:
        return horizon_seconds(text)
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None


def tz_option(function: F) -> F:
    return click.option(
        "--tz", default="UTC", show_default=True,
        help="Time zone for times given without an offset, and for display.",
    )(function)  # fmt: skip


def window_options(function: F) -> F:
    function = click.option("--to", "to_text", help="End (default: start + horizon).")(function)
    return click.option("--from", "from_text", help="Start, e.g. 2026-12-21 (default: now).")(
        function
    )


def _window(from_text: str | None, to_text: str | None, tz: str, config: Config) -> tuple[int, int]:
    lo = _instant(from_text, tz, "--from")
    hi = _instant(to_text, tz, "--to") if to_text else lo + _horizon(config.horizon)
    if hi <= lo:
        raise UsageError("--to must be after --from")
    return lo, hi


def _json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group()
def oncall() -> None:
    """Who is on call: now, over time, gaps, fairness, calendars and reviews."""


@oncall.command()
@click.option("--at", "at_text", help="Instant to ask about (default: now), e.g. 2026-12-26T03:00.")
@tz_option
@click.option("--service", help="Only this service's ladder.")
@click.option("--rotation", help="Only this rotation.")
@click.option("--ladder", help="Only this escalation ladder.")
@click.option(
    "--remote", is_flag=True, help="Also ask PagerDuty (GET /oncalls) and flag disagreements."
)
@format_option("text", "json")
@config_option
def who(
    at_text: str | None, tz: str, service: str | None, rotation: str | None, ladder: str | None,
    remote: bool, output_format: str, config_path: Path | None,
) -> int:  # fmt: skip
    """Who is on call now (or --at), and who each ladder pages next, minute by minute.

    With --remote, PagerDuty's GET /oncalls is asked too (PAGERDUTY_API_KEY, and
    PAGERDUTY_URL for a sandbox); exits 1 when it disagrees, 3 when it fails.
    """
    from opskit.oncall.render_text import who_text
    from opskit.oncall.who import who as ask

    if sum(x is not None for x in (service, rotation, ladder)) > 1:
        raise UsageError("give at most one of --service, --rotation, --ladder")
    policy, _ = _load(config_path)
    _pick(policy.services, service, "service")
    _pick(policy.rotations, rotation, "rotation")
    _pick(policy.ladders, ladder, "escalation ladder")
    t = _instant(at_text, _zone(tz), "--at")
    answer = ask(policy, t, service=service, rotation=rotation, ladder=ladder)
    problems = _compare(policy, answer) if remote else []
    if output_format == "json":
        _json({**answer, **({"remote_disagreements": problems} if remote else {})})
    else:
        click.echo(who_text(answer, tz))
        for problem in problems:
            click.secho(f"disagrees: {problem}", fg="yellow")
        if remote and not problems:
            click.secho("PagerDuty agrees.", fg="green")
    return ExitCode.FINDINGS if problems else ExitCode.OK


def _compare(policy: Policy, answer: dict[str, Any]) -> list[str]:
    from opskit.oncall.remote import disagreements, remote_levels

    try:
        from opskit.providers.pagerduty.client import connect
        from opskit.sync.apply import TargetError
    except ImportError:  # pragma: no cover - the provider ships with opskit
        raise OpskitError("the PagerDuty provider is not installed") from None
    try:
        levels = remote_levels(connect(), answer["at"])
    except TargetError as error:
        raise OpskitError(f"PagerDuty: {error}") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OpskitError(
            f"PagerDuty: unexpected answer or connection failure ({type(error).__name__})"
        ) from None
    return disagreements(policy, answer, levels)


@oncall.command()
@window_options
@tz_option
@click.option("--rotation", "rotations", multiple=True, help="Only these rotations (repeatable).")
@format_option("text", "json", "csv")
@config_option
def show(
    from_text: str | None, to_text: str | None, tz: str, rotations: tuple[str, ...],
    output_format: str, config_path: Path | None,
) -> int:  # fmt: skip
    """Every shift between --from and --to: a timeline, or JSON or CSV."""
    from opskit.oncall.render_text import show_table
    from opskit.oncall.schedule import Schedules
    from opskit.oncall.timeline import as_csv, public, rows

    policy, config = _load(config_path)
    for name in rotations:
        _pick(policy.rotations, name, "rotation")
    lo, hi = _window(from_text, to_text, _zone(tz), config)
    chosen = [policy.rotations[n] for n in rotations] or list(policy.rotations.values())
    found = rows(Schedules(policy, lo, hi), chosen)
    if output_format == "json":
        _json([public(r) for r in found])
    elif output_format == "csv":
        click.echo(as_csv(found), nl=False)
    else:
        show_table(found, tz, lo, hi)
    return ExitCode.OK


@oncall.command()
@click.option("--from", "from_text", help="Start (default: now).")
@click.option("--horizon", help="How far to look (default: opskit.yaml validate.horizon).")
@tz_option
@format_option("text", "json")
@config_option
def gaps(
    from_text: str | None,
    horizon: str | None,
    tz: str,
    output_format: str,
    config_path: Path | None,
) -> int:
    """Uncovered time of each rotation, and of each service's promised hours by step 1 of its ladder.

    Exits 1 when a service's promised hours have a gap.
    """
    from opskit.oncall.gaps import gaps as find
    from opskit.oncall.render_text import gaps_text

    policy, config = _load(config_path)
    lo = _instant(from_text, _zone(tz), "--from")
    found = find(policy, lo, lo + _horizon(horizon or config.horizon))
    if output_format == "json":
        _json(found)
    else:
        click.echo(gaps_text(found, tz))
    return ExitCode.FINDINGS if any(s["gaps"] for s in found["services"]) else ExitCode.OK


@oncall.command()
@window_options
@tz_option
@click.option(
    "--night", default="22:00-07:00", show_default=True, help="Night, on each person's clock."
)
@click.option("--max-hours", type=float, help="Warn above this many on-call hours a person.")
@click.option("--max-night-hours", type=float, help="Warn above this many night hours a person.")
@click.option(
    "--max-weekend-hours", type=float, help="Warn above this many weekend hours a person."
)
@click.option(
    "--max-holiday-hours", type=float, help="Warn above this many holiday hours a person."
)
@click.option(
    "--max-spread", type=float, help="Warn when most and least loaded differ by more hours."
)
@format_option("text", "json")
@config_option
def fairness(
    from_text: str | None, to_text: str | None, tz: str, night: str, max_hours: float | None,
    max_night_hours: float | None, max_weekend_hours: float | None, max_holiday_hours: float | None,
    max_spread: float | None, output_format: str, config_path: Path | None,
) -> int:  # fmt: skip
    """On-call load per person: hours, nights, weekends, holidays, shifts; warns above limits.

    Exits 1 when a limit is exceeded.
    """
    from opskit.oncall.fairness import loads, report
    from opskit.oncall.render_text import fairness_table
    from opskit.policy.values import parse_window

    try:
        night_window = parse_window(night)
    except ValueError as error:
        raise UsageError(f"--night: {error}") from None
    policy, config = _load(config_path)
    lo, hi = _window(from_text, to_text, _zone(tz), config)
    limits = {"hours": max_hours, "night_hours": max_night_hours, "weekend_hours": max_weekend_hours,
              "holiday_hours": max_holiday_hours, "spread": max_spread}  # fmt: skip
    found = report(loads(policy, lo, hi, night_window), limits)
    if output_format == "json":
        _json(found)
    else:
        fairness_table(found, lo, hi)
    return ExitCode.FINDINGS if found["warnings"] else ExitCode.OK


@oncall.command("export-ical")
@window_options
@tz_option
@click.option("--person", help="Only this person's shifts.")
@click.option("--rotation", help="Only this rotation's shifts.")
@click.option("--now", "now_text", help="DTSTAMP of the events (default: now).")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@config_option
def export_ical(
    from_text: str | None, to_text: str | None, tz: str, person: str | None, rotation: str | None,
    now_text: str | None, out: Path | None, config_path: Path | None,
) -> int:  # fmt: skip
    """Shifts as an iCalendar (.ics) file, per person or rotation, to import into calendar apps."""
    from opskit.oncall.ical import export
    from opskit.oncall.schedule import Schedules, renderable

    policy, config = _load(config_path)
    _pick(policy.people, person, "person")
    _pick(policy.rotations, rotation, "rotation")
    lo, hi = _window(from_text, to_text, _zone(tz), config)
    schedules = Schedules(policy, lo, hi)
    chosen = [policy.rotations[rotation]] if rotation else list(policy.rotations.values())
    shifts = [
        (r.name, s)
        for r in chosen
        if renderable(r)
        for s in schedules.shifts(r)
        if person is None or s.person == person
    ]
    title = f"On call: {person or rotation or 'all rotations'}"
    data = export(title, shifts, _instant(now_text, tz, "--now"))
    if out is None:
        click.echo(data.decode(), nl=False)
    else:
        try:
            out.write_bytes(data)
        except OSError as error:
            raise UsageError(f"--out: cannot write {out}: {error.strerror}") from None
        click.echo(f"wrote {len(shifts)} shift(s) to {out}", err=True)
    return ExitCode.OK


@oncall.command("diff")
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

    Says it in people's terms (who gains or loses which days, new gaps, promises
    that move), as text, Markdown for a pull-request comment, or JSON. The ref's
    files are read with git archive into a temporary folder; the working tree is
    not touched.
    """
    import tempfile

    from opskit.oncall import diff_report, gitref

    policy, config = _load(config_path)
    lo = _instant(from_text, "UTC", "--from")
    hi = lo + _horizon(horizon or config.horizon)
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
            base, _ = _load(base_config, f"the policies at {ref}")
    except gitref.GitError as error:
        raise UsageError(f"git: {error}") from None
    except ValueError:
        raise UsageError("the policies are not inside a git repository") from None
    found = diff_report.report(base, policy, lo, hi, ref)
    if output_format == "json":
        _json(found)
    elif output_format == "markdown":
        click.echo(diff_report.as_markdown(found), nl=False)
    else:
        click.echo(diff_report.as_text(found))
    return ExitCode.OK
