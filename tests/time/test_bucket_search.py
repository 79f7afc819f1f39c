"""The bucketed search answers exactly what `np.searchsorted` does."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.time.bucket_search import MOST_STEPS, BucketSearch

# keys from sparse (hours apart) to dense (seconds apart, more than MOST_STEPS a bucket)
keys = st.one_of(
    st.lists(st.integers(0, 10**9), max_size=200, unique=True),
    st.lists(st.integers(0, 50_000), max_size=200, unique=True),
).map(lambda found: np.array(sorted(found), dtype=np.int64))


@settings(max_examples=300, deadline=None)
@given(
    keys,
    st.lists(st.integers(-(10**6), 10**9 + 10**6), max_size=50),
    st.sampled_from(["left", "right"]),
)
def test_it_agrees_with_searchsorted(sorted_keys: np.ndarray, values: list[int], side: str) -> None:
    # every key, a second either side of it, and values anywhere, before and after all
    near = [k + d for k in sorted_keys.tolist()[:20] for d in (-1, 0, 1)]
    asked = np.array(values + near, dtype=np.int64)
    search = BucketSearch(sorted_keys, side)  # type: ignore[arg-type]
    assert search(asked).tolist() == np.searchsorted(sorted_keys, asked, side=side).tolist()  # type: ignore[call-overload]


def test_dense_keys_fall_back_to_binary_search() -> None:
    search = BucketSearch(np.arange(0, 100, dtype=np.int64), "left")
    assert search.steps > MOST_STEPS
    assert search(np.array([5, 50, 500], dtype=np.int64)).tolist() == [5, 50, 100]
