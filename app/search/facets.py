"""Doc values: facet ordinals kept as numpy columns and counted in one vectorised pass.

A column holds one `(document number, value ordinal)` pair per value a
document carries, sorted by document with a start offset per document, so
multi-valued fields (people, places) and single-valued ones (agency, month)
are counted the same way. A selective search gathers the pairs of its few
matched documents; a broad one masks all pairs at once. Either way one
`bincount` does the counting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.search.types import FacetCount

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
#: Below this share of matched documents, gathering their pairs beats masking all pairs.
GATHER_SHARE = 0.125


@dataclass(frozen=True, slots=True)
class FacetColumn:
    """Every `(doc, value)` pair of one facet field over a whole index snapshot.

    Ordinals follow the sorted values, so a smaller ordinal is an earlier value.
    """

    docs: IntArray
    ords: IntArray
    starts: IntArray
    values: tuple[str, ...]

    def count(self, matched: BoolArray, matched_docs: IntArray, top: int) -> tuple[FacetCount, ...]:
        """The `top` most frequent values among the matched docs, ties by value."""
        if len(matched_docs) < GATHER_SHARE * len(matched):
            first = self.starts[matched_docs]
            lengths = self.starts[matched_docs + 1] - first
            picks = np.repeat(first - np.cumsum(lengths) + lengths, lengths)
            selected = self.ords[picks + np.arange(len(picks))]
        else:
            selected = self.ords[matched[self.docs]]
        counts = np.bincount(selected, minlength=len(self.values))
        present = np.flatnonzero(counts)
        order = present[np.lexsort((present, -counts[present]))][:top]
        return tuple(FacetCount(self.values[i], int(counts[i])) for i in order)


def _column(docs: IntArray, values: npt.NDArray[np.generic], size: int) -> FacetColumn:
    if not len(docs):
        empty = np.empty(0, dtype=np.int64)
        return FacetColumn(empty, empty, np.zeros(size + 1, dtype=np.int64), ())
    vocabulary, ords = np.unique(values, return_inverse=True)
    order = np.argsort(docs, kind="stable")
    docs = docs[order]
    return FacetColumn(
        docs=docs,
        ords=ords[order].astype(np.int64),
        starts=np.searchsorted(docs, np.arange(size + 1)).astype(np.int64),
        values=tuple(str(v) for v in vocabulary),
    )


def build_facet_column(parts: Iterable[tuple[IntArray, Sequence[str]]], size: int) -> FacetColumn:
    """Merge per-segment `(docs, value per doc)` pairs into one column over `size` docs.

    >>> col = build_facet_column([(np.array([0, 1]), ["AFP", "AA"])], 2)
    >>> col.values, col.ords.tolist(), col.starts.tolist()
    (('AA', 'AFP'), [1, 0], [0, 1, 2])
    """
    doc_parts: list[IntArray] = [np.empty(0, dtype=np.int64)]
    value_parts: list[npt.NDArray[np.str_]] = [np.empty(0, dtype=np.str_)]
    for docs, values in parts:
        doc_parts.append(np.asarray(docs, dtype=np.int64))
        value_parts.append(np.asarray(values, dtype=np.str_))
    return _column(np.concatenate(doc_parts), np.concatenate(value_parts), size)


def month_column(dates_us: IntArray, live: BoolArray) -> FacetColumn:
    """A `YYYY-MM` column from dates in microseconds since 0001-01-01."""
    docs = np.flatnonzero(live).astype(np.int64)
    epoch = np.datetime64("0001-01-01T00:00:00", "us")
    months = (epoch + dates_us[docs].astype("timedelta64[us]")).astype("datetime64[M]")
    return _column(docs, months, len(live))
