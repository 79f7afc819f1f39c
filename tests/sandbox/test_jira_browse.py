"""`GET /browse/KEY`: the issue page people reach from links opskit writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from opskit.sandbox import Sandbox
from tests.sla.site import applied_site, load_tickets
from tests.sla.test_report import harbor


def get(sb: Sandbox, path: str) -> requests.Response:
    return requests.get(f"{sb.url}{path}", verify=str(sb.ca_path), timeout=30)


def test_an_issue_page_and_a_missing_one(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    applied_site(sandbox, monkeypatch, tmp_path / "cache")
    [key] = load_tickets(sandbox, [{**harbor("2026-11-02T09:00:00Z"), "summary": "<b>Archive</b> down"}])
    page = get(sandbox, f"/browse/{key}")  # no credentials: a person's browser
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert f"[{key}] &lt;b&gt;Archive&lt;/b&gt; down" in page.text and "<b>" not in page.text
    assert "Status: Open" in page.text
    assert get(sandbox, f"/browse/{key.lower()}").status_code == 200
    assert get(sandbox, "/browse/SUP-999").status_code == 404
