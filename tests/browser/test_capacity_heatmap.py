"""The capacity page in Chromium: it renders with nothing fetched and nothing on the console,
axe finds no serious violation, each desk's heatmap is the week (7 days x 24 hours) and
marks exactly the hours the JSON report says some promise cannot be kept, and it prints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from playwright.sync_api import Browser

from opskit.cli import cli
from tests.browser.pages import open_page
from tests.browser.plugin import CheckPage, PrintPdf
from tests.capacity.test_cli import NOW, REPO, export

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _report(repo: Path, *args: str) -> str:
    done = CliRunner().invoke(cli, ["capacity", "--tickets", str(repo / "tickets.csv"),
                                    "--period", "5w", "--now", NOW,
                                    "--config", str(repo / "opskit.yaml"), *args])  # fmt: skip
    assert done.exit_code == 1, done.output  # the rush cannot be answered in time
    return done.stdout


def test_the_capacity_heatmap(
    tmp_path: Path, check_page: CheckPage, print_pdf: PrintPdf, chromium: Browser
) -> None:
    repo = tmp_path / "repo"
    for part in ("policies", "playbooks", "schemas"):
        shutil.copytree(REPO / part, repo / part)
    shutil.copy(REPO / "opskit.yaml", repo / "opskit.yaml")
    export(repo / "tickets.csv", rush=6)
    doc = json.loads(_report(repo, "--format", "json"))
    page = tmp_path / "capacity.html"
    _report(repo, "--format", "html", "--output", str(page))
    report = check_page(page)
    assert report.title and all(r.startswith("file:") for r in report.requests)
    with open_page(chromium, page) as view:
        tables = view.locator("table.heat")
        assert tables.count() == len(doc["desks"]) >= 1
        for n, desk in enumerate(doc["desks"]):
            rows = tables.nth(n).locator("tbody tr")
            days = [rows.nth(d).locator("th").inner_text() for d in range(rows.count())]
            assert days == list(DAYS)
            classes = rows.locator("td").evaluate_all("cells => cells.map(c => c.className)")
            assert len(classes) == 7 * 24
            marked = {h for h, c in enumerate(classes) if c in ("near", "short")}
            short = {h["hour"] for h in desk["hours"] if h["short"]}
            assert short and marked == short
            missing = rows.locator("td").evaluate_all("cells => cells.map(c => c.textContent)")
            assert {h: t for h, t in enumerate(missing) if t} == {
                h["hour"]: f"+{h['missing']}" for h in desk["hours"] if h["missing"]
            }
        text = view.locator("body").inner_text()
        for finding in doc["findings"]:
            assert f"{finding['tier']} {finding['priority']}" in text
        view.set_viewport_size({"width": 375, "height": 800})
        wide = view.evaluate("document.documentElement.scrollWidth")
        assert wide <= 375 or view.evaluate(
            "[...document.querySelectorAll('table.heat')].every(t => "
            "t.parentElement.scrollWidth > t.parentElement.clientWidth)"
        ), "on a phone the page scrolls sideways, not just its heatmap"
    assert print_pdf(page).pages >= 1
