"""Which files make up a policy set, and the names problems show them by."""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.policy.discover import display_path, policy_file_names, policy_file_pairs


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ["a/b/x.yaml", "a/b/deeper/y.yml", "a/z.yaml", "top.yml", ".hidden/h.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kind: Person\n")
    (tmp_path / "a" / "notes.txt").write_text("not policy")
    monkeypatch.chdir(tmp_path / "a")
    return tmp_path


@pytest.mark.parametrize(
    "spelled",
    [
        "{root}",
        ".",
        "b",
        "./b",
        "b/",
        "{root}/a/b/x.yaml",
        "..",
        "../top.yml",
        "{root}/a",
        "../a/b",
    ],
)
def test_pairs_name_files_as_display_path_does(tree: Path, spelled: str) -> None:
    paths = [Path(spelled.format(root=tree))]
    pairs = policy_file_pairs(paths, str(Path.cwd()))
    assert pairs == [
        (file, display_path(file, str(Path.cwd()))) for file in policy_file_names(paths)
    ]
    assert pairs, "every spelling names some files"
    assert all(not shown.startswith("./") and "//" not in shown for _, shown in pairs)


def test_hidden_folders_and_other_suffixes_are_skipped(tree: Path) -> None:
    names = [display_path(f) for f in policy_file_names([tree])]
    assert names == ["b/deeper/y.yml", "b/x.yaml", "z.yaml", str(tree / "top.yml")]
