"""The validation pipeline: YAML → schema → references → semantics → deliverability."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opskit.policy import schemas
from opskit.policy.build import build
from opskit.policy.checks import Context, run_checks, template_memo
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics, Position
from opskit.policy.discover import Refused, policy_file_pairs
from opskit.policy.documents import Checked, classify
from opskit.policy.file_cache import FileCache, FileResult, digest, disabled, stamp_of
from opskit.policy.loader import Document, load_bytes, one_run, read_file
from opskit.policy.model import Policy
from opskit.policy.uniqueness import first_of_each
from opskit.runtime import collector_paused

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 256

# A check stage from above this package (the targets' natural keys, say), run on the built
# model after the policy's own checks. Callers pass theirs in (the CLI passes the registered
# ones), so that nothing here imports what the stages know about.
# A stage gets the same Context the policy's checks do (the model and the settings: now,
# horizon, night hours).
Stage = Callable[[Context, Config | None, Diagnostics], None]


@dataclass(slots=True)
class Result:
    """A validate run's outcome: the built policy, every problem, and what was read."""

    policy: Policy
    diagnostics: Diagnostics
    files: list[str] = field(default_factory=list)
    documents: int = 0


def check_file(file: str, display: str, *, for_cache: bool = True) -> FileResult:
    """Load, classify and schema-check one file: the per-file work. `for_cache`: with the
    digest of the bytes and the file's stamp, which only the cache needs."""
    diagnostics = Diagnostics()
    found = read_file(file, diagnostics, display)
    if found is None:
        return FileResult([], diagnostics.items, 0)
    raw, info = found
    # Without their nodes: the node graphs would be half the run's memory (and the page
    # faults its system time), and only a problem needs a position, which composes that
    # file again, as for a cached file or a worker's.
    documents = load_bytes(file, raw, diagnostics, display, keep_nodes=False)
    checked = [
        Checked(kind, document, schemas.check(document, schemas.KINDS[kind], diagnostics))
        for kind, document in classify(documents, diagnostics)
    ]
    if not for_cache:
        return FileResult(checked, diagnostics.items, len(documents))
    return FileResult(checked, diagnostics.items, len(documents), digest(raw), stamp_of(info))


def check_files(files: Sequence[tuple[str, str]], *, for_cache: bool = True) -> list[FileResult]:
    return [check_file(file, display, for_cache=for_cache) for file, display in files]


def _jobs(requested: int | None, files: int) -> int:
    """Processes to load `files` with: as asked (argument, then OPSKIT_JOBS), else one a
    core for large sets; always one while another thread runs (see can_fork)."""
    if requested is None and os.environ.get("OPSKIT_JOBS", "").isdigit():
        requested = int(os.environ["OPSKIT_JOBS"])
    if requested is None:
        cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        requested = (
            (len(cores) if cores else os.cpu_count() or 1) if files >= PARALLEL_MIN_FILES else 1
        )
    if requested > 1 and files > 1:
        # only a run that may fork imports this: a small or a cached one never does
        from opskit.policy.parallel import can_fork

        if can_fork():
            return requested
    return 1


def _check_in_parallel(
    pairs: list[tuple[str, str]], jobs: int, *, for_cache: bool
) -> list[FileResult]:
    from opskit.policy import schema_cache  # only files not cached need validators
    from opskit.policy.parallel import check_in_parallel

    schema_cache.warm()  # compile once, before forking, rather than once a worker
    return check_in_parallel(pairs, jobs, functools.partial(check_files, for_cache=for_cache))


def validate_files(
    paths: Sequence[Path],
    config: Config | None = None,
    *,
    jobs: int | None = None,
    now: str | None = None,
    cache: bool = True,
    root: Path | None = None,
    stages: Sequence[Stage] = (),
) -> Result:
    """`cache`: reuse per-file results of unchanged files from earlier runs (file_cache).
    `root`: nothing outside this folder is read (default: the folder of opskit.yaml, when
    there is a config; a library caller with neither reads the paths it names).
    `stages`: checks from above the policy layer, run last on the built model."""
    if root is None and config is not None:
        root = config.root
    with collector_paused(), one_run():
        return _validate_files(
            paths, config, jobs=jobs, now=now, cache=cache, root=root, stages=stages
        )


def _validate_files(
    paths: Sequence[Path], config: Config | None, *, jobs: int | None, now: str | None,
    cache: bool, root: Path | None, stages: Sequence[Stage],
) -> Result:  # fmt: skip
    cwd = os.getcwd()  # noqa: PTH109 - a string, compared as one
    refused: list[Refused] = []
    fence = str(root) if root is not None else None
    pairs = policy_file_pairs(paths, cwd, root=fence, refused=refused)
    stored = FileCache.for_run(paths, cwd, enabled=cache)
    results = [stored.get(file, display) for file, display in pairs]
    missing = [i for i, result in enumerate(results) if result is None]
    workers = _jobs(jobs, len(missing))
    todo = [pairs[i] for i in missing]
    for_cache = stored.keeps
    fresh = (
        _check_in_parallel(todo, workers, for_cache=for_cache)
        if workers > 1
        else check_files(todo, for_cache=for_cache)
    )
    for i, result in zip(missing, fresh, strict=True):
        results[i] = result
        stored.put(*pairs[i], result)
    stored.save([file for file, _ in pairs])
    checked = [c for result in results if result for c in result.checked]
    diagnostics = Diagnostics([d for result in results if result for d in result.problems])
    for path in refused:
        diagnostics.add(Position(path.path), path.rule, path.message)
    count = sum(result.count for result in results if result)
    files = [display for _, display in pairs]
    return _finish(checked, diagnostics, config, files, count, now, stages, memo=cache)


def validate_documents(
    loaded: list[Document],
    diagnostics: Diagnostics,
    config: Config | None = None,
    *,
    stages: Sequence[Stage] = (),
) -> Result:
    """Validate documents already loaded (for callers holding text, not files)."""
    checked = [
        Checked(kind, doc, schemas.check(doc, schemas.KINDS[kind], diagnostics))
        for kind, doc in classify(loaded, diagnostics)
    ]
    return _finish(checked, diagnostics, config, [], len(loaded), stages=stages)


def _finish(
    checked: list[Checked],
    diagnostics: Diagnostics,
    config: Config | None,
    files: list[str],
    count: int,
    now: str | None = None,
    stages: Sequence[Stage] = (),
    *,
    memo: bool = False,
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
    if memo and not disabled():
        settings["template_memo"] = True  # what templates taught earlier runs
    context = Context(policy, settings)
    run_checks(context, diagnostics)
    template_memo.memo(bool(settings.get("template_memo"))).save()
    for stage in stages:
        stage(context, config, diagnostics)
    return Result(policy, diagnostics, files, count)
