from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled schema validators go to a cache folder of the test session, not the user's."""
    import os

    os.environ["OPSKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("opskit-cache"))
