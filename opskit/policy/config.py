"""opskit.yaml: where the policies live and which targets exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from opskit.policy import schemas
from opskit.policy.diagnostics import Diagnostics, Position
from opskit.policy.discover import display_path
from opskit.policy.documents import Checked
from opskit.policy.file_cache import FileCache, FileResult, digest, stamp_of
from opskit.policy.loader import Document, load_bytes, read_file
from opskit.policy.values import OutOfRange, parse_duration

CONFIG_NAME = "opskit.yaml"
DEFAULT_POLICY_PATHS = ("policies", "playbooks")


@dataclass(slots=True)
class Config:
    """opskit.yaml as read: the repository, where its policies live, and the targets."""

    root: Path
    workspace: str = "default"
    policy_paths: list[Path] = field(default_factory=list)
    strict: bool = False
    horizon: str = "13w"
    night: str | None = None
    targets: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    # the parsed file, for positions in messages
    document: Document | None = field(default=None, compare=False, repr=False)

    def at(self, *keys: str | int) -> Position | str | None:
        """Where a setting is written in opskit.yaml (or its nearest parent), for messages."""
        if self.document is None:
            return display_path(self.path) if self.path is not None else None
        return self.document.at(keys, key=True)


def find_config(start: Path) -> Path | None:
    """opskit.yaml in `start` or the nearest folder above it."""
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _read(path: Path, display: str) -> FileResult:
    """Load and schema-check opskit.yaml: its first document, and its problems."""
    found = Diagnostics()
    read = read_file(str(path), found, display)
    if read is None:
        return FileResult([], found.items, 0)
    raw, info = read
    documents = load_bytes(str(path), raw, found, display)
    checked = []
    if documents and isinstance(documents[0].data, dict):
        before = len(found)
        ok = schemas.check(documents[0], schemas.CONFIG_SCHEMA, found)
        found.items[before:] = [  # the schema's problems are the config rule's
            problem.__class__(problem.position, problem.level, "config", problem.message,
                              problem.hint)
            for problem in found.items[before:]
        ]  # fmt: skip
        checked.append(Checked("Config", documents[0], ok))
    elif documents:
        found.add(documents[0].position, "config", "opskit.yaml must be a mapping")
    return FileResult(checked, found.items, len(documents), digest(raw), stamp_of(info))


def load_config(path: Path, diagnostics: Diagnostics, *, cache: bool = True) -> Config:
    """opskit.yaml, read as validate reads policy files: kept in the cache folder while it
    does not change, so a run needs neither the YAML parser nor the schema for it."""
    root, display = path.parent, display_path(path)
    stored = FileCache.for_run([path], str(root), enabled=cache)
    result = stored.get(str(path), display)
    if result is None:
        result = _read(path, display)
        stored.put(str(path), display, result)
        stored.save([str(path)])
    diagnostics.items.extend(result.problems)
    data: dict[str, Any] = {}
    source: Document | None = None
    if result.checked:
        source = result.checked[0].document
        data = source.data
    settings = data.get("validate", {}) if isinstance(data.get("validate"), dict) else {}
    settings = _bounded_horizon(settings, source, diagnostics)
    listed = data.get("policies")
    paths: list[Any] = listed if isinstance(listed, list) else list(DEFAULT_POLICY_PATHS)
    inside = [
        root / str(p) for i, p in enumerate(paths) if _inside(str(p), source, i, diagnostics)
    ]
    return Config(
        root=root,
        workspace=str(data.get("workspace", "default")),
        policy_paths=inside,
        strict=bool(settings.get("strict", False)),
        horizon=str(settings.get("horizon", "13w")),
        night=str(settings["night"]) if isinstance(settings.get("night"), str) else None,
        targets=data.get("targets", {}) if isinstance(data.get("targets"), dict) else {},
        path=path,
        document=source,
    )


def _inside(entry: str, source: Document | None, index: int, diagnostics: Diagnostics) -> bool:
    """A `policies:` entry names a place inside the repository: relative, without `..`.
    (Symlinks that lead out are refused when the files are listed.)"""
    if not PurePath(entry).is_absolute() and ".." not in PurePath(entry).parts:
        return True
    where = source.at(("policies", index)) if source is not None else Position(CONFIG_NAME)
    diagnostics.add(
        where,
        "path-outside-repository",
        f"policy path {entry!r} leaves the repository; name a folder inside it, relative to "
        "opskit.yaml",
    )
    return False


# Deliverability renders every shift of the horizon: a quarter by default, two years at most.
MAX_HORIZON_DAYS = 731


def _bounded_horizon(
    settings: dict[str, Any], source: Document | None, diagnostics: Diagnostics
) -> dict[str, Any]:
    text = settings.get("horizon")
    if not isinstance(text, str):
        return settings
    without = {key: value for key, value in settings.items() if key != "horizon"}
    try:
        horizon = parse_duration(text, at_least_seconds=86_400)
        if horizon.calendar_seconds > MAX_HORIZON_DAYS * 86_400:
            raise OutOfRange(f"{text!r} is longer than two years, the longest horizon checked")
    except OutOfRange as error:
        where = source.at(("validate", "horizon")) if source is not None else Position(CONFIG_NAME)
        diagnostics.add(where, "config", f"validate.horizon: {error}")
        return without
    except ValueError:
        return without  # not a duration: the schema said so already
    return settings
