"""`np.searchsorted` for a million values in a fraction of the time, by buckets.

A binary search per value costs some 50 ns, most of it in mispredicted branches. The
sorted keys here (span bounds, cumulative working seconds) are few per hour, so a
table says where each bucket of 4,096 seconds begins among the keys, and a step or
two inside the bucket finishes the search: a shift, a gather and a few comparisons.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

Int64s = npt.NDArray[np.int64]

SHIFT = 12  # buckets of 2**12 seconds: a shift, not a division
MOST_STEPS = 6  # more keys than this in a bucket: plain binary search is as quick
_AFTER_ALL = np.iinfo(np.int64).max


class BucketSearch:
    """Answers `np.searchsorted(keys, values, side)` for strictly increasing keys."""

    def __init__(self, keys: Int64s, side: Literal["left", "right"]) -> None:
        self.keys, self.side = keys, side
        self._padded = np.append(keys, _AFTER_ALL)  # so a step past the last key stops
        self.steps = MOST_STEPS + 1
        if not len(keys):
            return
        self.origin = int(keys[0]) - (1 << SHIFT)  # bucket 0 lies before every key
        buckets = ((int(keys[-1]) - self.origin) >> SHIFT) + 2  # the last after every key
        edges = self.origin + (np.arange(buckets, dtype=np.int64) << SHIFT)
        self._first = np.searchsorted(keys, edges, side=side).astype(np.int64)
        inside = np.diff(np.searchsorted(keys, edges, side="left"), append=len(keys))
        self.steps = int(inside.max())

    def __call__(self, values: Int64s) -> Int64s:
        if self.steps > MOST_STEPS:
            found: Int64s = np.searchsorted(self.keys, values, side=self.side)
            return found
        bucket = np.clip((values - self.origin) >> SHIFT, 0, len(self._first) - 1)
        i: Int64s = self._first[bucket]
        # what the bucket's start did not count: keys inside the bucket up to the value
        for _ in range(self.steps):
            key = self._padded[i]
            i += key <= values if self.side == "right" else key < values
        return i
