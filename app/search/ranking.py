"""BM25 weights and page ordering over numpy columns (no engine involved)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

K1 = 1.2
B = 0.75


def idf(doc_freq: int, doc_count: int) -> float:
    """Robertson–Spärck Jones IDF, never negative: `idf(1, 100)` ≈ 4.2."""
    return math.log(1.0 + (doc_count - doc_freq + 0.5) / (doc_freq + 0.5))


def bm25(tf: FloatArray, length: FloatArray, avg_length: float, weight: float) -> FloatArray:
    """Saturated, length-normalised term frequency times `weight` (idf × field boost)."""
    norm = K1 * ((1.0 - B) + B * length / max(avg_length, 1.0))
    result: FloatArray = weight * tf * (K1 + 1.0) / (tf + norm)
    return result


def top_order(primary: FloatArray, secondary: IntArray, stop: int) -> IntArray:
    """Indices of the `stop` smallest `(primary, secondary)` pairs, in order.

    Linear time: partition on `primary`, break ties at the cut on
    `secondary`, and sort only the survivors.

    >>> top_order(np.array([2.0, 1.0, 1.0]), np.array([7, 9, 8]), 2).tolist()
    [2, 1]
    """
    size = len(primary)
    if stop <= 0 or size == 0:
        return np.empty(0, dtype=np.int64)
    if stop < size:
        cut = np.partition(primary, stop - 1)[stop - 1]
        better = np.flatnonzero(primary < cut)
        ties = np.flatnonzero(primary == cut)
        need = stop - len(better)
        if len(ties) > need:
            ties = ties[np.argpartition(secondary[ties], need - 1)[:need]]
        candidates = np.concatenate((better, ties))
    else:
        candidates = np.arange(size)
    order = np.lexsort((secondary[candidates], primary[candidates]))
    result: IntArray = candidates[order].astype(np.int64)
    return result
