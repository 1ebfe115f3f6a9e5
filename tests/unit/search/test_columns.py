"""Doc-values facet columns and the linear-time page ordering."""

from __future__ import annotations

import numpy as np
import pytest

from app.search.facets import build_facet_column, month_column
from app.search.ranking import top_order
from app.search.types import FacetCount
from app.search.whoosh_backend import _EPOCH


def test_facet_counts_over_matched_docs_most_frequent_first_ties_by_value() -> None:
    column = build_facet_column(
        [
            (np.array([0, 0, 1]), ["Ahmad Massoud", "Amrullah Saleh", "Amrullah Saleh"]),
            (np.array([2, 3]), ["Fahim Dashti", "Ahmad Massoud"]),  # a second segment
        ]
    )
    matched = np.array([True, True, True, False])
    assert column.count(matched, 10) == (
        FacetCount("Amrullah Saleh", 2),
        FacetCount("Ahmad Massoud", 1),  # tied with Fahim Dashti: alphabetical
        FacetCount("Fahim Dashti", 1),
    )
    assert column.count(matched, 1) == (FacetCount("Amrullah Saleh", 2),)
    assert column.count(np.zeros(4, dtype=np.bool_), 10) == ()


def test_an_empty_column_counts_nothing() -> None:
    assert build_facet_column([]).count(np.ones(3, dtype=np.bool_), 10) == ()


def test_month_column_skips_deleted_docs() -> None:
    moments = np.array(["2021-09-05", "2021-09-30", "2021-10-01"], dtype="datetime64[us]")
    column = month_column((moments - _EPOCH).astype(np.int64), np.array([True, False, True]))
    assert column.count(np.ones(3, dtype=np.bool_), 10) == (
        FacetCount("2021-09", 1),
        FacetCount("2021-10", 1),
    )


@pytest.mark.parametrize(
    ("primary", "secondary", "stop", "expected"),
    [
        ([3.0, 1.0, 2.0], [0, 1, 2], 2, [1, 2]),
        ([1.0, 1.0, 1.0, 0.5], [9, 7, 8, 1], 3, [3, 1, 2]),  # ties broken by the secondary key
        ([1.0, 1.0], [5, 4], 10, [1, 0]),  # asking for more than there is
        ([], [], 5, []),
        ([2.0], [1], 0, []),
    ],
)
def test_top_order(
    primary: list[float], secondary: list[int], stop: int, expected: list[int]
) -> None:
    order = top_order(np.array(primary), np.array(secondary, dtype=np.int64), stop)
    assert order.tolist() == expected
