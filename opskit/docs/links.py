"""Every link between the pages resolves: files of the site, and anchors in them."""

from __future__ import annotations

import html.parser
import posixpath
from urllib.parse import unquote, urlsplit

LINKING = {"href", "src"}


class _Scan(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.twice: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                if value in self.ids:
                    self.twice.add(value)
                self.ids.add(value)
            elif name in LINKING:
                self.links.append(value)

    handle_startendtag = handle_starttag


def scan(text: str) -> _Scan:
    """The ids a page defines (and those it defines twice) and the links it makes."""
    parser = _Scan()
    parser.feed(text)
    parser.close()
    return parser


def broken(pages: dict[str, str]) -> list[str]:
    """`page: link` for each local link whose file or anchor does not exist (and each id
    defined twice), sorted."""
    scanned = {path: scan(text) for path, text in pages.items() if path.endswith(".html")}
    problems = {f"{path}: id {i!r} defined twice" for path, s in scanned.items() for i in s.twice}
    for path, found in scanned.items():
        for link in found.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # mailto:, https: ... are not the site's to check
            target = path
            if parts.path:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(path), unquote(parts.path))
                )
            if target not in pages:
                problems.add(f"{path}: {link} (no such page)")
            elif (
                parts.fragment and target in scanned
                and unquote(parts.fragment) not in scanned[target].ids
            ):  # fmt: skip
                problems.add(f"{path}: {link} (no such anchor)")
    return sorted(problems)
