"""A policy repository as it was at a git ref, unpacked into a temporary folder.

Only `git archive` reads the ref: the user's working tree, index and HEAD are
never touched.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


class GitError(Exception):
    pass


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"cannot run git: {error}") from None
    if done.returncode:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def toplevel(folder: Path) -> Path:
    return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())


def default_base(root: Path) -> str:
    """The merge base with main (or master), as reviewers compare a branch."""
    for branch in ("main", "master", "origin/main"):
        try:
            return _git(root, "merge-base", "HEAD", branch).decode().strip()
        except GitError:
            continue
    raise GitError("no branch main to compare with: name a BASE_REF")


def unpack(root: Path, ref: str, paths: list[str], into: Path) -> list[str]:
    """Extract `paths` (relative to the repository root) at `ref`; returns those that existed."""
    _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    found = []
    for path in paths:
        try:
            data = _git(root, "archive", "--format=tar", ref, "--", path)
        except GitError:
            continue  # not in that commit
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            archive.extractall(into, filter="data")
        found.append(path)
    return found
