"""What every benchmark shares: measuring, the machine, printing and the JSON of results.

A figure is a list of samples, each the wall time and the CPU time (user + system) of one
run. A command run as its own process is measured whole: `os.wait4` returns the CPU time
of the process and of every process it waited for (opskit's forked workers). On a shared
machine, wall time grows with the load of others; CPU time less (a core shared with other
work still runs slower), so both are printed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[1]
# Generated repositories and caches (OPSKIT_BENCH_WORK moves them, as the smoke test does).
WORK = Path(os.environ.get("OPSKIT_BENCH_WORK") or REPO / "benchmarks" / ".work")
T = TypeVar("T")


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float  # user + system, of the process and the processes it waited for


@dataclass
class Done:
    """A finished process: its exit code, output and the sample it took."""

    returncode: int
    stdout: str
    stderr: str
    sample: Sample


def run_process(
    argv: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Done:
    """Run `argv` to its end and measure it whole (wall, and CPU time from `os.wait4`)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Done(
            process.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            Sample(wall, usage.ru_utime + usage.ru_stime),
        )


def measure_call(function: Callable[[], T]) -> tuple[Sample, T]:
    """Measure a call in this process (CPU time of the whole process, every thread)."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    value = function()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Sample(wall, cpu), value


def spread(values: Sequence[float]) -> dict[str, float]:
    return {
        "min": min(values),
        "median": statistics.median(values),
        "max": max(values),
    }


@dataclass
class Figure:
    """One measured thing: what was run, and a sample per run."""

    name: str
    command: str
    samples: list[Sample] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # requests, shifts, ...

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "command": self.command,
            "runs": len(self.samples),
            "wall_s": spread([s.wall for s in self.samples]),
            "cpu_s": spread([s.cpu for s in self.samples]),
            "samples": [{"wall_s": s.wall, "cpu_s": s.cpu} for s in self.samples],
            **self.facts,
        }


def seconds(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def describe(values: Sequence[float]) -> str:
    """Median and range: `0.912 s (0.850–1.104)`; one run: `0.912 s`."""
    if len(values) == 1:
        return f"{seconds(values[0])} s"
    low, mid, high = spread(values).values()
    return f"{seconds(mid)} s ({seconds(low)}–{seconds(high)})"


def machine() -> dict[str, Any]:
    cpu_model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "cpu": cpu_model or platform.processor(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average": list(os.getloadavg()),
    }


def machine_line(info: dict[str, Any]) -> str:
    load = ", ".join(f"{x:.2f}" for x in info["load_average"])
    return (
        f"machine: {info['cores']} cores ({info['usable_cores']} usable), {info['cpu']}, "
        f"{info['platform']}, Python {info['python']}; {info['date']}; load average {load}"
    )


def shown(argv: Sequence[str], *, cwd: Path | None = None) -> str:
    """A command as someone would type it: paths under the repository or `cwd` made
    relative, and the folder it ran in (when not the repository) in front."""
    words = []
    for word in argv:
        for base in (cwd, REPO):
            if base is not None and word.startswith(f"{base}/"):
                word = str(Path(word).relative_to(base))
                break
        words.append(word)
    where = ""
    if cwd is not None and cwd != REPO:
        where = f"(cd {cwd.relative_to(REPO) if cwd.is_relative_to(REPO) else cwd}) "
    return where + shlex.join(words)


class Report:
    """A benchmark's figures, ratios and verdicts; printed as they come, saved as JSON."""

    def __init__(self, benchmark: str, argv: Sequence[str] | None = None) -> None:
        self.benchmark = benchmark
        script = Path(sys.argv[0]).resolve()
        words = list(sys.argv[1:] if argv is None else argv)
        if "--json" in words:  # where the results go is no part of what was measured
            at = words.index("--json")
            del words[at : at + 2]
        self.command = shown([sys.executable, str(script), *words])
        self.machine = machine()
        self.figures: list[Figure] = []
        self.ratios: list[dict[str, Any]] = []
        self.targets: list[dict[str, Any]] = []
        self.notes: list[str] = []
        print(f"== {benchmark}: {self.command}")
        print(machine_line(self.machine))

    def say(self, text: str) -> None:
        print(text)
        self.notes.append(text)

    def figure(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        facts = "".join(f"  {k}: {v:,}" if isinstance(v, int) else f"  {k}: {v}"
                        for k, v in figure.facts.items() if not isinstance(v, dict | list))  # fmt: skip
        runs = len(figure.samples)
        print(f"{figure.name}  [{'1 run' if runs == 1 else f'{runs} runs, median (min–max)'}]")
        print(f"  command: {figure.command}")
        print(f"  wall {describe([s.wall for s in figure.samples])}"
              f"   cpu (user+sys) {describe([s.cpu for s in figure.samples])}{facts}")  # fmt: skip
        return figure

    def ratio(self, name: str, baseline: Figure, figure: Figure) -> None:
        """How many times the baseline's median the figure's median is, in wall and CPU."""
        wall, cpu = baseline.wall / figure.wall, baseline.cpu / figure.cpu
        self.ratios.append({"name": name, "baseline": baseline.name, "figure": figure.name,
                            "wall": wall, "cpu": cpu})  # fmt: skip
        print(f"ratio, {name}: {wall:.1f}x in wall time, {cpu:.1f}x in CPU time "
              f"({baseline.name} / {figure.name}, medians)")  # fmt: skip

    def count_ratio(self, name: str, baseline: int, measured: int, what: str) -> None:
        ratio = baseline / measured
        self.ratios.append({"name": name, "baseline": baseline, "measured": measured,
                            "ratio": ratio, "what": what})  # fmt: skip
        print(f"ratio, {name}: {baseline:,} / {measured:,} = {ratio:.1f}x ({what})")

    def target(self, name: str, met: bool) -> None:
        self.targets.append({"name": name, "met": met})
        print(f"target {name}: {'met' if met else 'MISSED'}")

    def as_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "command": self.command,
            "machine": self.machine,
            "figures": [f.as_json() for f in self.figures],
            "ratios": self.ratios,
            "targets": self.targets,
            "notes": self.notes,
        }

    def save(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self.as_json(), indent=2) + "\n")


def environment(**extra: str) -> dict[str, str]:
    """This process's environment for a measured command, with Python's bytecode cache on:
    some machines (CI images, containers) set PYTHONDONTWRITEBYTECODE, and then every run
    compiles every module."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | extra


def installed(name: str) -> str:
    """A console script of this interpreter's environment, as a full path."""
    return str(Path(sys.executable).parent / name)
