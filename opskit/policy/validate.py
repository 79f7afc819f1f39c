"""The validation pipeline: YAML → schema → references → semantics → deliverability."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opskit.policy import schema_cache, schemas
from opskit.policy.build import build
from opskit.policy.checks import Context, run_checks
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostic, Diagnostics
from opskit.policy.discover import display_path, policy_files
from opskit.policy.documents import classify
from opskit.policy.loader import Document, load_file
from opskit.policy.model import Policy
from opskit.policy.uniqueness import first_of_each
from opskit.runtime import collector_paused

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 256


@dataclass(slots=True)
class Result:
    policy: Policy
    diagnostics: Diagnostics
    files: list[str] = field(default_factory=list)
    documents: int = 0


@dataclass(frozen=True, slots=True)
class Checked:
    """A document sorted by kind and checked against its schema."""

    kind: str
    document: Document
    schema_ok: bool


def check_files(files: Sequence[tuple[str, str]]) -> tuple[list[Checked], list[Diagnostic], int]:
    """Load, classify and schema-check (file, display name) pairs: the per-file work."""
    diagnostics = Diagnostics()
    checked, count = [], 0
    for file, display in files:
        documents = load_file(file, diagnostics, display=display)
        count += len(documents)
        for kind, document in classify(documents, diagnostics):
            checked.append(
                Checked(kind, document, schemas.check(document, schemas.KINDS[kind], diagnostics))
            )
    return checked, diagnostics.items, count


def _check_detached(
    files: Sequence[tuple[str, str]],
) -> tuple[list[Checked], list[Diagnostic], int]:
    checked, problems, count = check_files(files)
    return [Checked(c.kind, c.document.detached(), c.schema_ok) for c in checked], problems, count


def _jobs(requested: int | None, files: int) -> int:
    if requested is not None:
        return max(1, requested)
    if os.environ.get("OPSKIT_JOBS", "").isdigit():
        return max(1, int(os.environ["OPSKIT_JOBS"]))
    if files < PARALLEL_MIN_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _check_in_parallel(
    pairs: list[tuple[str, str]], jobs: int
) -> tuple[list[Checked], list[Diagnostic], int]:
    """Workers take a share each and the parent takes one too, so its share needs no copying."""
    shares = [pairs[i::jobs] for i in range(jobs)]
    schema_cache.warm()  # compile once, before forking, rather than once a worker
    with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
        pending = pool.map_async(_check_detached, shares[1:])
        checked, problems, count = check_files(shares[0])
        for part, found, n in pending.get():
            checked += part
            problems += found
            count += n
    return checked, problems, count


def validate_files(
    paths: Sequence[Path],
    config: Config | None = None,
    *,
    jobs: int | None = None,
    now: str | None = None,
) -> Result:
    with collector_paused():
        return _validate_files(paths, config, jobs=jobs, now=now)


def _validate_files(
    paths: Sequence[Path], config: Config | None, *, jobs: int | None, now: str | None
) -> Result:
    files = policy_files(paths)
    cwd = os.getcwd()  # noqa: PTH109 - a string, compared as one
    pairs = [(str(f), display_path(f, cwd)) for f in files]
    workers = _jobs(jobs, len(pairs))
    if workers > 1:
        checked, problems, count = _check_in_parallel(pairs, workers)
    else:
        checked, problems, count = check_files(pairs)
    diagnostics = Diagnostics(list(problems))
    return _finish(checked, diagnostics, config, [display for _, display in pairs], count, now)


def validate_documents(
    loaded: list[Document], diagnostics: Diagnostics, config: Config | None = None
) -> Result:
    """Validate documents already loaded (for callers holding text, not files)."""
    checked = [
        Checked(kind, doc, schemas.check(doc, schemas.KINDS[kind], diagnostics))
        for kind, doc in classify(loaded, diagnostics)
    ]
    return _finish(checked, diagnostics, config, [], len(loaded))


def _finish(
    checked: list[Checked],
    diagnostics: Diagnostics,
    config: Config | None,
    files: list[str],
    count: int,
    now: str | None = None,
) -> Result:
    # Names of documents that failed their schema still count as defined, so one
    # typo does not cascade into "unknown reference" everywhere it is used.
    named = [(c.kind, c.document) for c in checked if isinstance(c.document.data.get("name"), str)]
    unique = {id(doc) for _, doc in first_of_each(named, diagnostics)}
    passed = [(c.kind, c.document) for c in checked if c.schema_ok and id(c.document) in unique]
    policy = build(passed, diagnostics, also_known=named)
    settings: dict[str, object] = (
        {"horizon": config.horizon, "night": config.night} if config else {}
    )
    if now is not None:
        settings["now"] = now
    run_checks(Context(policy, settings), diagnostics)
    return Result(policy, diagnostics, files, count)
