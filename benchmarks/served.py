"""The sandbox in its own process, as a real service would be: its work does not share
opskit's interpreter, and opskit's commands are measured as processes of their own."""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2


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
