"""Benchmark: `opskit validate` on a 10,000-object repository against check-jsonschema.

Run: make bench   (or .venv/bin/python benchmarks/validate.py [--objects N])

opskit does every check (YAML traps, schema, references, semantics,
deliverability); the baseline checks the schema alone on the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / ".work"
BIN = Path(sys.executable).parent


# Both tools run as installed, with Python's bytecode cache: some machines (CI images,
# containers) set PYTHONDONTWRITEBYTECODE, and then every run compiles every module.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(argv: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = WORK / f"validate-{args.objects}"
    files = generate(root, args.objects)
    print(
        f"repository: {len(files):,} objects in {len(files):,} files under {root.relative_to(REPO)}"
    )

    # Files as after a checkout a minute ago: older than the cache's two-second
    # window in which a file may still change unseen.
    past = time.time() - 60
    for path in files:
        os.utime(path, (past, past))
    opskit = [str(BIN / "opskit"), "validate", "--format", "json"]
    cache = WORK / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    ENV["OPSKIT_CACHE_DIR"] = str(cache)

    def run(extra: list[str]) -> float:
        seconds, done = timed(opskit + extra, root)
        summary = json.loads(done.stdout)["summary"] if done.stdout.startswith("{") else {}
        if done.returncode != 0 or summary.get("objects") != len(files):
            print(done.stdout[:2000], done.stderr[:2000])
            raise SystemExit(1)
        return seconds

    def best(extra: list[str], before: Callable[[], None] = lambda: None) -> float:
        times = []
        for _ in range(args.runs):
            before()
            times.append(run(extra))
        return min(times)

    first = run([])
    cold = best(["--no-cache"])
    unchanged = best([])
    edited = files[len(files) // 2]
    one_edit = best([], lambda: edited.write_text(edited.read_text()))
    print(f"opskit validate, every check, whole process (best of {args.runs}):")
    print(f"  first run (compiles validators, fills the cache):  {first:.3f} s")
    print(
        f"  every file loaded (--no-cache):                    {cold:.3f} s  "
        f"{len(files) / cold:,.0f} objects/s"
    )
    print(f"  nothing changed since the last run:                {unchanged:.3f} s")
    print(f"  one file edited since the last run:                {one_edit:.3f} s")

    baseline_bin = shutil.which("check-jsonschema", path=str(BIN))
    if baseline_bin is None:
        print("check-jsonschema not installed: pip install -e '.[bench]'")
        return 1
    # check-jsonschema resolves the schemas' relative $ids against its working folder.
    schemas = REPO / "schemas"
    absolute = [str(f) for f in files]
    seconds, done = timed([baseline_bin, "--schemafile", "policy.schema.json", *absolute], schemas)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:])
        return 1
    print(f"check-jsonschema (schema only, same files):          {seconds:.3f} s")
    print(
        f"ratio: opskit is {seconds / cold:.1f}x faster loading every file, "
        f"{seconds / one_edit:.1f}x after a one-file edit"
    )
    target = 1.0 * args.objects / 10_000
    for name, figure in [("every file loaded", cold), ("one file edited", one_edit)]:
        verdict = "meets" if figure < target else "MISSES"
        print(f"target under {target:.2f} s for {args.objects:,} objects, {name}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
