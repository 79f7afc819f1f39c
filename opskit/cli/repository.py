"""Find the policy repository a command works on."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from opskit.errors import UsageError
from opskit.policy.config import Config, find_config, load_config
from opskit.policy.diagnostics import Diagnostics


def open_repository(
    config_path: Path | None, diagnostics: Diagnostics, *, required: bool, cache: bool = True
) -> Config | None:
    path = config_path or find_config(Path.cwd())
    if path is None:
        if required:
            raise UsageError(
                "no opskit.yaml in this folder or above: run inside a policy repository, "
                "pass --config, or name policy files and folders"
            )
        return None
    return load_config(path, diagnostics, cache=cache)


def policy_paths(paths: Sequence[Path], config: Config | None) -> list[Path]:
    if paths:
        return list(paths)
    assert config is not None
    missing = [p for p in config.policy_paths if not p.exists()]
    if missing:
        raise UsageError(f"policy path {missing[0]} named in opskit.yaml does not exist")
    return config.policy_paths


def repository_root(config: Config | None) -> Path:
    """The folder nothing is read outside of: opskit.yaml's, else the working folder."""
    return config.root if config is not None else Path.cwd()
