"""opskit docs build on the example policies: the pages, their links, the folder it owns."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from opskit.cli.docs import build as build_command
from opskit.oncall.who import who
from opskit.oncall.window import reference
from tests.docs.helpers import EXAMPLE, NOW, PAGES, REPO, build, read, small_repo, unresolved

MANIFEST = ".opskit-site.json"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    result = build(out)
    assert result.exit_code == 0, result.output
    return out


def test_every_page_is_written_and_listed_in_the_manifest(site: Path) -> None:
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == sorted([*PAGES, MANIFEST])
    manifest = json.loads((site / MANIFEST).read_text())
    assert manifest["files"] == PAGES and manifest["now"] == "2026-03-02T09:00:00Z"


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_self_contained_semantic_html(site: Path, name: str) -> None:
    text = (site / name).read_text(encoding="utf-8")
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    page = read(site / name)
    assert page.tags.count("h1") == 1 and page.tags.count("title") >= 1
    assert {"header", "nav", "main", "footer"} <= set(page.tags)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    levels = [int(t[1]) for t in page.tags if re.fullmatch(r"h[1-6]", t)]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert "@media print" in text
    assert not re.search(r"""(?:href|src)=["'](?:https?:)?//""", text), "nothing fetched"
    for table in re.findall(r"<table>.*?</table>", text, flags=re.S):
        assert '<th scope="col"' in table


def test_every_local_link_and_anchor_resolves(site: Path) -> None:
    assert unresolved(site) == []
    index = read(site / "index.html")
    assert {link for link in index.links if not link.startswith("mailto:")} >= {
        p for p in PAGES if p != "index.html"
    }


def test_services_page_lists_only_what_customers_have(site: Path) -> None:
    page = (site / "services.html").read_text(encoding="utf-8")
    for name in (
        "storage-api",
        "file-sync",
        "backup",
        "identity",
        "web-portal",
        "app-support-desk",
    ):
        assert f'id="svc-{name}"' in page
    assert "major-incident" not in page  # no customer has it: internal


def test_ladders_are_accessible_inline_svg(site: Path) -> None:
    page = (site / "internal" / "ladders.html").read_text(encoding="utf-8")
    svgs = re.findall(r"<svg [^>]*>", page)
    assert len(svgs) == 5 and all('role="img"' in s and "aria-labelledby" in s for s in svgs)
    assert (
        "not acknowledged in 10 minutes" in page and "start again at step 1, 2 more times" in page
    )


def test_on_call_now_is_the_engine_s_answer(site: Path) -> None:
    from opskit.cli.oncall.load import load_policies

    policy, _ = load_policies(Path(EXAMPLE))
    answer = who(policy, reference(NOW))
    page = (site / "internal" / "oncall.html").read_text(encoding="utf-8")
    for row in answer["rotations"]:
        person = policy.people[row["person"]].full_name
        assert re.search(
            rf"#rot-{row['rotation']}\">{row['rotation']}</a></th>\n<td>{person}<", page
        )
    rotations = (site / "internal" / "rotations.html").read_text(encoding="utf-8")
    assert "08:00–16:00: Mehmet Yılmaz (EMEA)" in rotations  # cloud-primary, UTC, that week


def test_the_same_policies_and_now_give_the_same_bytes(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert build(again).exit_code == 0
    for name in [*PAGES, MANIFEST]:
        assert (again / name).read_bytes() == (site / name).read_bytes(), name
    rebuilt = build(again)
    assert rebuilt.exit_code == 0 and "10 pages, 0 changed" in rebuilt.output


def test_check_says_up_to_date_and_writes_nothing(site: Path, tmp_path: Path) -> None:
    assert build(site, "--check").exit_code == 0
    assert build(site, "--check", now=None).exit_code == 0  # the manifest's instant
    missing = tmp_path / "missing"
    result = build(missing, "--check")
    assert result.exit_code == 1 and not missing.exists()
    assert [line for line in result.output.splitlines() if line.startswith("would")] == [
        f"would appear: {name}" for name in PAGES
    ]


def test_check_names_each_file_an_edited_policy_changes(tmp_path: Path) -> None:
    config = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert build(out, config=config).exit_code == 0
    policy = tmp_path / "repo" / "policies" / "all.yaml"
    policy.write_text(policy.read_text().replace("first_response: 1h30m", "first_response: 2h"))
    result = build(out, "--check", config=config)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("would")] == [
        "would change: tiers.html"
    ]
    assert out.joinpath("tiers.html").read_text().count("1 business hour and 30 minutes") == 1
    later = build(out, "--check", config=config, now="2026-03-03T09:00")
    assert "would change: internal/oncall.html" in later.output  # the instant shows


def test_a_folder_the_build_does_not_own_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "notes.md").write_text("mine")
    for args in ((), ("--check",)):
        result = build(foreign, *args)
        assert result.exit_code == 2 and "no .opskit-site.json" in result.output
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.md"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(empty).exit_code == 0
    (empty / MANIFEST).write_text(json.dumps({"files": ["../outside.txt"]}))
    assert build(empty).exit_code == 2


def test_stale_files_go_and_other_files_stay(tmp_path: Path) -> None:
    config = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert build(out, config=config).exit_code == 0
    (out / "old").mkdir()
    (out / "old" / "page.html").write_text("from an earlier build")
    (out / "CNAME").write_text("support.example.org")  # the user's, not in the manifest
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"].append("old/page.html")
    (out / MANIFEST).write_text(json.dumps(manifest))
    check = build(out, "--check", config=config)
    assert check.exit_code == 1 and "would disappear: old/page.html" in check.output
    result = build(out, config=config)
    assert result.exit_code == 0 and "removed" in result.output
    assert not (out / "old").exists() and (out / "CNAME").read_text() == "support.example.org"
    assert json.loads((out / MANIFEST).read_text())["files"] == PAGES
    assert not list(out.rglob("*.tmp"))
    umask = os.umask(0)
    os.umask(umask)
    assert (out / "index.html").stat().st_mode & 0o777 == 0o666 & ~umask  # a server may read it


def test_invalid_policies_are_shown_at_their_line(tmp_path: Path) -> None:
    config = small_repo(tmp_path / "repo", **{"first_response: 1h30m": "first_response: soon"})
    result = build(tmp_path / "site", config=config)
    assert result.exit_code == 1
    assert re.search(r"policies/all\.yaml:\d+:\d+: error", result.output)
    assert not (tmp_path / "site").exists()


def test_a_bad_now_is_a_usage_error(tmp_path: Path) -> None:
    result = build(tmp_path / "site", now="tomorrow")
    assert result.exit_code == 2 and "--now" in result.output


def test_a_broken_link_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opskit.docs import render

    real = render.build

    def broken(site: object) -> dict[str, str]:
        pages = real(site)  # type: ignore[arg-type]
        pages["index.html"] = pages["index.html"].replace('href="tiers.html"', 'href="tier.html"')
        pages["tiers.html"] = pages["tiers.html"].replace("#cal-berlin-office", "#cal-nowhere")
        return pages

    monkeypatch.setattr(render, "build", broken)
    result = build(tmp_path / "site")
    assert result.exit_code == 1
    assert "index.html: tier.html (no such page)" in result.output
    assert "tiers.html: hours.html#cal-nowhere (no such anchor)" in result.output
    assert not (tmp_path / "site").exists()


def test_help_names_what_it_writes_exit_codes_and_real_options() -> None:
    from click.testing import CliRunner

    from opskit.cli import cli

    text = CliRunner().invoke(cli, ["docs", "build", "--help"]).output
    assert "Exit codes: 0" in text and "2 usage error" in text and "tiers.html" in text
    options = {o for p in build_command.params for o in p.opts}
    for line in re.findall(r"^\s+(opskit docs build.*)$", text, flags=re.M):
        assert all(word in options for word in line.split() if word.startswith("-")), line


def test_python_m_opskit_writes_site_in_the_working_folder(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "opskit", "docs", "build", "--now", NOW, "--config", EXAMPLE]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == sorted(
        [MANIFEST, "internal", *(p for p in PAGES if "/" not in p)]
    )
    check = subprocess.run([*command, "--check"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=120)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
