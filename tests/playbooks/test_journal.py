from __future__ import annotations

import json
from pathlib import Path

import pytest

from opskit.errors import OpskitError
from opskit.playbooks.journal import Journal, read_events
from opskit.playbooks.runs import create_run, open_run, summarize


def test_entries_are_numbered_lines_of_json(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("run.started", playbook="p")
    journal.append("step.started", step="a", attempt=1)
    journal.close()
    lines = (tmp_path / "j.jsonl").read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["seq"] for e in entries] == [1, 2]
    assert entries[1]["event"] == "step.started" and entries[1]["at"].endswith("Z")


def test_a_torn_last_line_is_ignored_and_cut_before_the_next_entry(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path)
    journal.append("run.started", playbook="p")
    journal.close()
    with path.open("a") as handle:
        handle.write('{"seq": 2, "at": "2026-')  # killed in the middle of a write
    assert [e["seq"] for e in read_events(path)] == [1]
    journal = Journal(path)
    assert journal.seq == 1
    journal.append("step.started", step="a")
    journal.close()
    assert [e["seq"] for e in read_events(path)] == [1, 2]
    assert path.read_text().count("\n") == 2


def test_a_damaged_line_in_the_middle_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text('{"seq": 1, "event": "run.started"}\nnot json\n{"seq": 2}\n')
    with pytest.raises(OpskitError, match=r"j.jsonl:2: the journal is damaged"):
        read_events(path)


def test_a_run_is_locked_by_one_process(runs: Path) -> None:
    import datetime as dt

    opened = create_run("drill", dt.datetime(2026, 12, 2, 3, 15, tzinfo=dt.UTC))
    assert opened.run_id.startswith("20261202T031500Z-drill-")
    assert opened.folder.parent == runs
    opened.journal.append("run.started", playbook="drill")
    with pytest.raises(OpskitError, match="in progress in another process"):
        open_run(opened.run_id)
    assert summarize(opened.folder).state == "running"
    opened.close()
    assert summarize(opened.folder).state == "interrupted"
    again = open_run(opened.run_id)
    again.close()


def test_an_endless_journal_is_refused_after_its_limit() -> None:
    with pytest.raises(OpskitError, match=r"/dev/zero:1: the journal is larger than 64 MiB"):
        read_events(Path("/dev/zero"))
