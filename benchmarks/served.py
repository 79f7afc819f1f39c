"""The sandbox in its own process, as a real service would be: its work does not share
opskit's interpreter, and opskit's commands are measured as processes of their own."""

from __future__ import annotations

import ssl
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx2
from harness import Figure, run_process, shown


class Server:
    def __init__(self, db: Path, *options: str, reset: bool = True) -> None:
        command = [sys.executable, "-m", "opskit", "sandbox", "serve", "--port", "0",
                   "--db", str(db), *(["--reset"] if reset else []), *options]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.url = self.ca = ""
        for line in self.process.stdout:  # it says where it listens once it is ready
            if line.startswith("opskit sandbox listening on "):
                self.url = line.split()[-1]
            if line.startswith("CA certificate: "):
                self.ca = line.split(": ", 1)[1].strip()
            if line.startswith("database:"):
                break
        if not self.url:
            self.process.kill()
            raise SystemExit("the sandbox did not start")
        self.http = httpx2.Client(
            base_url=self.url, verify=ssl.create_default_context(cafile=self.ca), timeout=60
        )

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.http.request(method, f"/_sandbox/{path}", **kwargs)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def exchanges(self) -> list[dict[str, Any]]:
        """Every request since the log was last cleared (the admin API's are not logged)."""
        return list(self.admin("GET", "requests")["requests"])

    def stop(self) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def measured_against(
    server: Server, name: str, argv: Sequence[str], times: int, *, cwd: Path,
    env: Mapping[str, str],
) -> tuple[Figure, Counter[str]]:  # fmt: skip
    """Run an opskit command `times` times against `server`: its figure, with the requests
    it made and its 429s, and the requests of the last run by route."""
    figure = Figure(name, shown(argv))
    requests: list[int] = []
    exchanges: list[dict[str, Any]] = []
    for _ in range(times):
        server.admin("DELETE", "requests")
        done = run_process(list(argv), cwd=cwd, env=dict(env))
        # 1 only means "changes pending" for --detailed-exitcode: anywhere else it is a
        # plan with errors, and a figure of a run that did nothing would be a lie
        if done.returncode not in ((0, 1) if "--detailed-exitcode" in argv else (0,)):
            print(done.stdout[-3000:], done.stderr[-3000:])
            raise SystemExit(f"{' '.join(argv[1:2])} failed with exit {done.returncode}")
        exchanges = server.exchanges()
        figure.samples.append(done.sample)
        requests.append(len(exchanges))
    figure.facts["requests"] = requests[-1] if len(set(requests)) == 1 else requests
    figure.facts["429s"] = sum(1 for e in exchanges if e["status"] == 429)
    return figure, Counter(f"{e['method']} {e['route']}" for e in exchanges)
