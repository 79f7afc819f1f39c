"""`make bench` keeps working: every benchmark, small and once (`benchmarks/run.py --quick`)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = {"startup", "validate", "pagerduty_sync", "jira_sync", "oncall", "sla_clock",
              "capacity"}  # fmt: skip


def test_every_benchmark_runs_and_reports_wall_and_cpu_time(tmp_path: Path) -> None:
    # the validate baseline comes with the test dependencies: missing, it fails, never skips
    assert shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) is not None
    out = tmp_path / "results.json"
    env = {**os.environ, "OPSKIT_BENCH_WORK": str(tmp_path / "work")}
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert results["failed"] == []
    assert {"cores", "platform", "python", "date"} <= set(results["machine"])
    by_name = {result["benchmark"]: result for result in results["benchmarks"]}
    assert set(by_name) == BENCHMARKS
    for result in by_name.values():
        assert result["figures"], result["benchmark"]
        for figure in result["figures"]:
            assert figure["command"] and figure["runs"] == len(figure["samples"]) >= 1
            for key in ("wall_s", "cpu_s"):
                low, mid, high = (figure[key][k] for k in ("min", "median", "max"))
                assert 0 < low <= mid <= high, (result["benchmark"], figure["name"], key)
    [floor, one_process, against_baseline, _] = by_name["validate"]["ratios"]
    assert floor["name"].startswith("opskit / PyYAML") and floor["baseline"].startswith("PyYAML")
    assert floor["cpu"] > 0 and floor["wall"] > 0
    # opskit and its floor ran in turn: the headline is the median of each round's ratio
    figures = {figure["name"]: figure for figure in by_name["validate"]["figures"]}
    rounds = zip(figures[floor["figure"]]["samples"], figures[floor["baseline"]]["samples"],
                 strict=True)  # fmt: skip
    assert floor["paired"] and floor["cpu"] == statistics.median(
        mine["cpu_s"] / theirs["cpu_s"] for mine, theirs in rounds
    )
    assert "one process" in one_process["name"] and one_process["figure"].endswith("JOBS=1)")
    assert one_process["baseline"] == floor["baseline"] and one_process["cpu"] > 0
    assert against_baseline["baseline"].startswith("check-jsonschema")
    assert against_baseline["wall"] > 0 and against_baseline["cpu"] > 0
    [requests] = by_name["pagerduty_sync"]["ratios"]
    assert requests["baseline"] > requests["measured"] > 0
    floors = [r for r in by_name["capacity"]["ratios"] if "against reading" in r["name"]]
    assert len(floors) == 2 and all(r["cpu"] > 0 for r in floors)
    assert "== summary" in done.stdout
