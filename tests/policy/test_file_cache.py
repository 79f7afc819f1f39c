"""Unchanged files are not loaded again; what validate reports must not depend on it."""

from __future__ import annotations

import marshal
import os
import shutil
import time
from pathlib import Path

import pytest

from opskit.policy import file_cache
from opskit.policy.validate import validate_files

DATA = Path(__file__).resolve().parents[1] / "data"
AN_HOUR_AGO = time.time() - 3600


def _age(folder: Path) -> None:
    """Files as they would be after a checkout an hour ago: old enough to be cached."""
    for path in folder.rglob("*.yaml"):
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))


def _checkout(kind: str, folder: Path) -> Path:
    """A copy of one of the data sets, checked out an hour ago."""
    shutil.copytree(DATA / kind, folder)
    _age(folder)
    return folder


def _report(folder: Path) -> list[str]:
    result = validate_files([folder], now="2026-03-02T09:00:00Z")
    counts = f"{result.documents} documents, {result.policy.count()} objects"
    return [
        counts,
        *(f"{d.position} {d.level} {d.rule} {d.message}" for d in result.diagnostics.sorted()),
    ]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OPSKIT_CACHE_DIR", str(folder))
    monkeypatch.delenv(file_cache.NO_CACHE_ENV, raising=False)
    return folder


def _entries(cache: Path) -> dict[str, object]:
    [stored] = cache.glob("validate-*.marshal")
    entries: dict[str, object] = marshal.loads(stored.read_bytes())["entries"]
    return entries


@pytest.mark.parametrize("kind", ["invalid", "valid"])
def test_a_cached_run_reports_exactly_what_a_fresh_one_does(
    kind: str, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every loader rejection and every rule, with positions the later stages find
    # again by parsing files that the cached run never loaded.
    folder = _checkout(kind, tmp_path / kind)
    monkeypatch.chdir(tmp_path)
    fresh = _report(Path(kind))
    assert len(_entries(cache)) == len(list(folder.glob("*.yaml")))
    assert _report(Path(kind)) == fresh
    monkeypatch.setenv(file_cache.NO_CACHE_ENV, "1")
    assert _report(Path(kind)) == fresh


def test_an_unchanged_file_is_not_read_again(cache: Path, tmp_path: Path) -> None:
    """Proof that the cache answers: content swapped under an unchanged stamp goes unseen
    (as with git's index); any real edit changes the mtime and is seen."""
    folder = tmp_path / "repo"
    folder.mkdir()
    shutil.copy(DATA / "valid" / "minimal-service.yaml", folder)
    _age(folder)
    assert _report(folder)[1:] == []
    victim = folder / "minimal-service.yaml"
    text = victim.read_text()
    broken = text.replace("kind: Service", "kind: Servise")
    assert len(broken) == len(text)
    victim.write_text(broken)
    os.utime(victim, (AN_HOUR_AGO, AN_HOUR_AGO))
    assert _report(folder)[1:] == []
    os.utime(victim)  # what an editor's save does
    assert any("kind-unknown" in line for line in _report(folder))


def test_a_stamp_taken_moments_after_a_write_is_not_trusted(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    shutil.copy(DATA / "valid" / "minimal-service.yaml", folder)
    _age(folder)
    fresh = folder / "minimal-service.yaml"
    os.utime(fresh)  # written within the clock's resolution of the run: may change again unseen
    assert _report(folder)[1:] == []
    [(stamp, *_)] = _entries(cache).values()  # type: ignore[misc]
    assert stamp is None  # kept, to be compared by content next time
    text = fresh.read_text()
    fresh.write_text(text.replace("kind: Service", "kind: Servise"))
    os.utime(fresh, ns=(fresh.stat().st_atime_ns, fresh.stat().st_mtime_ns))  # same stamp
    assert any("kind-unknown" in line for line in _report(folder))


def _tamper(cache: Path, file: Path) -> None:
    """Change what the cache says of `file`, so that a report shows whether it was used."""
    [stored] = cache.glob("validate-*.marshal")
    data = marshal.loads(stored.read_bytes())
    stamp, display, digest, (checked, problems, count) = data["entries"][str(file)]
    problems = [(display, 1, 1, 2, "schema", "said by the cache", "")]
    data["entries"][str(file)] = (stamp, display, digest, (checked, problems, count))
    stored.write_bytes(marshal.dumps(data))


def test_a_checkout_or_touch_keeps_results_of_identical_content(
    cache: Path, tmp_path: Path
) -> None:
    """CI restores the cache onto a fresh clone: new stamps, same bytes, no parsing."""
    folder = tmp_path / "repo"
    folder.mkdir()
    shutil.copy(DATA / "valid" / "minimal-service.yaml", folder)
    _age(folder)
    file = folder / "minimal-service.yaml"
    assert _report(folder)[1:] == []
    _tamper(cache, file)
    os.utime(file, (AN_HOUR_AGO + 60, AN_HOUR_AGO + 60))  # another stamp, the same bytes
    assert any("said by the cache" in line for line in _report(folder))
    file.write_text(file.read_text() + "# a comment\n")  # other bytes: parsed again
    assert _report(folder)[1:] == []


def test_removed_files_leave_the_cache(cache: Path, tmp_path: Path) -> None:
    folder = _checkout("invalid", tmp_path / "repo")
    _report(folder)
    gone = sorted(folder.glob("*.yaml"))[0]
    assert str(gone) in _entries(cache)
    gone.unlink()
    _report(folder)
    assert str(gone) not in _entries(cache)


def test_a_damaged_or_foreign_cache_is_ignored(cache: Path, tmp_path: Path) -> None:
    folder = _checkout("invalid", tmp_path / "repo")
    fresh = _report(folder)
    [stored] = cache.glob("validate-*.marshal")
    data = marshal.loads(stored.read_bytes())
    stored.write_bytes(marshal.dumps({**data, "version": "another opskit"}))
    assert _report(folder) == fresh
    stored.write_bytes(b"\x00not marshal at all")
    assert _report(folder) == fresh
    for foreign in ([1, 2], {"version": data["version"], "entries": [1]}):
        stored.write_bytes(marshal.dumps(foreign))
        assert _report(folder) == fresh
    real = sorted(data["entries"])
    odd = {real[0]: 1, real[1]: (data["entries"][real[1]][0], "x", ("not", "an entry"))}
    stored.write_bytes(marshal.dumps({"version": data["version"], "entries": odd}))
    assert _report(folder) == fresh


def test_disabled_cache_writes_nothing(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _checkout("valid", tmp_path / "repo")
    monkeypatch.setenv(file_cache.NO_CACHE_ENV, "1")
    _report(folder)
    assert not list(cache.glob("validate-*"))


def test_cli_no_cache_flag(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from opskit.cli import cli

    monkeypatch.chdir(tmp_path)  # validate reads nothing outside the working folder

    folder = tmp_path / "repo"
    folder.mkdir()
    shutil.copy(DATA / "valid" / "minimal-service.yaml", folder)
    _age(folder)
    uncached = CliRunner().invoke(cli, ["validate", "--no-cache", str(folder)])
    assert uncached.exit_code == 0, uncached.output
    assert not list(cache.glob("validate-*"))
    cached = CliRunner().invoke(cli, ["validate", str(folder)])
    assert cached.exit_code == 0 and cached.output == uncached.output
    assert str(folder / "minimal-service.yaml") in _entries(cache)


def test_with_the_cache_off_files_are_checked_alike_without_what_only_the_cache_keeps(
    tmp_path: Path,
) -> None:
    from opskit.policy.validate import check_file

    policy = tmp_path / "p.yaml"
    shutil.copy(DATA / "invalid" / "yaml-truthy--person-name-off.yaml", policy)
    kept, plain = check_file(str(policy), "p.yaml"), check_file(str(policy), "p.yaml", for_cache=False)
    assert kept.digest == file_cache.digest(policy.read_bytes()) and kept.stamp is not None
    assert plain.digest is None and plain.stamp is None
    assert file_cache.pack([plain]) == file_cache.pack([
        file_cache.FileResult(kept.checked, kept.problems, kept.count)])  # fmt: skip
    assert [d.rule for d in plain.problems] == ["yaml-truthy"]


def test_files_of_folders_long_unused_leave_the_cache(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _checkout("valid", tmp_path / "repo")
    monkeypatch.chdir(tmp_path)
    _report(Path("repo"))
    [ours] = cache.glob("validate-*.marshal")
    month = time.time() - 31 * 86_400
    gone = cache / "validate-0000000000000000.marshal"  # a folder validated once, long ago
    recent = cache / "validate-1111111111111111.marshal"  # one validated last week
    other = cache / "template-facts.marshal"  # not the file cache's
    for path in (gone, recent, other):
        path.write_bytes(b"x")
    os.utime(recent, (time.time() - 7 * 86_400,) * 2)
    os.utime(ours, (time.time() - 2 * 86_400,) * 2)  # read every day, written two days ago
    for path in (gone, other):
        os.utime(path, (month, month))
    (cache / ".pruned-validate-").unlink(missing_ok=True)  # as if last looked over a day ago
    unchanged = ours.read_bytes()
    _report(Path("repo"))  # reads ours, and nothing changed: marked as used, not rewritten
    assert not gone.exists()
    assert recent.exists() and other.exists() and ours.read_bytes() == unchanged
    assert time.time() - ours.stat().st_mtime < 3600
    # back after a month away: this run's own file is read before the look, so it stays
    os.utime(ours, (month, month))
    (cache / ".pruned-validate-").unlink()
    victim = folder / "minimal-service.yaml"  # swapped under its stamp: only the cache hides it
    victim.write_text(victim.read_text().replace("kind: Service", "kind: Servise"))
    os.utime(victim, (AN_HOUR_AGO, AN_HOUR_AGO))
    assert not any("kind-unknown" in line for line in _report(Path("repo")))


def test_the_cache_is_looked_over_at_most_once_a_day(cache: Path, tmp_path: Path) -> None:
    from opskit.disk_cache import prune_stale

    cache.mkdir()
    stale = cache / "validate-2222222222222222.marshal"
    stale.write_bytes(b"x")
    month = time.time() - 31 * 86_400
    os.utime(stale, (month, month))
    prune_stale("validate-")  # the day's first look
    assert not stale.exists()
    stale.write_bytes(b"x")
    os.utime(stale, (month, month))
    prune_stale("validate-")  # the same day: no second look
    assert stale.exists()
    prune_stale("validate-", now=time.time() + 86_400)  # the next day
    assert not stale.exists()


def test_no_cache_folder_is_made_to_prune_nothing(cache: Path) -> None:
    from opskit.disk_cache import prune_stale

    prune_stale("validate-")
    assert not cache.exists()
