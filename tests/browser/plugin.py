"""Fixtures for page tests: one Chromium per session, and `check_page`/`print_pdf` bound to it.

tests/browser/conftest.py loads them for the tests in this folder; a test elsewhere gets them
with `pytest_plugins = ["tests.browser.plugin"]` in the top-level tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import pages


class CheckPage(Protocol):
    def __call__(
        self, page_or_path: Page | Path | str, *, strict: bool = True
    ) -> pages.PageReport: ...


class PrintPdf(Protocol):
    def __call__(
        self, page_or_path: Page | Path | str, *, out: Path | None = None
    ) -> pages.PdfReport: ...


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, started once for the page tests; skips (fails under CI=true)
    without it or axe-core. Package scope: playwright's driver thread ends with the page
    tests, so later tests that fork (policy.parallel) see no other thread."""
    pages.require_tools()
    with sync_playwright() as playwright:
        browser = pages.launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def check_page(chromium: Browser) -> CheckPage:
    def check(page_or_path: Page | Path | str, *, strict: bool = True) -> pages.PageReport:
        return pages.check_page(page_or_path, browser=chromium, strict=strict)

    return check


@pytest.fixture
def print_pdf(chromium: Browser) -> PrintPdf:
    def print_(page_or_path: Page | Path | str, *, out: Path | None = None) -> pages.PdfReport:
        return pages.print_pdf(page_or_path, browser=chromium, out=out)

    return print_
