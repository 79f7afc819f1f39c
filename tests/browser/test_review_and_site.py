"""The service review and the support site in Chromium: they render, say nothing on the
console, fetch nothing, every link resolves (ticket links on the sandbox Jira included),
the charts are there and named, axe finds no serious violation, and they print."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.browser import pages
from tests.browser.plugin import CheckPage, PrintPdf
from tests.sla.review_site import reviewed_site, usage_folder
from tests.sla.site import REPO
from tests.sla.test_report import NOW


@pytest.fixture
def review_page(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    reviewed_site(sandbox, monkeypatch, tmp_path)
    page = tmp_path / "review.html"
    with usage_folder(tmp_path.name) as usage:
        result = CliRunner().invoke(cli, [
            "sla", "report", "--period", "2026-11", "--now", NOW, "--usage", str(usage),
            "--format", "html", "--output", str(page)])  # fmt: skip
    assert result.exit_code == 0, result.output
    return page


def test_the_review_page(review_page: Path, check_page: CheckPage, print_pdf: PrintPdf) -> None:
    report = check_page(review_page)
    sections = 10 + 1  # every customer of the example policies, and the desk
    assert report.charts == 2 * sections and report.unnamed_charts == 0
    assert report.links_checked >= sections  # the contents, and the tickets on the sandbox
    assert report.requests == [] or all(r.startswith("file:") for r in report.requests)
    assert report.title == "Service review 2026-11"
    assert print_pdf(review_page).pages >= sections  # one section a page


def test_a_link_to_a_missing_ticket_would_be_caught(
    review_page: Path, check_page: CheckPage, sandbox: Sandbox
) -> None:
    html = review_page.read_text(encoding="utf-8")
    broken = review_page.with_name("broken.html")
    broken.write_text(html.replace("/browse/SUP-3", "/browse/SUP-999", 1), encoding="utf-8")
    report = check_page(broken, strict=False)
    assert [b.target for b in report.broken_links] == [f"{sandbox.url}/browse/SUP-999"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(cli, ["docs", "build", "--out", str(out), "--now", NOW,
                                      "--config", str(REPO / "opskit.yaml")])  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


PAGES = ["index.html", "tiers.html", "hours.html", "severities.html", "services.html",
         "internal/index.html", "internal/ladders.html", "internal/rotations.html",
         "internal/oncall.html", "internal/playbooks.html"]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_every_site_page(site: Path, name: str, check_page: CheckPage) -> None:
    with pages.serve(site) as base:  # served as a web server would serve it
        report = check_page(base + name)
    assert report.has_content and report.title
    if name == "internal/ladders.html":
        assert report.charts >= 1 and report.unnamed_charts == 0


def test_the_site_prints(site: Path, print_pdf: PrintPdf) -> None:
    assert print_pdf(site / "tiers.html").pages >= 1
