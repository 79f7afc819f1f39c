from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(autouse=True)
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "runs"
    monkeypatch.setenv("OPSKIT_RUNS_DIR", str(folder))
    monkeypatch.delenv("OPSKIT_PLAYBOOK_PAUSE_AFTER", raising=False)
    return folder


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """A policy repository with the minimal service `api` and the playbooks given."""

    def make(*playbooks: dict[str, Any]) -> Path:
        root = tmp_path / "repo"
        (root / "policies").mkdir(parents=True, exist_ok=True)
        (root / "playbooks").mkdir(exist_ok=True)
        shutil.copy(DATA / "valid" / "minimal-service.yaml", root / "policies" / "minimal.yaml")
        (root / "opskit.yaml").write_text("workspace: w\npolicies: [policies, playbooks]\n")
        for playbook in playbooks:
            text = yaml.safe_dump({"kind": "Playbook", **playbook}, sort_keys=False)
            (root / "playbooks" / f"{playbook['name']}.yaml").write_text(text)
        return root

    return make
