"""`opskit sla report` with every source: satisfaction from JSM, availability from
PagerDuty, a usage series, the warning signs and the customers to call, all by hand (the
cases are in tests/sla/review_site.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner, Result

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.sla.review_site import reviewed_site, usage_folder
from tests.sla.site import REPO, TOKEN, admin
from tests.sla.test_report import NOW, section

NOVEMBER = 30 * 86400
OCTOBER = 31 * 86400


@pytest.fixture
def site(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    reviewed_site(sandbox, monkeypatch, tmp_path)
    return sandbox


@pytest.fixture
def usage(tmp_path: Path) -> Iterator[Path]:
    with usage_folder(tmp_path.name) as folder:
        yield folder


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, ["sla", "report", "--period", "2026-11", "--now", NOW, *args])


def review(*args: str) -> dict[str, Any]:
    result = opskit("--format", "json", *args)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_satisfaction_by_hand(site: Sandbox) -> None:
    h = section(review(), "harbor-dental")
    assert h["current"]["satisfaction"] == {"ratings": 2, "mean": 3.5, "low": 1}
    assert h["previous"]["satisfaction"] == {"ratings": 2, "mean": 4.5, "low": 0}
    p = section(review(), "pinecrest-accounting")
    assert p["current"]["satisfaction"] == {"ratings": 0, "mean": None, "low": 0}
    assert [x["satisfaction"]["mean"] for x in h["history"][-2:]] == [4.5, 3.5]


def test_availability_by_hand(site: Sandbox) -> None:
    doc = review()
    assert doc["availability_measured"] is True
    h = {a["service"]: a for a in section(doc, "harbor-dental")["availability"]["services"]}
    assert section(doc, "harbor-dental")["availability"]["target_percent"] == 99.9
    assert sorted(h) == ["backup", "file-sync", "identity", "storage-api", "web-portal"]
    storage, identity = h["storage-api"], h["identity"]
    # the two overlapping high-urgency incidents once, the low-urgency one not at all
    assert (storage["down_seconds"], storage["incidents"]) == (115 * 60, 2)
    assert storage["share"] == round(1 - 6900 / NOVEMBER, 6) and storage["met"] is False
    assert storage["previous_share"] == 1.0
    # identity's incident straddles the month: half in each
    assert identity["down_seconds"] == 1800 and identity["met"] is True
    assert identity["share"] == round(1 - 1800 / NOVEMBER, 6)
    assert identity["previous_share"] == round(1 - 1800 / OCTOBER, 4)
    assert h["backup"] == {"service": "backup", "down_seconds": 0, "share": 1.0,
                           "incidents": 0, "previous_share": 1.0, "met": True}  # fmt: skip
    pine = section(doc, "pinecrest-accounting")["availability"]
    assert pine["target_percent"] == 99.5 and "storage-api" not in {
        a["service"] for a in pine["services"]}  # fmt: skip
    assert doc["desk"]["availability"] is None  # services belong to customers


def test_the_warning_signs_and_who_to_call(site: Sandbox, usage: Path) -> None:
    doc = review("--usage", str(usage))
    harbor = section(doc, "harbor-dental")
    assert [(g["name"], g["reason"]) for g in harbor["signals"]] == [
        ("breaches-up", "5 breached clock(s), up from 0"),
        ("satisfaction-down", "satisfaction 3.50 of 5, down from 4.50"),
        ("usage-drop", "usage 40% below the period before (600 vs 1,000)"),
        ("availability-missed", "storage-api up 99.734% against 99.9%"),
    ]
    assert section(doc, "pinecrest-accounting")["signals"] == []  # 2 breaches, as in October
    # the list opens with the most signs, then by name: the quiet Premium customers on
    # storage-api share its outage; every other quiet customer has only the silence
    calls = [(c["customer"], [g["name"] for g in c["signals"]]) for c in doc["to_call"]]
    assert calls[:3] == [
        ("harbor-dental", ["breaches-up", "satisfaction-down", "usage-drop", "availability-missed"]),
        ("brightleaf-legal", ["no-contact", "availability-missed"]),
        ("kestrel-architekten", ["no-contact", "availability-missed"]),
    ]
    rest = doc["to_call"][3:]
    assert {c["customer"] for c in rest} | {"pinecrest-accounting"} | {n for n, _ in calls[:3]} == {
        s["customer"] for s in doc["customers"]}  # fmt: skip
    assert all(names == ["no-contact"] for _, names in calls[3:])
    assert [c["name"] for c in rest] == sorted(c["name"] for c in rest)
    assert rest[0]["signals"][0]["reason"] == "no ticket in the 12 period(s) read"


def test_without_a_usage_series_the_sign_is_not_raised(site: Sandbox) -> None:
    names = [g["name"] for g in section(review(), "harbor-dental")["signals"]]
    assert "usage-drop" not in names and "breaches-up" in names


def test_without_pagerduty_availability_is_not_measured(
    site: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAGERDUTY_API_KEY")
    result = opskit("--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["availability_measured"] is False
    assert section(doc, "harbor-dental")["availability"] is None
    assert "availability not measured: PAGERDUTY_API_KEY is not set" in result.stderr
    assert "availability-missed" not in {g["name"] for g in section(doc, "harbor-dental")["signals"]}


def test_markdown_opens_with_the_customers_to_call(site: Sandbox, usage: Path) -> None:
    result = opskit("--usage", str(usage))
    assert result.exit_code == 0, result.output
    out = result.stdout
    head = out.split("## Customers to call this week\n\n", 1)[1]
    assert head.startswith("- **Harbor Dental Group**: 5 breached clock(s), up from 0 (breaches-up);")
    assert out.index("## Customers to call this week") < out.index("## Harbor Dental Group")
    assert "Satisfaction: 3.50 of 5 from 2 rating(s), 1 low (1-2); 2026-10: 4.50 from 2." in out
    assert "| storage-api | 99.734% | 1h55m | 2 | 100.000% | **missed** |" in out
    assert "| 2026-11 | 3 | 2 | 5 | 42.9% | 3.50 |" in out
    assert TOKEN not in out


def test_html_is_one_self_contained_page(site: Sandbox, usage: Path, tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    result = opskit("--usage", str(usage), "-f", "html", "-o", str(page), "--customer",
                    "harbor-dental")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {page}" in result.stderr
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert "<title>Service review 2026-11: Harbor Dental Group</title>" in html
    assert html.count('role="img"') == 4  # two charts for the customer, two for the desk
    assert "storage-api up 99.734% against 99.9%" in html
    assert f'href="{site.url}/browse/SUP-3"' in html
    assert oct(page.stat().st_mode & 0o777) != oct(0o600)  # shared, as a plain new file is


def test_the_same_review_renders_the_same_bytes(site: Sandbox, usage: Path) -> None:
    first = opskit("--usage", str(usage), "-f", "html").stdout
    assert first == opskit("--usage", str(usage), "-f", "html").stdout


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ("day,value\n2026-11-01,5\n", ":1:1:", "the first row must be the header date,value"),
        ("date,value\n2026-11-01,5\n2026-11-02,many\n", ":3:12:", "'many' is not a number"),
        ("date,value\n2026-13-01,5\n", ":2:1:", "'2026-13-01' is not a date (2026-11-02)"),
        ("date,value\n2026-11-01,5,6\n", ":2:1:", "expected 2 columns (date,value), found 3"),
        ("date,value\n2026-11-01,nan\n", ":2:12:", "'nan' is not a number"),
        ("date,value\n2026-11-01,1e400\n", ":2:12:", "'1e400' is not a number"),
    ],
)
def test_a_bad_usage_file_is_positioned(
    site: Sandbox, tmp_path: Path, content: str, where: str, message: str
) -> None:
    with usage_folder(tmp_path.name) as folder:
        (folder / "harbor-dental.csv").write_text(content, encoding="utf-8")
        result = opskit("--usage", str(folder))
    assert result.exit_code == 1, result.output
    assert f"harbor-dental.csv{where} {message}" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_a_bad_json_usage_file_is_positioned(site: Sandbox, tmp_path: Path) -> None:
    with usage_folder(tmp_path.name) as folder:
        (folder / "harbor-dental.csv").unlink()
        (folder / "harbor-dental.json").write_text('[{"date": "2026-11-01",\n "value": }]')
        result = opskit("--usage", str(folder))
    assert result.exit_code == 1 and "harbor-dental.json:2:11: Expecting value" in result.stderr


def test_usage_outside_the_repository_is_refused(site: Sandbox, tmp_path: Path) -> None:
    (tmp_path / "harbor-dental.csv").write_text("date,value\n2026-11-01,5\n")
    result = opskit("--usage", str(tmp_path))
    assert result.exit_code == 2 and "is outside the repository" in result.stderr
    inside_link = REPO / ".pytest-usage" / f"{tmp_path.name}-link"
    inside_link.parent.mkdir(exist_ok=True)
    inside_link.symlink_to(tmp_path, target_is_directory=True)
    try:  # a link inside that points outside is outside
        result = opskit("--usage", str(inside_link))
    finally:
        inside_link.unlink()
    assert result.exit_code == 2 and "is outside the repository" in result.stderr


def test_history_length_is_bounded(site: Sandbox) -> None:
    doc = review("--history", "3")
    assert [p["label"] for p in doc["history"]] == ["2026-09", "2026-10", "2026-11"]
    bad = opskit("--history", "100")
    assert bad.exit_code == 2 and "--history" in bad.stderr


def admin_as(sb: Sandbox, who: str, method: str, path: str, body: Any) -> requests.Response:
    return requests.request(method, sb.url + path, json=body, verify=str(sb.ca_path),
                            auth=(who, TOKEN), timeout=30)  # fmt: skip


def feedback_asked(sb: Sandbox) -> list[str]:
    log = admin(sb, "GET", "/_sandbox/requests").json()["requests"]
    return sorted(e["path"].split("/")[4] for e in log if e["path"].endswith("/feedback"))


def test_ratings_are_asked_once_and_again_only_while_they_may_come(site: Sandbox) -> None:
    review()  # as of 2 Dec
    # tickets resolved in the history: SUP-1, 2, 3, 5, 6, 7, 8 and 9
    assert feedback_asked(site) == sorted(f"SUP-{n}" for n in (1, 2, 3, 5, 6, 7, 8, 9))
    admin(site, "DELETE", "/_sandbox/requests")
    review()
    # a rating read is kept (SUP-1, 2, 3, 9); so is "none" for tickets resolved 30 days or
    # more before they were asked (SUP-5: 20 Oct, SUP-8: 1 Nov 03:00); SUP-6 (3 Nov) and
    # SUP-7 (16 Nov) were resolved too recently: their rating may still come
    assert feedback_asked(site) == ["SUP-6", "SUP-7"]
    admin(site, "DELETE", "/_sandbox/requests")
    later = opskit("--format", "json", "--now", "2027-01-05T00:00:00Z")
    assert later.exit_code == 0, later.output
    assert feedback_asked(site) == ["SUP-6", "SUP-7"]  # last asked on 2 Dec: once more
    admin(site, "DELETE", "/_sandbox/requests")
    assert opskit("--format", "json", "--now", "2027-01-05T00:00:00Z").exit_code == 0
    assert feedback_asked(site) == []  # now settled
    admin(site, "DELETE", "/_sandbox/requests")
    review("--no-cache")
    assert len(feedback_asked(site)) == 8  # --no-cache asks about every one


def test_a_rating_given_later_is_found(site: Sandbox) -> None:
    from tests.sla.test_report import PINECREST

    review()
    # SUP-7's reporter rates it after the first review
    answer = admin_as(site, PINECREST, "POST", "/rest/servicedeskapi/request/SUP-7/feedback",
                      {"type": "csat", "rating": 1})  # fmt: skip
    assert answer.status_code == 201, answer.text
    p = section(review(), "pinecrest-accounting")["current"]["satisfaction"]
    assert p == {"ratings": 1, "mean": 1.0, "low": 1}


def test_a_broken_ratings_cache_is_read_again(site: Sandbox, tmp_path: Path) -> None:
    from opskit.sla.review.satisfaction import cache_path

    review()
    path = cache_path(site.url)
    assert path.is_file() and "Quick, thanks" not in path.read_text()  # no comment text
    for garbage in ("{", '{"format": 1, "tickets": []}', '{"format": 1, "tickets": {"SUP-1": 7}}'):
        path.write_text(garbage)
        admin(site, "DELETE", "/_sandbox/requests")
        assert section(review(), "harbor-dental")["current"]["satisfaction"]["mean"] == 3.5
        assert "SUP-1" in feedback_asked(site)
