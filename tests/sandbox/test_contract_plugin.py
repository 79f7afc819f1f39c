"""The pytest plugin fails a test whose sandbox traffic breaks the contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CASE = """
import httpx2

def test_accepted_request_the_document_forbids(sandbox):
    # include[] takes an enum; this sandbox ignores unknown values, the document forbids them
    with httpx2.Client(verify=sandbox.client_ssl_context()) as client:
        resp = client.get(f"{sandbox.url}/users", params={"include[]": "bogus"},
                          headers={"Authorization": "Token token=x"})
    assert resp.status_code == 200  # passes by itself; the contract check must fail it

def test_refused_request_is_fine(sandbox):
    with httpx2.Client(verify=sandbox.client_ssl_context()) as client:
        resp = client.get(f"{sandbox.url}/priorities")
    assert resp.status_code == 401
"""


def test_contract_mismatch_fails_the_test(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("from tests.sandbox.fixtures import *  # noqa\n")
    (tmp_path / "test_case.py").write_text(CASE)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert "1 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    assert "breaks the vendor contract" in run.stdout
    assert "GET /users -> 200: request accepted but invalid" in run.stdout
