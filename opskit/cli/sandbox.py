"""``opskit sandbox``: local PagerDuty and Jira emulators for tests and demos."""

from __future__ import annotations

import signal
import sqlite3
import sys
import threading
from pathlib import Path
from types import FrameType

import click

EXIT_RUNTIME = 3


@click.group(name="sandbox")
def sandbox() -> None:
    """Local PagerDuty and Jira emulators (no accounts needed)."""


_RATE = click.FloatRange(0.0, 1.0)


@sandbox.command()
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".opskit-sandbox.db"),
    show_default=True,
    help="SQLite file holding the sandbox state (kept across restarts).",
)
@click.option("--reset", is_flag=True, help="Start from an empty database.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8787,
    show_default=True,
    help="0 picks a free port.",
)
@click.option(
    "--seed",
    type=click.Choice(["demo"]),
    default=None,
    help="Load a data set into a fresh database.",
)
@click.option(
    "--tls/--no-tls",
    default=True,
    show_default=True,
    help="Serve HTTPS with a throwaway CA (PagerDuty's client requires https).",
)
@click.option(
    "--pd-rate",
    type=click.IntRange(1),
    default=960,
    show_default=True,
    help="PagerDuty requests per minute per API key.",
)
@click.option(
    "--jira-rate",
    type=click.IntRange(1),
    default=6000,
    show_default=True,
    help="Jira requests per minute per user.",
)
@click.option("--fault-429", type=_RATE, default=0.0, help="Probability of an injected 429.")
@click.option("--fault-500", type=_RATE, default=0.0, help="Probability of an injected 500.")
@click.option("--fault-502", type=_RATE, default=0.0, help="Probability of an injected 502.")
@click.option("--fault-503", type=_RATE, default=0.0, help="Probability of an injected 503.")
@click.option(
    "--fault-drop", type=_RATE, default=0.0, help="Probability of dropping the connection."
)
@click.option("--latency-ms", type=click.IntRange(0), default=0, help="Added latency.")
@click.option(
    "--latency-rate",
    type=_RATE,
    default=1.0,
    show_default=True,
    help="Share of requests that get the added latency.",
)
@click.option(
    "--fault-seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed that makes injected faults reproducible.",
)
@click.option(
    "--max-body-bytes",
    type=click.IntRange(1, 1 << 30),
    default=None,
    help="Refuse larger request bodies with 413 (default: 5 MiB).",
)
def serve(
    db: Path,
    reset: bool,
    host: str,
    port: int,
    seed: str | None,
    tls: bool,
    pd_rate: int,
    jira_rate: int,
    fault_429: float,
    fault_500: float,
    fault_502: float,
    fault_503: float,
    fault_drop: float,
    latency_ms: int,
    latency_rate: float,
    fault_seed: int,
    max_body_bytes: int | None,
) -> None:
    """Serve the emulated PagerDuty and Jira APIs until stopped (Ctrl-C or SIGTERM)."""
    from opskit.sandbox import Sandbox
    from opskit.sandbox.body import DEFAULT_MAX_BODY_BYTES
    from opskit.sandbox.faults import FaultConfig

    faults = FaultConfig(
        rate_429=fault_429,
        rate_500=fault_500,
        rate_502=fault_502,
        rate_503=fault_503,
        rate_drop=fault_drop,
        latency_ms=latency_ms,
        latency_rate=latency_rate if latency_ms else 0.0,
        seed=fault_seed,
    )
    sb = Sandbox(
        db=db,
        host=host,
        port=port,
        reset=reset,
        seed=seed,
        tls=tls,
        pd_rate_per_minute=pd_rate,
        jira_rate_per_minute=jira_rate,
        faults=faults,
        max_body_bytes=max_body_bytes or DEFAULT_MAX_BODY_BYTES,
    )
    try:
        sb.start()
    except (OSError, ValueError, sqlite3.Error) as exc:
        click.echo(f"error: cannot start the sandbox: {exc}", err=True)
        sys.exit(EXIT_RUNTIME)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    click.echo(f"opskit sandbox listening on {sb.url}")
    if sb.ca_path is not None:
        click.echo(f"CA certificate: {sb.ca_path}")
    click.echo(f"database: {Path(db).resolve()}")
    click.echo("PagerDuty: base_url=<url>, any API token; Events API v2 at <url>/v2/enqueue")
    click.echo("Jira: JIRA_URL=<url>, any email and API token; admin at <url>/_sandbox/")
    sys.stdout.flush()
    while not stop.wait(0.2):
        pass
    sb.stop()
    click.echo("sandbox stopped")


if __name__ == "__main__":
    sandbox()
