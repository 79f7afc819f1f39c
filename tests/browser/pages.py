"""Checks for the HTML opskit writes, in Debian's Chromium driven by playwright, with axe-core.

`check_page(path_or_url_or_page)` opens a page and reports, or fails on: it did not render
(empty title or body), console errors, uncaught page errors, requests anywhere but the page's
own origin (aborted, so none reaches the outside), links, images and <link>s that do not
resolve, and axe-core violations of impact serious or critical. `print_pdf` prints a page.

The fixtures in `tests/browser/plugin.py` bind both to one Chromium per test session.
"""

from __future__ import annotations

import html.parser
import http.server
import json
import os
import re
import ssl
import threading
import urllib.error
import urllib.request
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, Route

HERE = Path(__file__).resolve().parent
# Debian's package (`apt-get install chromium`); OPSKIT_CHROMIUM names another build
CHROMIUM = Path(os.environ.get("OPSKIT_CHROMIUM", "/usr/bin/chromium"))
# `npm ci --prefix tests/browser` (run by `make test`) installs the version package-lock.json pins
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
    # belt and braces behind the request routing: no name but the local ones resolves, so
    # nothing the routing cannot see (a preconnect, a DNS prefetch) gets out either
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
FAILING_IMPACTS = ("serious", "critical")
NOT_FOLLOWED = {"mailto", "tel", "sms", "data", "blob", "javascript"}
# <link rel=...> that make the browser fetch or connect to what href names
FETCHING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
}


def missing_tools() -> list[str]:
    """What the page tests need and this machine lacks, each with how to get it."""
    missing = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    if not AXE_JS.is_file():
        missing.append(f"no axe-core at {AXE_JS} (npm ci --prefix tests/browser, or make test)")
    return missing


def require_tools() -> None:
    """Skip without Chromium or axe-core; under CI=true fail instead: CI must run these tests."""
    missing = missing_tools()
    if not missing:
        return
    reason = "page tests cannot run: " + "; ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run installs them)", pytrace=False)
    pytest.skip(reason)


def launch_chromium(playwright: Playwright) -> Browser:
    require_tools()
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@dataclass(frozen=True)
class BrokenLink:
    tag: str  # a, img, link or script
    target: str  # the attribute as written
    reason: str

    def __str__(self) -> str:
        return f"<{self.tag}> {self.target!r}: {self.reason}"


@dataclass(frozen=True)
class AxeViolation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]  # CSS selectors of the offending elements

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets)}"


@dataclass(frozen=True)
class PageReport:
    url: str
    title: str
    has_content: bool  # the body shows text, an image, a chart or a canvas
    status: int | None  # HTTP status of the page itself; None for a file
    console_errors: tuple[str, ...]
    page_errors: tuple[str, ...]  # uncaught exceptions
    requests: tuple[str, ...]  # every request the page made, in order, the page itself first
    outside_requests: tuple[str, ...]  # not to the page's own origin: aborted, and a problem
    links_checked: int  # <a href>, <img src>, <link href>, <script src> resolved
    broken_links: tuple[BrokenLink, ...]
    external_links: tuple[str, ...]  # to other hosts: listed, never fetched
    svgs: int  # every <svg>
    charts: int  # <svg role="img"> with an accessible name
    unnamed_charts: int  # <svg role="img"> without one (axe reports them too)
    axe_violations: tuple[AxeViolation, ...]  # impact serious or critical: problems
    axe_minor: tuple[AxeViolation, ...]  # impact minor or moderate: listed only

    @property
    def problems(self) -> list[str]:
        found = []
        if not self.title.strip():
            found.append("the document has no title")
        if not self.has_content:
            found.append("the body is empty")
        if self.status is not None and self.status >= 400:
            found.append(f"the page answered HTTP {self.status}")
        found += [f"console error: {text}" for text in self.console_errors]
        found += [f"page error: {text}" for text in self.page_errors]
        found += [f"request outside the page's origin: {url}" for url in self.outside_requests]
        found += [f"broken link: {link}" for link in self.broken_links]
        found += [f"axe: {violation}" for violation in self.axe_violations]
        return found

    def assert_ok(self) -> None:
        problems = self.problems
        if problems:
            lines = "\n".join(f"  - {problem}" for problem in problems)
            raise AssertionError(f"{self.url}: {len(problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class PdfReport:
    data: bytes
    pages: int


@dataclass
class _Watch:
    """What a page did since it was opened: attached before the first request."""

    origin: str  # "file" or "http://127.0.0.1:8000"
    console: list[tuple[str, str]] = field(default_factory=list)  # (text, source url)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    status: int | None = None  # of the page itself, over http


_watches: weakref.WeakKeyDictionary[Page, _Watch] = weakref.WeakKeyDictionary()


def page_url(target: Path | str) -> str:
    """A file's file:// URL, or a local http URL as given; anything else is refused."""
    if isinstance(target, Path) or "://" not in target:
        path = Path(target).resolve()
        if not path.is_file():
            raise FileNotFoundError(path)
        return path.as_uri()
    parts = urlsplit(target)
    if parts.scheme == "file":
        return target
    if parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS:
        return target
    raise ValueError(f"only local files and http://127.0.0.1 pages are checked, not {target}")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return "file" if parts.scheme == "file" else f"{parts.scheme}://{parts.netloc}"


def _same_origin(url: str, origin: str) -> bool:
    scheme = urlsplit(url).scheme
    return scheme in ("data", "blob", "about") or _origin(url) == origin


def _watch(page: Page, origin: str) -> _Watch:
    watch = _Watch(origin)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.console.append((message.text, message.location.get("url", "")))

    def on_route(route: Route) -> None:
        url = route.request.url
        if _same_origin(url, watch.origin):
            route.fallback()
        else:  # recorded, never sent
            watch.blocked.append(url)
            route.abort("blockedbyclient")

    def on_request(request: Request) -> None:
        watch.requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.page_errors.append(f"{error.name}: {error.message}"))
    page.on("request", on_request)
    page.route("**/*", on_route)
    _watches[page] = watch
    return watch


@contextmanager
def open_page(browser: Browser, target: Path | str) -> Iterator[Page]:
    """A watched page at a file or local URL, in a context of its own, closed afterwards.

    Interact with it, then hand it to `check_page`: what it did from the first request on counts.
    """
    url = page_url(target)
    context = browser.new_context(bypass_csp=True)  # so axe-core can be injected anywhere
    try:
        page = context.new_page()
        watch = _watch(page, _origin(url))
        response = page.goto(url, wait_until="load")
        if response is not None and watch.origin != "file":
            watch.status = response.status
        yield page
    finally:
        context.close()


def check_page(
    page_or_path: Page | Path | str, *, browser: Browser | None = None, strict: bool = True
) -> PageReport:
    """Open (or take) a page, check it and return the report; strict: fail on any problem.

    A path or URL is opened in `browser`. A page from `open_page` is checked as it stands; any
    other page is reloaded first, with the watches attached, so its load is seen too.
    """
    if isinstance(page_or_path, Page):
        report = _check_open_page(page_or_path)
    else:
        if browser is None:
            raise TypeError("check_page needs a browser to open a path or URL in")
        with open_page(browser, page_or_path) as page:
            report = _check_open_page(page)
    if strict:
        report.assert_ok()
    return report


def _check_open_page(page: Page) -> PageReport:
    watch = _watches.get(page)
    if watch is None:
        if page.url in ("", "about:blank"):
            raise ValueError("a page from set_content cannot be reloaded: write it to a file")
        watch = _watch(page, _origin(page.url))
        response = page.reload(wait_until="load")
        if response is not None and watch.origin != "file":
            watch.status = response.status
    title = page.title()
    has_content = page.evaluate(
        """() => !!document.body && (document.body.innerText.trim().length > 0
            || !!document.body.querySelector('img, svg, canvas, video, picture, object'))"""
    )
    links, external, outside_refs = _check_links(page)
    svg_imgs = page.locator('svg[role="img"]')
    charts = svg_imgs.and_(page.get_by_role("img", name=re.compile(r"\S"))).count()
    serious, minor = _run_axe(page)
    blocked = set(watch.blocked)
    outside = list(dict.fromkeys([*watch.blocked, *outside_refs]))
    return PageReport(
        url=page.url,
        title=title,
        has_content=bool(has_content),
        status=watch.status,
        # a request aborted here logs "Failed to load resource": reported once, as outside
        console_errors=tuple(text for text, source in watch.console if source not in blocked),
        page_errors=tuple(watch.page_errors),
        requests=tuple(watch.requests),
        outside_requests=tuple(outside),
        links_checked=links.checked,
        broken_links=tuple(links.broken),
        external_links=tuple(dict.fromkeys(external)),
        svgs=page.locator("svg").count(),
        charts=charts,
        unnamed_charts=svg_imgs.count() - charts,
        axe_violations=tuple(serious),
        axe_minor=tuple(minor),
    )


# ---- links ------------------------------------------------------------------------------

_REFERENCES_JS = """() => Array.from(
    document.querySelectorAll('a[href], img[src], link[href], script[src]'), element => {
        const tag = element.tagName.toLowerCase();
        const raw = element.getAttribute(tag === 'a' || tag === 'link' ? 'href' : 'src');
        let url = null;
        try { url = new URL(raw, document.baseURI).href; } catch (e) {}
        return {tag, raw, url, rel: (element.getAttribute('rel') || '').toLowerCase()};
    })"""
_ANCHORS_JS = """() => [
    ...Array.from(document.querySelectorAll('[id]'), element => element.id),
    ...Array.from(document.querySelectorAll('a[name]'), element => element.getAttribute('name')),
]"""


@dataclass
class _Links:
    checked: int = 0
    broken: list[BrokenLink] = field(default_factory=list)


class _AnchorParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.anchors.add(value)


def _anchors_in(markup: str) -> set[str]:
    parser = _AnchorParser()
    parser.feed(markup)
    return parser.anchors


def _no_proxy_get(url: str) -> tuple[int, str, str]:
    # a loopback https server (the sandbox) signs with its own CA, named as opskit names it
    context = ssl.create_default_context(cafile=os.environ.get("OPSKIT_CA_BUNDLE") or None)
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
    )
    try:
        with opener.open(url, timeout=10) as response:
            body = response.read().decode("utf-8", "replace")
            return response.status, response.headers.get_content_type(), body
    except urllib.error.HTTPError as error:
        return error.code, "", ""


def _check_links(page: Page) -> tuple[_Links, list[str], list[str]]:
    links = _Links()
    external: list[str] = []
    outside_refs: list[str] = []
    own = page.url.split("#")[0]
    own_anchors: set[str] = set(page.evaluate(_ANCHORS_JS))
    targets: dict[str, tuple[str | None, set[str] | None]] = {}  # url: (error, anchors)

    def resolve(url: str) -> tuple[str | None, set[str] | None]:
        if url not in targets:
            targets[url] = _resolve_file(url) if url.startswith("file:") else _resolve_http(url)
        return targets[url]

    for reference in page.evaluate(_REFERENCES_JS):
        tag, raw, url = reference["tag"], reference["raw"], reference["url"]
        broken = partial(BrokenLink, tag, raw)
        if url is None:
            links.broken.append(broken("not a URL"))
            continue
        parts = urlsplit(url)
        if parts.scheme in NOT_FOLLOWED:
            continue
        local = parts.scheme == "file" or (
            parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS
        )
        if not local:
            external.append(url)
            if tag == "link" and FETCHING_RELS & set(reference["rel"].split()):
                outside_refs.append(url)
            continue
        links.checked += 1
        document = urlunsplit(parts._replace(fragment=""))
        error, anchors = (None, own_anchors) if document == own else resolve(document)
        if error:
            links.broken.append(broken(error))
            continue
        fragment = unquote(parts.fragment)
        if anchors is None or not fragment or fragment.lower() == "top":
            continue  # not an HTML page, no fragment, or "#top", which needs no element
        if fragment not in anchors:
            links.broken.append(broken(f"no element with id {fragment!r} in {document}"))
    return links, external, outside_refs


def _resolve_file(url: str) -> tuple[str | None, set[str] | None]:
    path = Path(urllib.request.url2pathname(urlsplit(url).path))
    if path.is_dir():
        path /= "index.html"
    if not path.is_file():
        return f"no file {path}", None
    if path.suffix.lower() not in (".html", ".htm"):
        return None, None  # no anchors to check in it
    return None, _anchors_in(path.read_text(encoding="utf-8", errors="replace"))


def _resolve_http(url: str) -> tuple[str | None, set[str] | None]:
    try:
        status, content_type, body = _no_proxy_get(url)
    except OSError as error:
        return f"unreachable: {error}", None
    if status >= 400:
        return f"HTTP {status}", None
    return None, _anchors_in(body) if content_type == "text/html" else None


# ---- axe-core ---------------------------------------------------------------------------


def _run_axe(page: Page) -> tuple[list[AxeViolation], list[AxeViolation]]:
    page.add_script_tag(path=AXE_JS)
    results: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], preload: false})"
    )
    serious: list[AxeViolation] = []
    minor: list[AxeViolation] = []
    for violation in results["violations"]:
        found = AxeViolation(
            rule=violation["id"],
            impact=violation["impact"] or "",
            help=violation["help"],
            help_url=violation["helpUrl"],
            targets=tuple(
                target if isinstance(target, str) else json.dumps(target)
                for node in violation["nodes"]
                for target in node["target"]
            ),
        )
        (serious if found.impact in FAILING_IMPACTS else minor).append(found)
    return serious, minor


# ---- printing ---------------------------------------------------------------------------

_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def print_pdf(
    page_or_path: Page | Path | str, *, browser: Browser | None = None, out: Path | None = None
) -> PdfReport:
    """Print a page (print stylesheet, A4, backgrounds) and count the PDF's pages.

    Fails when nothing came out. `out` also writes the PDF there, to look at.
    """
    if isinstance(page_or_path, Page):
        data = page_or_path.pdf(format="A4", print_background=True)
    else:
        if browser is None:
            raise TypeError("print_pdf needs a browser to open a path or URL in")
        with open_page(browser, page_or_path) as page:
            data = page.pdf(format="A4", print_background=True)
    pages = len(_PAGE_OBJECT.findall(data))
    assert data.startswith(b"%PDF-") and pages > 0, f"printing gave no pages ({len(data)} bytes)"
    if out is not None:
        out.write_bytes(data)
    return PdfReport(data, pages)


# ---- a local server ---------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port; yields the base URL, ending in /."""
    handler = partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
