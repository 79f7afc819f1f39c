from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Caches (validators, validated files) go to a folder of the test session, not the user's."""
    folder = str(tmp_path_factory.mktemp("opskit-cache"))
    os.environ["OPSKIT_CACHE_DIR"] = folder
    return folder


@pytest.fixture(autouse=True)
def _cache_stays_private(_private_cache: str) -> Iterator[None]:
    """A test that leaves the cache folder changed fails: every later test of its worker, and
    the processes they start, would write to the user's cache."""
    yield
    assert os.environ.get("OPSKIT_CACHE_DIR") == _private_cache, "OPSKIT_CACHE_DIR left changed"
