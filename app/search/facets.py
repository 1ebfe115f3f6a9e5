"""Doc values: facet ordinals kept as numpy columns and counted in one vectorised pass.

A column holds one `(document number, value ordinal)` pair per value a
document carries, so multi-valued fields (people, places) and single-valued
ones (agency, month) are counted the same way: select the pairs whose
document matched, then `bincount` their ordinals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.search.types import FacetCount

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class FacetColumn:
    """Every `(doc, value)` pair of one facet field over a whole index snapshot."""

    docs: IntArray
    ords: IntArray
    values: tuple[str, ...]
    rank: IntArray

    def count(self, matched: BoolArray, top: int) -> tuple[FacetCount, ...]:
        """The `top` most frequent values among `matched` docs, ties by value."""
        counts = np.bincount(self.ords[matched[self.docs]], minlength=len(self.values))
        present = np.flatnonzero(counts)
        order = present[np.lexsort((self.rank[present], -counts[present]))][:top]
        return tuple(FacetCount(self.values[i], int(counts[i])) for i in order)


def build_facet_column(parts: Iterable[tuple[IntArray, Sequence[str]]]) -> FacetColumn:
    """Merge per-segment `(docs, value per doc)` pairs into one column.

    >>> col = build_facet_column([(np.array([0, 1]), ["AFP", "AA"])])
    >>> col.values, col.ords.tolist()
    (('AA', 'AFP'), [1, 0])
    """
    doc_parts: list[IntArray] = []
    value_parts: list[npt.NDArray[np.str_]] = []
    for docs, values in parts:
        doc_parts.append(np.asarray(docs, dtype=np.int64))
        value_parts.append(np.asarray(values, dtype=np.str_))
    if not doc_parts or not sum(len(d) for d in doc_parts):
        empty = np.empty(0, dtype=np.int64)
        return FacetColumn(empty, empty, (), empty)
    all_values = np.concatenate(value_parts)
    vocabulary, ords = np.unique(all_values, return_inverse=True)
    return FacetColumn(
        docs=np.concatenate(doc_parts),
        ords=ords.astype(np.int64),
        values=tuple(str(v) for v in vocabulary),
        rank=np.arange(len(vocabulary), dtype=np.int64),
    )


def month_column(dates_us: IntArray, live: BoolArray) -> FacetColumn:
    """A `YYYY-MM` column from dates in microseconds since 0001-01-01."""
    docs = np.flatnonzero(live).astype(np.int64)
    epoch = np.datetime64("0001-01-01T00:00:00", "us")
    months = (epoch + dates_us[docs].astype("timedelta64[us]")).astype("datetime64[M]")
    vocabulary, ords = np.unique(months, return_inverse=True)
    return FacetColumn(
        docs=docs,
        ords=ords.astype(np.int64),
        values=tuple(str(m) for m in vocabulary),
        rank=np.arange(len(vocabulary), dtype=np.int64),
    )
