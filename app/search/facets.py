"""Doc values: facet ordinals kept as numpy columns and counted in one vectorised pass.

A column holds one `(document number, value ordinal)` pair per value a
document carries, sorted by document with a start offset per document, so
multi-valued fields (people, places) and single-valued ones (agency, month)
are counted the same way. A selective search gathers the pairs of its few
matched documents; a broad one masks all pairs at once. Either way one
`bincount` does the counting.
"""

from __future__ import annotations

from collections.abc import Sequence
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

    def count(
        self, matched: BoolArray, matched_docs: IntArray, top: int | None
    ) -> tuple[FacetCount, ...]:
        """The `top` most frequent values among the matched docs (all when None), ties by value."""
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


@dataclass(frozen=True, slots=True)
class FacetPart:
    """One segment's facet pairs, sorted by local document number, with its own vocabulary."""

    docs: IntArray
    ords: IntArray
    values: tuple[str, ...]


def facet_part(docs: IntArray, values: Sequence[str] | npt.NDArray[np.generic]) -> FacetPart:
    """Pairs of one segment: `docs[i]` carries `values[i]`.

    >>> facet_part(np.array([1, 0]), ["AFP", "AA"])
    FacetPart(docs=array([0, 1]), ords=array([0, 1]), values=('AA', 'AFP'))
    """
    vocabulary, ords = np.unique(np.asarray(values), return_inverse=True)
    order = np.argsort(docs, kind="stable")
    return FacetPart(
        np.asarray(docs, dtype=np.int64)[order],
        ords[order].astype(np.int64),
        tuple(str(v) for v in vocabulary),
    )


def month_part(dates_us: IntArray) -> FacetPart:
    """A `YYYY-MM` part from dates in microseconds since 0001-01-01."""
    epoch = np.datetime64("0001-01-01T00:00:00", "us")
    months = (epoch + dates_us.astype("timedelta64[us]")).astype("datetime64[M]")
    return facet_part(np.arange(len(dates_us), dtype=np.int64), months)


def merge_facet_parts(parts: Sequence[tuple[FacetPart, int]], size: int) -> FacetColumn:
    """One column over `size` docs from segment parts placed at their doc offsets."""
    vocabulary = np.array(sorted(set().union(*(part.values for part, _ in parts))), dtype=np.str_)
    docs = [np.empty(0, dtype=np.int64)]
    ords = [np.empty(0, dtype=np.int64)]
    for part, offset in parts:
        docs.append(part.docs + offset)
        if part.values:
            ords.append(np.searchsorted(vocabulary, np.array(part.values))[part.ords])
    all_docs = np.concatenate(docs)
    return FacetColumn(
        docs=all_docs,
        ords=np.concatenate(ords).astype(np.int64),
        starts=np.searchsorted(all_docs, np.arange(size + 1)).astype(np.int64),
        values=tuple(str(v) for v in vocabulary),
    )
