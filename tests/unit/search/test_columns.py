"""Doc-values facet columns and the linear-time page ordering."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from whoosh.util.times import datetime_to_long

from app.search.facets import facet_part, merge_facet_parts, month_part
from app.search.ranking import top_order
from app.search.types import FacetCount


def test_facet_counts_over_matched_docs_most_frequent_first_ties_by_value() -> None:
    first = facet_part(np.array([1, 0, 0]), ["Amrullah Saleh", "Amrullah Saleh", "Ahmad Massoud"])
    second = facet_part(np.array([0, 1]), ["Fahim Dashti", "Ahmad Massoud"])
    column = merge_facet_parts([(first, 0), (second, 2)], 40)  # a second segment at doc 2
    matched = np.zeros(40, dtype=np.bool_)
    matched[:3] = True
    expected = (
        FacetCount("Amrullah Saleh", 2),
        FacetCount("Ahmad Massoud", 1),  # tied with Fahim Dashti: alphabetical
        FacetCount("Fahim Dashti", 1),
    )
    assert column.count(matched, np.flatnonzero(matched), 10) == expected  # gathered
    matched[10:] = True  # many matches without values: masked instead
    assert column.count(matched, np.flatnonzero(matched), 10) == expected
    assert column.count(matched, np.flatnonzero(matched), 1) == expected[:1]
    assert column.count(np.zeros(40, dtype=np.bool_), np.empty(0, dtype=np.int64), 10) == ()


def test_an_empty_column_counts_nothing() -> None:
    column = merge_facet_parts([(facet_part(np.empty(0, dtype=np.int64), []), 0)], 3)
    assert column.count(np.ones(3, dtype=np.bool_), np.arange(3), 10) == ()


def test_months_count_only_matched_docs() -> None:
    days = (datetime(2021, 9, 5), datetime(2021, 9, 30), datetime(2021, 10, 1))
    dates = np.array([datetime_to_long(day) for day in days], dtype=np.int64)
    column = merge_facet_parts([(month_part(dates), 0)], 3)
    matched = np.array([True, False, True])  # a deleted doc is never matched
    assert column.count(matched, np.flatnonzero(matched), 10) == (
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
