"""Every benchmark whose figures the README states, one after the other: `make bench`.

Run: .venv/bin/python benchmarks/run.py [--quick] [--runs N] [--only NAME]
                                        [--out benchmarks/.work/results.json]

Each benchmark runs as its own process and prints its figures as it goes: the command
measured, wall and CPU time (user + system, child processes included) as the median and
range over its runs, and ratios against its baseline. At the end a summary of every
figure, the machine and the date, and the JSON of all results (`--out`).

The full run takes about 14 minutes on two cores, most of it waiting on rate limits: the
PagerDuty apply, which opskit paces under PagerDuty's 960 requests a minute (about 270 s),
and the Jira sync at opskit's own 30 requests a second (about 6 minutes); check-jsonschema,
the validate baseline, takes 40-85 s a run, depending on the machine's load.
`--only validate --only oncall` leaves the syncs out; `--quick` runs everything small,
once (a smoke test: its figures are not the README's).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, WORK, describe, machine, machine_line, shown

HERE = Path(__file__).resolve().parent
# name: (script, its options for the full run, for --quick)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "startup": ("startup.py", [], ["--runs", "3"]),
    "validate": ("validate.py", [], ["--objects", "200", "--runs", "1", "--baseline-runs", "1"]),
    "pagerduty_sync": ("pagerduty_sync.py", [], ["--services", "5", "--runs", "1"]),
    "jira_sync": ("jira_sync.py", [], ["--services", "5", "--tiers", "3", "--orgs", "20", "--runs", "1"]),
    "oncall": ("oncall.py", [], ["--rotations", "20", "--runs", "1"]),
    "sla_clock": ("sla_clock.py", [], ["--tickets", "20000", "--sample", "100", "--runs", "1"]),
    "capacity": ("capacity.py", [], ["--runs", "1"]),
}  # fmt: skip
# facts of a figure repeated in the summary
SHOWN = ["requests", "429s", "requests_per_minute", "share_of_limit", "requests_per_object", "shifts"]


def options(name: str, args: argparse.Namespace) -> list[str]:
    _, full, quick = BENCHMARKS[name]
    chosen = list(quick if args.quick else full)
    if args.runs is not None:
        chosen += ["--runs", str(args.runs)]
        if name == "validate":
            chosen += ["--baseline-runs", str(args.runs)]
    return chosen


def summary(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for result in results:
        lines.append(f"{result['benchmark']}  ({result['command']})")
        for figure in result["figures"]:
            walls = [s["wall_s"] for s in figure["samples"]]
            cpus = [s["cpu_s"] for s in figure["samples"]]
            runs = len(walls)
            facts = "".join(f", {key} {figure[key]:,}" if isinstance(figure[key], int) else f", {key} {figure[key]}"
                            for key in SHOWN if key in figure)  # fmt: skip
            lines.append(f"  {figure['name']}: wall {describe(walls)}, cpu {describe(cpus)}"
                         f"{facts}  [{runs} run{'s' if runs > 1 else ''}]")  # fmt: skip
        for ratio in result["ratios"]:
            if "wall" in ratio:
                how = "median of the rounds' ratios" if ratio.get("paired") else "medians"
                lines.append(f"  ratio {ratio['name']}: {ratio['wall']:.2f}x wall, "
                             f"{ratio['cpu']:.2f}x cpu ({how})")  # fmt: skip
            else:
                lines.append(f"  ratio {ratio['name']}: {ratio['baseline']:,} / "
                             f"{ratio['measured']:,} = {ratio['ratio']:.1f}x")  # fmt: skip
        for target in result["targets"]:
            lines.append(f"  target {target['name']}: {'met' if target['met'] else 'MISSED'}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--runs", type=int, help="runs of every repeated figure")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS),
                        help="run only this benchmark (repeatable)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=WORK / "results.json",
                        help="JSON of every result (default: %(default)s)")  # fmt: skip
    args = parser.parse_args()
    command = shown([sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]])
    started = machine()
    print(f"== {command}")
    print(machine_line(started))
    start = time.perf_counter()
    results: list[dict[str, Any]] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="opskit-bench-") as folder:
        for name in args.only or BENCHMARKS:
            script = HERE / BENCHMARKS[name][0]
            out = Path(folder) / f"{name}.json"
            begun = time.perf_counter()
            print(flush=True)
            done = subprocess.run([sys.executable, str(script), *options(name, args), "--json", str(out)],
                                  cwd=REPO, check=False)  # fmt: skip
            took = time.perf_counter() - begun
            if done.returncode != 0 or not out.exists():
                failed.append(name)
                print(f"{name} FAILED (exit {done.returncode}) after {took:.0f} s")
                continue
            result = json.loads(out.read_text())
            result["took_s"] = took
            results.append(result)
    total = time.perf_counter() - start
    print(f"\n== summary: {command}")
    print(machine_line(started))
    for line in summary(results):
        print(line)
    each = ", ".join(f"{r['benchmark']} {r['took_s']:.0f} s" for r in results)
    print(f"total {total:.0f} s ({each})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    everything = {
        "command": command,
        "machine": started,
        "finished": machine()["date"],
        "total_s": total,
        "quick": args.quick,
        "failed": failed,
        "benchmarks": results,
    }
    args.out.write_text(json.dumps(everything, indent=2) + "\n")
    print(f"results: {shown([str(args.out.resolve())])}")
    if failed:
        print("FAILED: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
