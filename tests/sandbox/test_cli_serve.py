"""``opskit sandbox serve`` as a real process: start, use, SIGTERM, restart with state."""

from __future__ import annotations

import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
from click.testing import CliRunner

from opskit.cli.sandbox import sandbox

REPO = Path(__file__).resolve().parents[2]
PD = {"Authorization": "Token token=cli", "From": "anna@northwind.example"}


@contextmanager
def serving(
    db: Path, *extra: str, stop: signal.Signals = signal.SIGTERM
) -> Iterator[tuple[str, ssl.SSLContext]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "opskit.cli.sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(db),
            *extra,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "listening on" in first, proc.stderr.read() if proc.stderr else first
        url = first.split()[-1]
        ca = proc.stdout.readline().split(": ", 1)[1].strip()
        yield url, ssl.create_default_context(cafile=ca)
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        assert "sandbox stopped" in out
        assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_stops_cleanly_and_keeps_state(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    user = {"user": {"type": "user", "name": "Zoe Quinn", "email": "zoe@northwind.example"}}
    with serving(db, "--seed", "demo") as (url, ctx), httpx2.Client(verify=ctx) as client:
        created = client.post(f"{url}/users", json=user, headers=PD)
        assert created.status_code == 201
        seeded = client.get(f"{url}/users", params={"query": "anna@"}, headers=PD).json()
        assert [u["email"] for u in seeded["users"]] == ["anna@northwind.example"]
    with serving(db) as (url, ctx), httpx2.Client(verify=ctx) as client:
        again = client.get(f"{url}/users", params={"query": "zoe@"}, headers=PD).json()
        assert [u["id"] for u in again["users"]] == [created.json()["user"]["id"]]
        issues = client.post(
            f"{url}/rest/api/2/search/jql",
            json={"jql": "project = SUP", "maxResults": 1},
            auth=("anna@northwind.example", "token"),
        )
        assert issues.status_code == 200 and issues.json()["isLast"] is False


def test_serve_reports_user_errors_without_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_seed = runner.invoke(
        sandbox, ["serve", "--seed", "nonsense", "--db", str(tmp_path / "x.db")]
    )
    assert bad_seed.exit_code == 2
    unwritable = runner.invoke(
        sandbox, ["serve", "--port", "0", "--db", str(tmp_path / "missing" / "dir" / "x.db")]
    )
    assert unwritable.exit_code == 3
    assert "cannot start the sandbox" in unwritable.output
    assert unwritable.exc_info is None or unwritable.exc_info[0] is SystemExit


def test_reset_starts_empty(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    with serving(db, "--seed", "demo") as (url, ctx), httpx2.Client(verify=ctx) as client:
        assert client.get(f"{url}/users", headers=PD).json()["users"]
    with (
        serving(db, "--reset", stop=signal.SIGINT) as (url, ctx),
        httpx2.Client(verify=ctx) as client,
    ):
        assert client.get(f"{url}/users", headers=PD).json()["users"] == []
