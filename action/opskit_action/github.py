"""What the action says to GitHub: workflow commands, step outputs, the job summary, and
the REST calls for the plan comment and the drift issue."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

API_VERSION = "2022-11-28"
_NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


class GitHubError(Exception):
    """A REST call failed; the message holds GitHub's answer, never the token."""


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, source: str | None = None, title: str = "") -> str:
    """`::error file=...,line=...,col=...::message`, so the problem shows on its policy line."""
    props: list[str] = []
    if source:
        head, _, column = source.rpartition(":")
        path, _, line = head.rpartition(":")
        if path and line.isdigit() and column.isdigit():
            props += [f"file={escape_property(path)}", f"line={line}", f"col={column}"]
        else:
            props.append(f"file={escape_property(source)}")
    if title:
        props.append(f"title={escape_property(title)}")
    command = "error" if level == "error" else "warning"
    return f"::{command}{' ' + ','.join(props) if props else ''}::{escape_data(message)}"


_ANNOTATION = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def parse_annotation(line: str) -> dict[str, str] | None:
    """An annotation opskit printed, unescaped: level, file, line, col, title, message."""
    match = _ANNOTATION.match(line)
    if not match:
        return None

    def unescape(text: str) -> str:
        for coded, plain in (
            ("%0D", "\r"),
            ("%0A", "\n"),
            ("%3A", ":"),
            ("%2C", ","),
            ("%25", "%"),
        ):
            text = text.replace(coded, plain)
        return text

    found = {"level": match.group(1), "message": unescape(match.group(3))}
    for prop in (match.group(2) or "").split(","):
        name, _, value = prop.partition("=")
        if name:
            found[name] = unescape(value)
    return found


def set_outputs(path: str | None, values: dict[str, str]) -> None:
    """Append step outputs; a value with a newline goes in a delimited block."""
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as out:
        for name, value in values.items():
            if "\n" in value or "\r" in value:
                delimiter = f"opskit_{uuid.uuid4().hex}"
                out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                out.write(f"{name}={value}\n")


def append_summary(path: str | None, markdown: str) -> None:
    if path:
        with Path(path).open("a", encoding="utf-8") as out:
            out.write(markdown if markdown.endswith("\n") else markdown + "\n")


class GitHub:
    """The few REST calls the action makes, with the run's token."""

    def __init__(self, api_url: str, repository: str, token: str) -> None:
        if not token:
            raise GitHubError("no GitHub token: pass the github-token input")
        if "/" not in repository:
            raise GitHubError(f"GITHUB_REPOSITORY {repository!r} is not owner/name")
        self.base = api_url.rstrip("/") + "/repos/" + repository
        self._token = token

    def _call(self, method: str, url: str, body: Any = None) -> tuple[Any, str]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self._token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "opskit-action",
            **({"Content-Type": "application/json"} if data is not None else {}),
        })  # fmt: skip
        for attempt in range(3):
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    raw = answer.read()
                    link = answer.headers.get("Link", "")
                    return (json.loads(raw) if raw else None), link
            except urllib.error.HTTPError as error:
                if error.code in (502, 503, 504) and attempt < 2:
                    time.sleep(2**attempt)
                    continue
                raise GitHubError(
                    f"{method} {_path(url)}: {error.code} {_message(error)}"
                ) from None
            except (urllib.error.URLError, TimeoutError) as error:
                if attempt < 2:
                    time.sleep(2**attempt)
                    continue
                reason = getattr(error, "reason", error)
                raise GitHubError(f"{method} {_path(url)}: {reason}") from None
        raise AssertionError("unreachable")

    def _pages(self, path: str) -> Iterator[dict[str, Any]]:
        url: str | None = self.base + path
        while url:
            items, link = self._call("GET", url)
            yield from items or []
            match = _NEXT_LINK.search(link)
            url = match.group(1) if match else None

    def upsert_comment(self, number: int, marker: str, body: str) -> str:
        """Edit the pull request's comment that starts with `marker`, or post it; its URL."""
        for comment in self._pages(f"/issues/{number}/comments?per_page=100"):
            if str(comment.get("body", "")).startswith(marker):
                url = f"{self.base}/issues/comments/{comment['id']}"
                edited, _ = self._call("PATCH", url, {"body": body})
                return str(edited.get("html_url", ""))
        made, _ = self._call("POST", f"{self.base}/issues/{number}/comments", {"body": body})
        return str(made.get("html_url", ""))

    def upsert_issue(self, label: str, title: str, body: str) -> tuple[str, bool]:
        """Update the oldest open issue with `label`, or open one; its URL and whether new."""
        path = f"/issues?state=open&labels={label}&sort=created&direction=asc&per_page=100"
        for issue in self._pages(path):
            if "pull_request" not in issue:  # the issues list holds pull requests too
                url = f"{self.base}/issues/{issue['number']}"
                edited, _ = self._call("PATCH", url, {"title": title, "body": body})
                return str(edited.get("html_url", "")), False
        made, _ = self._call(
            "POST", f"{self.base}/issues", {"title": title, "body": body, "labels": [label]}
        )
        if label not in {str(x.get("name")) for x in made.get("labels") or []}:
            # GitHub drops labels a token may not set; unlabelled, the next run would not find it
            raise GitHubError(
                f"issue {made.get('html_url', '')} was opened without the label {label!r}: the token needs issues: write"
            )
        return str(made.get("html_url", "")), True


def _path(url: str) -> str:
    return url.split("?", 1)[0].split("/repos/", 1)[-1]


def _message(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read()).get("message", error.reason))
    except (ValueError, AttributeError):
        return str(error.reason)


def pull_request_number(event_path: str | None) -> int | None:
    """The pull request a `pull_request` (or `_target`) event is about."""
    if not event_path or not Path(event_path).is_file():
        return None
    event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    number = (event.get("pull_request") or {}).get("number") or event.get("number")
    return int(number) if number else None
