"""opskit oncall and opskit test, as users run them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar

from opskit.cli import cli
from tests.oncall.helpers import PEOPLE

REPO = Path(__file__).resolve().parents[2]
CONFIG = str(REPO / "opskit.yaml")


def run(*args: str, config: str = CONFIG) -> Result:
    return CliRunner().invoke(cli, [*args, "--config", config], catch_exceptions=False)


def repo(tmp_path: Path, text: str) -> str:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "all.yaml").write_text(PEOPLE + text)
    (tmp_path / "opskit.yaml").write_text(
        "workspace: t\npolicies: [policies]\nvalidate: {horizon: 2w}\n"
    )
    return str(tmp_path / "opskit.yaml")


SMALL = """kind: Calendar
name: sydney-office
timezone: Australia/Sydney
working_hours: {monday: ["09:00-17:00"]}
holidays: {extra: [{date: "2026-12-24", name: Christmas Eve}]}
---
kind: Rotation
name: duty
timezone: UTC
start: "2026-12-21"
layers:
  - members: [dan, cat]
    shift: 1d
    handoff: "00:00"
    restrictions: [{hours: "00:00-12:00"}]
"""


def test_who_names_the_people_and_the_ladder_minute_by_minute() -> None:
    result = run(
        "oncall",
        "who",
        "--at",
        "2026-12-26T03:00",
        "--tz",
        "Europe/Berlin",
        "--service",
        "storage-api",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "On call at Sat 2026-12-26 03:00 Europe/Berlin"
    assert (
        "  cloud-primary: arjun (APAC) until Sat 2026-12-26 09:00; next lukas at Sat 2026-12-26 09:00"
        in lines
    )
    assert "  +   0m  step 1: arjun" in lines
    assert "  +  10m  step 2: kenji" in lines
    assert "  +  20m  step 3: priya, anna" in lines
    assert "  +  35m  step 1 repeat 1: arjun" in lines


def test_who_json_for_one_rotation() -> None:
    result = run(
        "oncall",
        "who",
        "--at",
        "2026-12-24T10:00Z",
        "--rotation",
        "cloud-primary",
        "--format",
        "json",
    )
    answer = json.loads(result.output)
    assert answer["ladders"] == []
    (rotation,) = answer["rotations"]
    assert rotation["person"] == "mehmet"  # the Christmas Eve override
    assert rotation["layer"] == "override"
    assert (rotation["since"], rotation["until"]) == (
        "2026-12-24T08:00:00Z",
        "2026-12-24T16:00:00Z",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--service", "storage"], "no service 'storage'; did you mean 'storage-api'?"),
        (["--at", "next tuesday"], "--at: 'next tuesday' is not a date and time"),
        (["--service", "backup", "--ladder", "storage-standard"], "give at most one of"),
        (["--tz", "Mars/Olympus"], "'Mars/Olympus' is not an IANA time zone"),
    ],
)
def test_bad_input_is_a_usage_error_not_a_traceback(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["oncall", "who", *args, "--config", CONFIG])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit) or "Traceback" not in result.output
    assert message in str(result.exception) + result.output


def test_show_as_csv_and_json_agree() -> None:
    window = ["--from", "2026-12-24", "--to", "2026-12-25", "--rotation", "cloud-primary"]
    csv_out = run("oncall", "show", *window, "--format", "csv").output.splitlines()
    rows = json.loads(run("oncall", "show", *window, "--format", "json").output)
    assert csv_out[0] == "rotation,layer,person,start,end,hours"
    assert len(csv_out) - 1 == len(rows) == 3
    assert rows[1] == {"rotation": "cloud-primary", "layer": "override", "person": "mehmet",
                       "start": "2026-12-24T08:00:00Z", "end": "2026-12-24T16:00:00Z", "hours": 8.0}  # fmt: skip
    assert (
        csv_out[2] == "cloud-primary,override,mehmet,2026-12-24T08:00:00Z,2026-12-24T16:00:00Z,8.0"
    )


def test_show_draws_a_timeline() -> None:
    result = run("oncall", "show", "--from", "2026-12-24", "--to", "2026-12-25", "--tz", "Europe/Berlin",
                 "--rotation", "manager-on-duty")  # fmt: skip
    assert result.exit_code == 0
    assert "priya" in result.output and "Thu 2026-12-24" in result.output


def test_show_refuses_an_empty_window() -> None:
    result = CliRunner().invoke(
        cli, ["oncall", "show", "--from", "2026-12-24", "--to", "2026-12-23", "--config", CONFIG]
    )
    assert result.exit_code == 2 and "--to must be after --from" in result.output


def test_gaps_of_rotations_and_services(tmp_path: Path) -> None:
    config = repo(tmp_path, SMALL)
    found = json.loads(
        run(
            "oncall",
            "gaps",
            "--from",
            "2026-12-21",
            "--horizon",
            "2d",
            "--format",
            "json",
            config=config,
        ).output
    )
    (duty,) = found["rotations"]
    assert duty["hours"] == 24
    assert [g["start"] for g in duty["gaps"]] == ["2026-12-21T12:00:00Z", "2026-12-22T12:00:00Z"]
    assert found["services"] == []


def test_gaps_exit_1_when_a_service_promise_is_open(tmp_path: Path) -> None:
    service = """---
kind: Team
name: ops
members: [dan, cat]
---
kind: Priority
name: P1
level: 1
title: Critical
urgency: high
---
kind: SlaTier
name: Gold
calendar: 24x7
targets: {P1: {first_response: 1h, resolution: 4h}}
---
kind: EscalationLadder
name: main
steps: [{notify: [{rotation: duty}], escalate_after: 10m}, {notify: [{person: cat}], escalate_after: 10m}]
---
kind: Service
name: api
team: ops
ladder: main
tier: Gold
"""
    config = repo(tmp_path, SMALL + service)
    result = run("oncall", "gaps", "--from", "2026-12-21", "--horizon", "1d", config=config)
    assert result.exit_code == 1
    assert "api (24x7, ladder main): 12h uncovered" in result.output
    assert "Mon 2026-12-21 12:00 – Tue 2026-12-22 00:00  nobody on call" in result.output


def test_fairness_counts_nights_weekends_and_holidays_on_each_persons_clock(tmp_path: Path) -> None:
    config = repo(tmp_path, SMALL)
    args = ["oncall", "fairness", "--from", "2026-12-21", "--to", "2026-12-28", "--format", "json"]
    found = json.loads(run(*args, config=config).output)
    people = {p["person"]: p for p in found["people"]}
    # dan (UTC): 21, 23, 25, 27 Dec, 00:00-12:00; nights 00:00-07:00
    assert people["dan"] | {"timezone": ""} == {"person": "dan", "timezone": "", "hours": 48.0, "night_hours": 28.0,
                                                "weekend_hours": 12.0, "holiday_hours": 0.0, "shifts": 4}  # fmt: skip
    # cat (Sydney, UTC+11): 22, 24, 26 Dec, 11:00-23:00 local: one night hour each; the 26th is
    # a Saturday; the 24th is a holiday of sydney-office, the calendar kept in cat's zone
    assert (people["cat"]["hours"], people["cat"]["night_hours"]) == (36.0, 3.0)
    assert (people["cat"]["weekend_hours"], people["cat"]["holiday_hours"]) == (12.0, 12.0)
    assert found["spread_hours"] == 12.0 and found["warnings"] == []
    limited = run(*args[:-2], "--max-night-hours", "20", "--max-spread", "10", config=config)
    assert limited.exit_code == 1
    assert "dan: 28 night hours > 20" in limited.output
    assert "spread 12h between dan and cat > 10h" in limited.output


def test_export_ical_is_importable_and_stable(tmp_path: Path) -> None:
    config = repo(tmp_path, SMALL)
    out = tmp_path / "dan.ics"
    args = ["oncall", "export-ical", "--person", "dan", "--from", "2026-12-21", "--to", "2026-12-25",
            "--now", "2026-12-01T00:00Z", "--out", str(out)]  # fmt: skip
    assert run(*args, config=config).exit_code == 0
    first = out.read_bytes()
    calendar = Calendar.from_ical(first)
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("dtstart").isoformat() for e in events] == [
        "2026-12-21T00:00:00+00:00",
        "2026-12-23T00:00:00+00:00",
    ]
    assert all(e.decoded("dtstamp").isoformat() == "2026-12-01T00:00:00+00:00" for e in events)
    assert len({str(e["uid"]) for e in events}) == 2
    # a wider export later carries the same events under the same UIDs
    run(
        *args[:8],
        "--to",
        "2026-12-28",
        "--now",
        "2026-12-02T00:00Z",
        "--out",
        str(out),
        config=config,
    )
    later = {str(e["uid"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert {str(e["uid"]) for e in events} < later
    assert b"VERSION:2.0" in first and b"PRODID:" in first


def test_export_ical_to_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "x.ics"
    result = CliRunner().invoke(
        cli, ["oncall", "export-ical", "--out", str(out), "--config", CONFIG]
    )
    assert result.exit_code == 2 and "--out: cannot write" in result.output


def test_policy_tests_of_the_example_pass() -> None:
    result = run("test")
    assert result.exit_code == 0, result.output
    assert "policy tests: 6 run, 6 passed, 0 failed" in result.output


NOW = ("--now", "2026-12-21T00:00Z")  # the rotation starts then: deliverable from there
# opskit test refuses policies validate rejects: the rotation covers every hour from its
# start, and the second step pages someone new
ROUND_THE_CLOCK = SMALL.replace('    restrictions: [{hours: "00:00-12:00"}]\n', "")
CHRISTMAS_POLICIES = """---
kind: Team
name: ops
members: [dan, cat]
---
kind: Priority
name: P1
level: 1
title: Critical
urgency: high
---
kind: SlaTier
name: Gold
calendar: sydney-office
targets: {P1: {first_response: 4h, resolution: 2bd}}
---
kind: EscalationLadder
name: main
steps: [{notify: [{rotation: duty}], escalate_after: 10m}, {notify: [{person: bob}], escalate_after: 10m}]
---
kind: Service
name: api
team: ops
ladder: main
tier: Gold
---
"""


def test_a_failing_policy_test_points_at_its_assertion(tmp_path: Path) -> None:
    text = (
        ROUND_THE_CLOCK
        + CHRISTMAS_POLICIES
        + """kind: PolicyTest
name: christmas-night
scenario: {service: api, priority: P1, at: "2026-12-25T20:00", timezone: Australia/Sydney}
expect:
  first_response_due: "2026-12-28T12:00"
  paged:
    - {after: 0m, people: [cat]}
    - {after: 10m, people: [bob]}
  reachable_in_time: false
"""
    )
    config = repo(tmp_path, text)
    result = run("test", "--format", "json", *NOW, config=config)
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    lines = (PEOPLE + text).splitlines()
    got = [(p["line"], p["rule"], p["message"]) for p in problems]
    assert [line for line, _, _ in got] == [
        lines.index('  first_response_due: "2026-12-28T12:00"') + 1,
        lines.index("    - {after: 0m, people: [cat]}") + 1,
        lines.index("  reachable_in_time: false") + 1,
    ]
    assert {rule for _, rule, _ in got} == {"policy-test"}
    # Sydney's office opens Mondays 09:00 only: four working hours end at 13:00
    assert got[0][2] == (
        "christmas-night: the first response is due Mon 2026-12-28 13:00 (4h on sydney-office, "
        "tier 'Gold'), not Mon 2026-12-28 12:00"
    )
    assert got[1][2] == "christmas-night: at +0m (step 1) the ladder pages dan, not cat"
    assert got[2][2].startswith("christmas-night: two people are paged within the 3900m")
    text_out = run("test", *NOW, config=config).output
    assert "policy tests: 1 run, 0 passed, 1 failed" in text_out
    assert f"policies/all.yaml:{got[1][0]}:7: error: christmas-night: at +0m" in text_out

    junit = run("test", "--format", "junit", *NOW, config=config)
    assert junit.exit_code == 1
    suite = ElementTree.fromstring(junit.output).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "1", "0")
    [case] = suite.findall("testcase")
    assert case.get("name") == "christmas-night"
    assert str(case.get("file")).endswith("policies/all.yaml")
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    assert failure.get("message") == got[0][2].removeprefix("christmas-night: ")
    assert len(failure.text.splitlines()) == 3
    assert f"policies/all.yaml:{got[1][0]}:7: at +0m (step 1)" in failure.text


def test_policies_validate_rejects_are_refused_with_its_messages(tmp_path: Path) -> None:
    """Before the rotation starts, its service is uncovered: validate rejects that (a
    deliverability error), so no scenario runs, and the message is validate's."""
    config = repo(tmp_path, ROUND_THE_CLOCK + CHRISTMAS)
    early = ("--now", "2026-12-01T00:00Z")
    validated = run("validate", "--format", "json", *early, config=config)
    tested = run("test", "--format", "json", *early, config=config)
    assert validated.exit_code == tested.exit_code == 1
    expected = json.loads(validated.output)["problems"]
    assert [p["rule"] for p in expected] == ["coverage-gap"]
    assert json.loads(tested.output)["problems"] == expected
    text = run("test", *early, config=config).output
    assert "policy tests: none of 1 run: the policies have errors" in text
    assert run("test", *NOW, config=config).exit_code == 0


CHRISTMAS = CHRISTMAS_POLICIES + """kind: PolicyTest
name: christmas-night
scenario: {service: api, priority: P1, at: "2026-12-25T20:00", timezone: Australia/Sydney}
expect:
  first_response_due: "2026-12-28T13:00"
  paged:
    - {after: 0m, people: [dan]}
    - {after: 10m, people: [bob]}
"""


def test_junit_counts_passes_and_reports_broken_policies_as_an_error(tmp_path: Path) -> None:
    passing = ElementTree.fromstring(run("test", "--format", "junit").output)
    assert (passing.get("tests"), passing.get("failures"), passing.get("errors")) == ("6", "0", "0")
    assert all(case.find("failure") is None for case in passing.iter("testcase"))
    broken = repo(tmp_path, "kind: Team\nname: ops\nmembers: [nobody]\n")
    result = run("test", "--format", "junit", config=broken)
    assert result.exit_code == 1
    [case] = ElementTree.fromstring(result.output).iter("testcase")
    error = case.find("error")
    assert error is not None and error.text is not None and "[ref-unknown]" in error.text


def test_policy_tests_as_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "test", "--format", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_as_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "oncall", "who", "--at", "2026-12-26T02:00Z", "--ladder",
         "major-incident", "--format", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert [(p["after_minutes"], p["people"]) for p in answer["ladders"][0]["pages"][:2]] == [
        (0, ["priya"]),
        (5, ["fatima", "anna", "marcus", "priya"]),
    ]
