"""The page checks themselves: a good page passes, and each kind of problem is caught."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.browser import pages
from tests.browser.plugin import CheckPage, PrintPdf

CHART = """<svg role="img" aria-labelledby="chart-title" viewBox="0 0 100 40" width="300">
  <title id="chart-title">Tickets per week: 3, 5 and 2</title>
  <rect x="0" y="10" width="30" height="30" fill="#1f5f99"></rect>
  <rect x="35" y="0" width="30" height="40" fill="#1f5f99"></rect>
  <rect x="70" y="20" width="30" height="20" fill="#1f5f99"></rect>
</svg>"""


def document(body: str, *, title: str = "Service review", head: str = "") -> str:
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="stylesheet" href="style.css">{head}</head>\n'
        f"<body><main><h1>Service review</h1>\n{body}\n</main></body></html>\n"
    )


GOOD = document(f"""
<nav><a href="#figures">Figures</a> <a href="other.html#part">Other page</a>
  <a href="other.html">Other again</a> <a href="./">This folder</a> <a href="#top">Top</a></nav>
<section id="figures"><h2>Figures</h2>
  <p>Everything on time. <img src="dot.svg" alt="a dot" width="8" height="8"></p>
  {CHART}
  <svg aria-hidden="true" width="8" height="8"><circle cx="4" cy="4" r="4"></circle></svg>
</section>
<p><a href="mailto:desk@example.com">Mail the desk</a> <a href="tel:+441234567">Call</a>
  <a href="https://example.com/handbook">The handbook</a></p>
<script>document.body.dataset.ready = "yes";</script>
""")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder with the good page as index.html, and what it links to."""
    (tmp_path / "index.html").write_text(GOOD)
    (tmp_path / "other.html").write_text(document('<h2 id="part">A part</h2><p>More.</p>'))
    (tmp_path / "style.css").write_text("body { font-family: sans-serif; color: #111; }\n")
    (tmp_path / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>'
    )
    return tmp_path


def variant(site: Path, body: str, **kwargs: str) -> Path:
    path = site / "variant.html"
    path.write_text(document(body, **kwargs))
    return path


def test_a_good_page_passes(check_page: CheckPage, site: Path) -> None:
    report = check_page(site / "index.html")
    assert report.problems == []
    assert report.title == "Service review" and report.has_content
    assert report.url == (site / "index.html").as_uri()
    assert report.charts == 1 and report.unnamed_charts == 0 and report.svgs == 2
    assert report.external_links == ("https://example.com/handbook",)
    assert report.outside_requests == ()
    assert report.links_checked == 7  # 5 in the nav, the image, the stylesheet
    assert all(url.startswith("file://") for url in report.requests)
    assert {Path(url).name for url in report.requests} >= {"index.html", "style.css", "dot.svg"}


def test_a_console_error_and_an_uncaught_exception_are_caught(
    check_page: CheckPage, site: Path
) -> None:
    page = variant(
        site,
        "<p>Hi</p><script>console.error('figures missing'); throw new TypeError('kaput');</script>",
    )
    report = check_page(page, strict=False)
    assert report.console_errors == ("figures missing",)
    assert report.page_errors == ("TypeError: kaput",)
    with pytest.raises(AssertionError, match="console error: figures missing"):
        report.assert_ok()


def test_a_broken_local_link_is_caught(check_page: CheckPage, site: Path) -> None:
    report = check_page(variant(site, '<p><a href="gone.html">Gone</a></p>'), strict=False)
    assert [(b.tag, b.target) for b in report.broken_links] == [("a", "gone.html")]
    assert "no file" in report.broken_links[0].reason
    assert report.problems == [f"broken link: {report.broken_links[0]}"]


def test_a_missing_anchor_is_caught_here_and_in_another_page(
    check_page: CheckPage, site: Path
) -> None:
    body = '<p><a href="#nowhere">here</a> <a href="other.html#absent">there</a></p>'
    report = check_page(variant(site, body), strict=False)
    assert [b.target for b in report.broken_links] == ["#nowhere", "other.html#absent"]
    assert "'nowhere'" in report.broken_links[0].reason
    assert "'absent'" in report.broken_links[1].reason


def test_a_request_to_an_outside_host_is_caught_and_never_sent(
    check_page: CheckPage, site: Path
) -> None:
    with counting_server() as (other_origin, hits):
        body = (
            '<p><img src="http://example.invalid/x.png" alt="x"></p>'
            f"<script>fetch('{other_origin}/data.json').catch(() => {{}});"
            "fetch('https://example.com/api').catch(() => {});</script>"
        )
        head = '<link rel="preconnect" href="https://fonts.example.net">'
        report = check_page(variant(site, body, head=head), strict=False)
    assert set(report.outside_requests) == {
        "http://example.invalid/x.png",
        f"{other_origin}/data.json",  # another origin, though local
        "https://example.com/api",
        "https://fonts.example.net/",  # not a request the routing sees: found in the markup
    }
    assert hits == []  # aborted in the browser: the other server heard nothing
    assert report.console_errors == ()  # the aborts' "Failed to load resource" not twice
    assert "https://example.com/api" in report.requests
    assert any("request outside the page's origin" in p for p in report.problems)


def test_serious_accessibility_violations_are_caught(check_page: CheckPage, site: Path) -> None:
    body = (
        '<p><img src="dot.svg"></p><form><input type="text" name="customer"></form>'
        '<svg role="img" width="8" height="8"><circle cx="4" cy="4" r="4"></circle></svg>'
    )
    report = check_page(variant(site, body), strict=False)
    rules = {v.rule: v for v in report.axe_violations}
    assert {"image-alt", "label", "svg-img-alt"} <= set(rules)
    assert rules["image-alt"].impact == "critical" and rules["image-alt"].targets == ("img",)
    assert rules["label"].targets == ("input",)
    assert report.charts == 0 and report.unnamed_charts == 1
    with pytest.raises(AssertionError) as failure:
        check_page(variant(site, body))
    message = str(failure.value)
    assert "axe: image-alt (critical): Images must have alternative text at img" in message
    assert "axe: label (critical)" in message


def test_a_page_without_title_or_content_is_caught(check_page: CheckPage, tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text('<!doctype html><html lang="en"><title> </title>')
    report = check_page(tmp_path / "empty.html", strict=False)
    assert report.problems[:2] == ["the document has no title", "the body is empty"]


def test_a_page_over_local_http(check_page: CheckPage, site: Path) -> None:
    (site / "served.html").write_text(
        document('<p><a href="/other.html#part">ok</a> <a href="/gone.html">gone</a></p>')
    )
    with pages.serve(site) as base:
        report = check_page(base + "served.html", strict=False)
        assert report.status == 200
        assert [(b.target, b.reason) for b in report.broken_links] == [("/gone.html", "HTTP 404")]
        assert report.outside_requests == ()
        assert check_page(base + "index.html").problems == []
        missing = check_page(base + "missing.html", strict=False)
    assert missing.status == 404 and "the page answered HTTP 404" in missing.problems


def test_an_opened_page_is_checked_after_interaction(chromium: Browser, site: Path) -> None:
    page_file = variant(
        site, "<button onclick=\"console.error('clicked')\">Press</button><p>Text</p>"
    )
    with pages.open_page(chromium, page_file) as page:
        assert pages.check_page(page).problems == []
        page.get_by_role("button", name="Press").click()
        report = pages.check_page(page, strict=False)
    assert report.console_errors == ("clicked",)


def test_a_page_opened_elsewhere_is_reloaded_with_the_watches(
    chromium: Browser, site: Path
) -> None:
    page_file = variant(site, "<p>Text</p><script>console.error('on load')</script>")
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        report = pages.check_page(page, strict=False)
    finally:
        context.close()
    assert report.console_errors == ("on load",)


def test_outside_urls_are_refused_before_anything_opens(check_page: CheckPage) -> None:
    with pytest.raises(ValueError, match="only local files"):
        check_page("https://example.com/")


def test_a_page_prints(print_pdf: PrintPdf, site: Path, tmp_path: Path) -> None:
    short = print_pdf(site / "index.html", out=tmp_path / "index.pdf")
    assert short.pages == 1 and (tmp_path / "index.pdf").read_bytes() == short.data
    long = print_pdf(variant(site, "<p>A line.</p>" * 300))
    assert long.pages > 3


# ---- skipping and failing without the tools: no browser needed --------------------------


@pytest.mark.parametrize("missing", ["chromium", "axe"])
def test_missing_tools_skip_locally_and_fail_under_ci(
    missing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "CHROMIUM" if missing == "chromium" else "AXE_JS", tmp_path / "x")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="page tests cannot run: no "):
        pages.require_tools()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        pages.require_tools()
    monkeypatch.setenv("CI", "1")  # only CI=true is CI here, as in .ci/run
    with pytest.raises(pytest.skip.Exception):
        pages.require_tools()


def test_the_lock_pins_axe_core_exactly() -> None:
    lock = json.loads((pages.HERE / "package-lock.json").read_text())
    assert lock["lockfileVersion"] == 3
    axe = lock["packages"]["node_modules/axe-core"]
    assert axe["version"] == "4.14.1" and axe["integrity"].startswith("sha512-")
    manifest = json.loads((pages.HERE / "package.json").read_text())
    assert manifest["devDependencies"] == {"axe-core": "4.14.1"}


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def counting_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
