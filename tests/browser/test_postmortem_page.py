"""A run's postmortem page in Chromium: it renders, says nothing on the console, fetches
nothing, its anchors resolve, axe finds no serious violation, and it prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from tests.browser.plugin import CheckPage, PrintPdf
from tests.playbooks.test_postmortem import BERLIN, outage, write_journal

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_postmortem_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check_page: CheckPage, print_pdf: PrintPdf
) -> None:
    runs = tmp_path / "runs"
    monkeypatch.setenv("OPSKIT_RUNS_DIR", str(runs))
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "berlin.yaml").write_text(BERLIN)
    monkeypatch.chdir(tmp_path)
    run_id = write_journal(runs, outage(note=HOSTILE))
    page = tmp_path / "postmortem.html"
    result = CliRunner().invoke(cli, ["playbook", "postmortem", run_id, "--offline",
                                      "--zone", "Europe/Berlin", "--format", "html",
                                      "--output", str(page)])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = check_page(page)
    assert report.title == "Postmortem: Web outage"
    assert report.requests == [] or all(r.startswith("file:") for r in report.requests)
    assert print_pdf(page).pages >= 1
