"""Policy text is data: markup in it is shown, never run, and long text cannot break a page."""

from __future__ import annotations

import re
from pathlib import Path

from tests.docs.helpers import SMALL, build, read, small_repo, unresolved

SCRIPT = "<script>alert('x')</script>"
IMAGE = '<img src=x onerror="alert(1)">'
LONG = "W" * 3000
NAME = "N" * 200  # the longest full name a Person may have
PLAYBOOK = """
---
kind: Playbook
name: hostile
title: "PBTITLE"
services: [app]
steps:
  - id: first
    kind: manual
    title: "STEPNAME"
    checklist: ["CHECK"]
  - {id: pause, kind: wait, duration: 1m}
  - id: choose
    kind: decide
    question: Which way?
    options: {again: first, done: first}
"""


def test_markup_in_policies_is_escaped_everywhere(tmp_path: Path) -> None:
    config = small_repo(
        tmp_path / "repo", SMALL + PLAYBOOK,
        DESCRIPTION=f'"{SCRIPT}"', EXAMPLE=f"'{IMAGE}'", TIERTEXT=f'"{LONG} &amp; <b>"',
        LADDERTEXT=f'"{SCRIPT}"', SERVICETEXT=f"'{IMAGE}'", PBTITLE=SCRIPT.replace('"', "'"),
        STEPNAME="</li></ol><h1>x</h1>", CHECK="<iframe src=//evil.example>",
        **{"full_name: Ann Archer": f'full_name: "Ann {SCRIPT} {"A" * 150}"'},
    )  # fmt: skip
    out = tmp_path / "site"
    result = build(out, config=config)
    assert result.exit_code == 0, result.output
    pages = {p.relative_to(out).as_posix(): p for p in out.rglob("*.html")}
    for name, path in pages.items():
        text = path.read_text(encoding="utf-8")
        page = read(path)
        assert {"script", "img", "iframe"}.isdisjoint(page.tags), name
        assert page.tags.count("h1") == 1, name
        assert "onerror=" not in text.replace("onerror=&#34;", ""), name
    severities = pages["severities.html"].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in severities
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in severities
    assert "&amp;amp; &lt;b&gt;" in pages["tiers.html"].read_text(encoding="utf-8")
    assert "&lt;/li&gt;&lt;/ol&gt;&lt;h1&gt;" in pages["internal/playbooks.html"].read_text()
    assert unresolved(out) == []


def test_long_names_are_clipped_in_diagrams_and_wrap_in_text(tmp_path: Path) -> None:
    config = small_repo(tmp_path / "repo", **{"full_name: Ann Archer": f"full_name: {NAME}"})
    out = tmp_path / "site"
    assert build(out, config=config).exit_code == 0
    ladders = (out / "internal" / "ladders.html").read_text(encoding="utf-8")
    svg = ladders.split("<svg", 1)[1].split("</svg>", 1)[0]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts and max(len(t) for t in texts) <= 72
    assert any(t.endswith("…") for t in texts)
    assert NAME in ladders.split("</svg>", 1)[1]  # the full name in the list beside it
    css = (out / "index.html").read_text(encoding="utf-8")
    assert "overflow-wrap: anywhere" in css and "table-layout: fixed" in css
