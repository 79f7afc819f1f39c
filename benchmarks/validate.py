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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / ".work"
BIN = Path(sys.executable).parent


def timed(argv: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
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

    opskit = [str(BIN / "opskit"), "validate", "--format", "json"]
    # The first run compiles the schema validators into a cache folder of its own;
    # later runs reuse them, as a user's second run would.
    cache = WORK / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["OPSKIT_CACHE_DIR"] = str(cache)
    runs = []
    for _ in range(args.runs + 1):
        seconds, done = timed(opskit, root)
        summary = json.loads(done.stdout)["summary"]
        if done.returncode != 0 or summary["objects"] != len(files):
            print(done.stdout[:2000], done.stderr[:2000])
            return 1
        runs.append(seconds)
    first, best = runs[0], min(runs[1:])
    print(f"opskit validate, first run (compiles validators): {first:.3f} s")
    print(f"opskit validate (all checks, whole process): best {best:.3f} s of {args.runs}; "
          f"{len(files) / best:,.0f} objects/s")  # fmt: skip

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
    print(f"check-jsonschema (schema only, same files):      {seconds:.3f} s")
    print(f"ratio: opskit is {seconds / best:.1f}x faster than the schema-only baseline")
    target = 1.0 * args.objects / 10_000
    verdict = "meets" if best < target else "MISSES"
    print(f"target: under {target:.2f} s for {args.objects:,} objects: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
